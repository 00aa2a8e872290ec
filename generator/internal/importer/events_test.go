package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportEventsCurated: an event file's summary and its data with a fix survive an import; a
// data without a fix follows the catalog again.
func TestImportEventsCurated(t *testing.T) {
	dir := t.TempDir()
	catalog := filepath.Join(dir, "events.jsonl")
	line := `{"event": "onCrmDealAdd", "wire_name": "ONCRMDEALADD", "doc": "api-reference/crm/deals/events/on-crm-deal-add.md", "scope": ["crm"], "fields": [{"name": "FIELDS", "type": "object"}, {"name": "FIELDS.ID", "type": "integer"}], "data_type": "object"}` + "\n"
	if err := os.WriteFile(catalog, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := ImportEvents(catalog, dir, false)
	if err != nil || len(sum.Added) != 1 || sum.Applied[ruleEventSummary] != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}
	file := filepath.Join(dir, "_events", "onCrmDealAdd.yaml")
	b, _ := os.ReadFile(file)
	if !strings.Contains(string(b), "en: Sent when a deal is added.") || !strings.Contains(string(b), "ru: Отправляется при добавлении сделки.") {
		t.Errorf("made:\n%s", b)
	}
	curated := strings.Replace(string(b), "en: Sent when a deal is added.", "en: A deal was added (by anyone, also by a robot).", 1)
	curated = strings.Replace(curated, "          type: integer", "          type: id\n  fix: the ID is a record's", 1)
	if err := os.WriteFile(file, []byte(curated), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err = ImportEvents(catalog, dir, false); err != nil || sum.Unchanged != 1 {
		t.Errorf("again: %+v, %v", sum, err)
	}
	if b, _ := os.ReadFile(file); string(b) != curated {
		t.Errorf("the curated file changed:\n%s", b)
	}
	uncurated := strings.Replace(curated, "  fix: the ID is a record's\n", "", 1)
	os.WriteFile(file, []byte(uncurated), 0o644)
	ImportEvents(catalog, dir, false)
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "type: integer") || !strings.Contains(string(b), "by anyone") {
		t.Errorf("without a fix, data follows the catalog and the summary stays:\n%s", b)
	}
}
