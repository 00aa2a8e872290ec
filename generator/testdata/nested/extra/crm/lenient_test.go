package crm

import (
	"encoding/json"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

// TestResultsDecodeLeniently: documented results decode whatever shape the portal sends; a value
// that does not fit its field leaves only that field zero. (Copied next to the generated package by
// TestOutputsCompile, which runs it.)
func TestResultsDecodeLeniently(t *testing.T) {
	var d DealGetResult
	in := `{"ID": {"x": 1}, "TITLE": 123, "OPPORTUNITY": "1.5", "OPENED": "Y", "CONTACT_IDS": ["1", true],
		"PHONE": [{"VALUE": "+7"}, []], "ADDRESS": [], "CUSTOM": 5, "UF_CRM_1": "x"}`
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if d.ID != 0 || d.Title != "123" || d.Opportunity != 1.5 || !bool(d.Opened) || len(d.ContactIDs) != 0 ||
		len(d.Phone) != 2 || d.Phone[0].Value != "+7" || d.Address.City != "" || string(d.Custom) != "5" {
		t.Errorf("decoded %+v", d)
	}
	var list []DealListResult
	if err := json.Unmarshal([]byte(`[{"ID": "7"}, [], false, null]`), &list); err != nil || len(list) != 4 || list[0].ID != 7 {
		t.Errorf("list: %v %+v", err, list)
	}
}

// TestExtraKeys: free keys go next to the documented ones; a free key that repeats a field fails.
func TestExtraKeys(t *testing.T) {
	b, err := json.Marshal(DealAddParams{Fields: DealAddFields{Title: b24.Ptr("x"), Extra: map[string]any{"UF_CRM_1": 5}}})
	if err != nil || string(b) != `{"fields":{"TITLE":"x","UF_CRM_1":5}}` {
		t.Errorf("%s %v", b, err)
	}
	if _, err := json.Marshal(DealAddFields{Title: b24.Ptr("x"), Extra: map[string]any{"TITLE": "y"}}); err == nil {
		t.Error("a free key repeating TITLE was accepted")
	}
}
