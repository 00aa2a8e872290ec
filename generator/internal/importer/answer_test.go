package importer

import (
	"strings"
	"testing"
)

// show prints an inferred type with its fields: object{ID integer, TAGS []string}.
func show(typ string, fields []*iParam) string {
	if len(fields) == 0 {
		return typ
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Name + " " + show(f.Type, f.Fields)
		if f.Bool != "" {
			parts[i] += "(" + f.Bool + ")"
		}
	}
	return typ + "{" + strings.Join(parts, ", ") + "}"
}

func TestInferAnswer(t *testing.T) {
	for answer, want := range map[string]string{
		`{"ID": "5", "TITLE": "x", "OPENED": "Y", "SUM": 1.5, "N": 3, "DATE": "2024-04-03T12:50:17+03:00", "UF_CRM_1": "u"}`: "object{ID integer, TITLE string, OPENED boolean(YN), SUM number, N integer, DATE datetime}",
		// rows: keys merged in first-seen order; a null in one row is typed by another; Y and text widen to text
		`[{"id": 1, "note": null, "flag": "Y"}, {"id": 2, "note": "x", "flag": "I", "more": [1, 2]}]`: "[]object{id integer, note string, flag string, more []integer}",
		`{"items": [{"id": 1}], "total": 1}`:                              "object{items []object{id integer}, total integer}",
		`{"G2": {"name": "a"}, "AU": {"name": "b"}, "UA": {"name": "c"}}`: "map[string]object{name string}",
		`{"15": {"name": "a", "id": 15}, "16": {"name": "b", "x": "Y"}}`:  "map[string]object{name string, id integer, x boolean(YN)}",
		`{"S:Date": "Date", "SORT": "Sort"}`:                              "map[string]string",
		`{"15": {"a": 1}, "16": [1]}`:                                     "any",
		`{"NAME": "n", "~NAME": "n", "ID": 1, "OWNER": 2}`:                "object{NAME string, ID integer, OWNER integer}",
		`[]`:                     "any",
		`[1, "a", {"b": 1}]`:     "any",
		`{"id": 1, "id2": null}`: "object{id integer, id2 any}",
		`{"ID": 1, "id": 2}`:     "object{ID integer}",
		// each value must encode again as it came: numbers and text, or "Y" and true, in one field stay raw
		`[{"id": 5, "f": "Y", "g": "Y"}, {"id": "chat5", "f": true, "g": "N"}]`: "[]object{id any, f any, g boolean(YN)}",
		`{"flags": ["Y", "N"]}`: "object{flags []string}",
	} {
		a := settleAnswer(infer([]byte(answer), "", 0))
		if got := show(a.typ, a.fields); got != want {
			t.Errorf("infer(%s) = %s, want %s", answer, got, want)
		}
	}
}
