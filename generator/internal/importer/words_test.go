package importer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// TestCompounds: a one-case name splits where the spec's other names show its words and it ends in
// a word Go names write apart; words of English (WORKFLOW, UPDATE, PAID) and names with an unknown
// word (BIRTHDATE, when no name has "birth" apart) stay whole.
func TestCompounds(t *testing.T) {
	var ps []*spec.Param
	for _, n := range []string{"TASK_ID", "AFTER_ITEM", "WORK_FLOW_ID", "UP_TO", "TASKID", "AFTERITEMID", "USERIDS", "user_name", "WORKFLOW", "UPDATE", "PAID", "BIRTHDATE"} {
		ps = append(ps, &spec.Param{Name: n})
	}
	s := &spec.Spec{Namespaces: []*spec.Namespace{{Methods: []*spec.Method{{Params: ps}}}}}
	want := map[string][]string{"taskid": {"task", "id"}, "afteritemid": {"after", "item", "id"}, "userids": {"user", "ids"}}
	if d := cmp.Diff(want, compounds(s)); d != "" {
		t.Errorf("compounds (-want +got):\n%s", d)
	}
}
