package b24_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/generated/tasks"
)

// TestFilter: a REST 3.0 filter built with Where and Or arrives as the portal reads it, beside raw
// conditions; an unknown operator fails the call before anything is sent.
func TestFilter(t *testing.T) {
	s := newPortal(t)
	c := webhook(t, s)
	filter := []any{
		b24.Where("status", "=", 2),
		b24.Or(b24.Where("priority", ">=", 2), []any{"deadline", "<", "2026-01-01"}),
		b24.Where("id", "between", []int{7, 9}),
	}
	if _, err := tasks.New(c).TaskListV3(context.Background(), &tasks.TaskListV3Params{Filter: filter, Select: []string{"id", "responsible.name"}}); err != nil {
		t.Fatal(err)
	}
	var got, want struct{ Filter any }
	json.Unmarshal(s.Calls()[0].Body, &got)
	json.Unmarshal([]byte(`{"filter": [["status","=",2],{"logic":"or","conditions":[["priority",">=",2],["deadline","<","2026-01-01"]]},["id","between",[7,9]]]}`), &want)
	if d := cmp.Diff(want, got); d != "" || !s.Calls()[0].API3 {
		t.Errorf("filter (-want +got):\n%s", d)
	}
	s.ResetCalls()
	_, err := tasks.New(c).TaskListV3(context.Background(), &tasks.TaskListV3Params{Filter: []any{b24.Where("status", "like", 2)}})
	if err == nil || !strings.Contains(err.Error(), `operator "like" is not one of`) || len(s.Calls()) != 0 {
		t.Errorf("unknown operator: %v, %d calls", err, len(s.Calls()))
	}
}
