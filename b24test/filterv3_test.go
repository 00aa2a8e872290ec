package b24test_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestFilterV3: a REST 3.0 list filters its rows as the portal reads the conditions: every
// operator, the two-element form, OR groups, dot paths; and answers the portal's errors for a
// filter it cannot read, an unknown operator and an unknown field.
func TestFilterV3(t *testing.T) {
	s := newServer(t)
	var rows []json.RawMessage
	for _, r := range []string{
		`{"id": 1, "status": 2, "title": "alpha", "deadline": "2026-01-05", "group": {"id": 7}}`,
		`{"id": 2, "status": 3, "title": "beta", "deadline": "2026-02-01", "group": {"id": 8}}`,
		`{"id": 3, "status": 2, "title": "gamma", "deadline": "2026-03-01", "group": {"id": 7, "name": "G"}}`,
		`{"id": 4, "status": 5, "title": "delta", "deadline": "2026-01-20", "group": {"id": 9}}`,
	} {
		rows = append(rows, json.RawMessage(r))
	}
	s.SetRows("tasks.task.list@3", rows)
	target := strings.Replace(s.WebhookURL(), "/rest/", "/rest/api/", 1) + "/tasks.task.list"
	for _, tc := range []struct{ filter, want string }{
		{`[["status", 2]]`, "1 3"},
		{`[["status", "=", "2"]]`, "1 3"},
		{`[["status", "!=", 2]]`, "2 4"},
		{`[["status", [3, 5]]]`, "2 4"},
		{`[["status", "in", [2, 5]], ["id", ">", 1]]`, "3 4"},
		{`[["deadline", "between", ["2026-01-01", "2026-01-31"]]]`, "1 4"},
		{`[["deadline", ">=", "2026-02-01"]]`, "2 3"},
		{`[["group.id", 7]]`, "1 3"},
		{`[{"logic": "or", "conditions": [["status", 3], ["title", "delta"]]}]`, "2 4"},
		{`[["id", "<=", 3], {"logic": "or", "conditions": [["status", 5], {"logic": "or", "conditions": [["title", "gamma"]]}]}]`, "3"},
		{`[["id", "<", 3], ["id", ">=", 2]]`, "2"},
	} {
		got, _, _ := ids(t, target, `{"filter": `+tc.filter+`}`, "items", "id")
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: rows %v, want %s", tc.filter, got, tc.want)
		}
	}
	a := post(t, target, "application/json", []byte(`{"filter": [["id", 3]], "select": ["title", "group.id"]}`))
	if got := compactJSON(a.env["result"]); got != `{"items":[{"group":{"id":7},"id":3,"title":"gamma"}]}` {
		t.Errorf("select with a dot path: %s", got)
	}
	a = post(t, target, "application/json", []byte(`{"select": ["colour"]}`))
	if e, _ := a.env["error"].(map[string]any); a.status != 400 || e["code"] != "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION" {
		t.Errorf("select of an unknown field: %d %v", a.status, a.env)
	}
	for _, tc := range []struct{ filter, code string }{
		{`{"status": 2}`, "INVALIDFILTEREXCEPTION"},
		{`[["status"]]`, "INVALIDFILTEREXCEPTION"},
		{`[{"logic": "and", "conditions": []}]`, "INVALIDFILTEREXCEPTION"},
		{`[["status", "like", 2]]`, "UNKNOWNFILTEROPERATOREXCEPTION"},
		{`[{"logic": "or", "conditions": [["status", "~", 2]]}]`, "UNKNOWNFILTEROPERATOREXCEPTION"},
		{`[["colour", "red"]]`, "UNKNOWNDTOPROPERTYEXCEPTION"},
	} {
		a := post(t, target, "application/json", []byte(`{"filter": `+tc.filter+`}`))
		e, _ := a.env["error"].(map[string]any)
		if a.status != 400 || !reflect.DeepEqual(e["code"], "BITRIX_REST_V3_EXCEPTION_"+tc.code) {
			t.Errorf("%s: status %d, %v; want 400 %s", tc.filter, a.status, a.env, tc.code)
		}
	}
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
