package b24test_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// ids posts a list call and returns the IDs of the rows answered, with total and next.
func ids(t *testing.T, target, body, rowsKey, idKey string) ([]string, any, any) {
	t.Helper()
	a := post(t, target, "application/json", []byte(body))
	if a.status != 200 {
		t.Fatalf("status %d: %v", a.status, a.env)
	}
	rows, _ := a.env["result"].([]any)
	if rowsKey != "" {
		rows, _ = a.env["result"].(map[string]any)[rowsKey].([]any)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprint(r.(map[string]any)[idKey]))
	}
	return out, a.env["total"], a.env["next"]
}

// TestListPaging: list methods page their example rows as the portal does.
func TestListPaging(t *testing.T) {
	s := newServer(t)
	deals := s.WebhookURL() + "/crm.deal.list"
	for _, tc := range []struct {
		body        string
		want        []string
		total, next any
	}{
		{`{}`, []string{"37", "38", "39", "40", "41", "42"}, 6.0, nil},
		{`{"filter": {">ID": 39}, "order": {"ID": "ASC"}, "start": -1}`, []string{"40", "41", "42"}, nil, nil},
		{`{"order": {"ID": "DESC"}, "start": 4}`, []string{"38", "37"}, 6.0, nil},
		{`{"filter": {">ID": "42"}}`, nil, 0.0, nil},
	} {
		got, total, next := ids(t, deals, tc.body, "", "ID")
		if !reflect.DeepEqual(got, tc.want) || total != tc.total || next != tc.next {
			t.Errorf("%s: rows %v total %v next %v; want %v %v %v", tc.body, got, total, next, tc.want, tc.total, tc.next)
		}
	}
	got, _, _ := ids(t, s.WebhookURL()+"/crm.item.list", `{"entityTypeId": 2, "order": {"id": "ASC"}, "filter": {">id": 252}}`, "items", "id")
	if !reflect.DeepEqual(got, []string{"253", "254", "255"}) {
		t.Errorf("crm.item.list rows %v", got)
	}
	if n := s.ListRows("crm.deal.list"); n != 6 {
		t.Errorf("ListRows = %d", n)
	}
	if n := s.ListRows("crm.deal.add"); n != -1 {
		t.Errorf("ListRows of a write = %d", n)
	}
}

// TestEnvelopeResetAt: a handler can set operating_reset_at, for tests of time-limit handling.
func TestEnvelopeResetAt(t *testing.T) {
	s := newServer(t)
	s.Handle("x.reset", func(b24test.Call) (any, *b24.APIError) {
		return b24test.Envelope{Result: true, OperatingResetAt: 1234}, nil
	})
	a := post(t, s.WebhookURL()+"/x.reset", "application/json", []byte(`{}`))
	if got := a.env["time"].(map[string]any)["operating_reset_at"]; got != 1234.0 {
		t.Errorf("operating_reset_at %v", got)
	}
}
