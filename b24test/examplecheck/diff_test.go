package examplecheck

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestDiffEquivalences(t *testing.T) {
	for _, tc := range [][2]string{
		{`{"a": 5}`, `{"a": "5"}`},
		{`{"a": "5"}`, `{"a": 5}`},
		{`{"a": "5.0"}`, `{"a": 5}`},
		{`{"a": 1.50}`, `{"a": 1.5}`},
		{`{"a": 1e3}`, `{"a": 1000}`},
		{`{"a": "-2.5"}`, `{"a": -2.5}`},
		{`{"a": true}`, `{"a": "Y"}`},
		{`{"a": "Y"}`, `{"a": true}`},
		{`{"a": "N"}`, `{"a": false}`},
		{`{"a": "N"}`, `{"a": 0}`},
		{`{"a": 1}`, `{"a": true}`},
		{`{"a": false}`, `{"a": "0"}`},
		{`{"a": []}`, `{"a": {}}`},
		{`{"a": {}}`, `{"a": []}`},
		{`{"a": {"0": "x", "1": "y"}}`, `{"a": ["x", "y"]}`},
		{`["x", {"b": 1}]`, `["x", {"b": "1"}]`},
		{`{"a": null}`, `{"a": null}`},
		{`{}`, `{}`},
	} {
		if d := Diff(mustDecode(t, tc[0]), mustDecode(t, tc[1])); len(d) != 0 {
			t.Errorf("Diff(%s, %s) = %q, want none", tc[0], tc[1], d)
		}
	}
}

func TestDiffKinds(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		diffs     []string
		outcome   Outcome
	}{
		{`{"fields": {"TITLE": "x"}}`, `{"fields": {}}`, []string{"lost fields.TITLE"}, Changed},
		{`{"fields": {}}`, `{"fields": {"RATE": 0}}`, []string{"added fields.RATE = 0"}, Added},
		{`{"id": "65e5a449e8f135.21284909"}`, `{"id": 65}`, []string{`changed id: "65e5a449e8f135.21284909" → 65`}, Changed},
		{`{"productId": 5}`, `{"PRODUCT_ID": 5}`, []string{"renamed productId → PRODUCT_ID"}, Changed},
		{`{"productId": 5}`, `{"PRODUCT_ID": 6}`, []string{"renamed productId → PRODUCT_ID", "changed PRODUCT_ID: 5 → 6"}, Changed},
		{`{"a": "05"}`, `{"a": 5}`, []string{`changed a: "05" → 5`}, Changed},
		{`{"a": "Y"}`, `{"a": 2}`, []string{`changed a: "Y" → 2`}, Changed},
		{`{"a": "Y"}`, `{"a": "1"}`, []string{`changed a: "Y" → "1"`}, Changed}, // two strings must be identical
		{`{"a": "abc"}`, `{"a": "abd"}`, []string{`changed a: "abc" → "abd"`}, Changed},
		{`{"a": null}`, `{"a": ""}`, []string{`changed a: null → ""`}, Changed},
		{`{"a": null}`, `{}`, []string{"lost a"}, Changed},
		{`{"a": [1]}`, `{"a": 1}`, []string{"changed a: [1] → 1"}, Changed},
		{`{"a": {"b": 1}}`, `{"a": [1]}`, []string{`changed a: {"b":1} → [1]`}, Changed},
		{`{"a": [1, 2]}`, `{"a": [1]}`, []string{"lost a[1]"}, Changed},
		{`{"a": [1]}`, `{"a": [1, 2]}`, []string{"added a[1] = 2"}, Added},
		{`[1, 2]`, `[1, 3]`, []string{"changed [1]: 2 → 3"}, Changed},
		{`{"a": 1}`, `[1]`, []string{`changed (params): {"a":1} → [1]`}, Changed},
		{`{"a": 1, "b": 2}`, `{"b": 3, "c": 4}`, []string{"changed b: 2 → 3", "lost a", "added c = 4"}, Added},
	} {
		d := Diff(mustDecode(t, tc.want), mustDecode(t, tc.got))
		if diff := cmp.Diff(tc.diffs, d); diff != "" {
			t.Errorf("Diff(%s, %s) (-want +got):\n%s", tc.want, tc.got, diff)
		}
		if o := Classify(d); o != tc.outcome {
			t.Errorf("Classify(%q) = %s, want %s", d, o, tc.outcome)
		}
	}
	if o := Classify(nil); o != Intact {
		t.Errorf("Classify(nil) = %s", o)
	}
}

func TestDiffIgnore(t *testing.T) {
	want, err := Expected(json.RawMessage(`{"id": "your_id_here", "f": ["a", "R0lGOD...=="], "g": "<ID>"}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(want, mustDecode(t, `{"id": 0, "f": ["a", ""]}`)); len(d) != 0 {
		t.Errorf("placeholders compared: %q", d)
	}
	if d := Diff(want, mustDecode(t, `{"f": ["a"]}`)); len(d) != 0 {
		t.Errorf("a placeholder missing at the end of an array: %q", d)
	}
	if d := Diff(want, mustDecode(t, `{"f": ["b", "x"]}`)); len(d) != 1 || d[0] != `changed f[0]: "a" → "b"` {
		t.Errorf("got %q", d)
	}
}

func TestDiffGoValues(t *testing.T) {
	// Values that are not decoded JSON go through encoding/json first.
	want := map[string]any{"a": 1, "b": []string{"x"}, "c": 1.5}
	got := map[string]any{"a": "1", "b": []any{"x"}, "c": json.Number("1.50")}
	if d := Diff(want, got); len(d) != 0 {
		t.Errorf("%q", d)
	}
}

func TestResultReason(t *testing.T) {
	r := Result{Outcome: Changed, Diffs: []string{"lost a", "changed b: \"x\ny\" → 1"}}
	if got := r.Reason(); got != `lost a; changed b: "x y" → 1` {
		t.Errorf("Reason() = %q", got)
	}
	if got := (Result{Outcome: Unwritable, Err: "id: \"abc\" does not fit int"}).Reason(); got != `id: "abc" does not fit int` {
		t.Errorf("Reason() = %q", got)
	}
}
