package model

import (
	"slices"
	"testing"

	"github.com/b24gen/b24gen/clikit"
)

// TestScalars: every word the spec may name is a Scalar, each with its Go types, schema and sample,
// and each names an option kind clikit knows.
func TestScalars(t *testing.T) {
	all := []*Scalar{FlagYN, Flag10}
	for _, w := range []string{"string", "date", "datetime", "integer", "id", "number", "boolean", "dialog_id", "lang", "base64", "file"} {
		v := valueOf(w, "")
		if v.Shape != ScalarValue || v.Scalar == nil || v.Spec() != w {
			t.Errorf("%s: %+v", w, v)
			continue
		}
		all = append(all, v.Scalar)
	}
	kinds := clikit.Kinds()
	for _, s := range all {
		if s.Param == nil || s.Result == nil || len(s.Schema()) == 0 || s.sample == nil {
			t.Errorf("%s: not all decided: %+v", s.Name, s)
		}
		if !slices.Contains(kinds, s.CLI) {
			t.Errorf("%s: clikit has no option kind %q (it has %v)", s.Name, s.CLI, kinds)
		}
	}
	for expr, want := range map[string]Shape{"[]id": ListValue, "map[string]object": MapValue, "object": ObjectValue, "AttachBlock": ObjectValue, "any": AnyValue} {
		if v := valueOf(expr, ""); v.Shape != want || v.Spec() != expr {
			t.Errorf("%s: shape %v, spec %q", expr, v.Shape, v.Spec())
		}
	}
	if valueOf("boolean", "YN").Scalar != FlagYN || valueOf("[]boolean", "10").Elem.Scalar != Flag10 {
		t.Errorf("a boolean's wire form picks its scalar")
	}
}
