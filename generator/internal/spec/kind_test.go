package spec

import "testing"

func TestWriteWord(t *testing.T) {
	for _, tc := range []struct{ method, summary, want string }{
		{"im.notify.read.list", "", "read"},
		{"im.dialog.read", "", "read"},
		{"crm.deal.list", "Returns deals by a filter.", ""},
		{"crm.timeline.bindings.list", "Returns the CRM items a timeline record is linked to.", ""},
		{"user.admin", "Checks whether the current user is an administrator.", ""},
		{"x.status.get", "Marks the item as seen.", "Marks"},
		{"read.get", "", ""}, // a namespace is not a verb
	} {
		if got := WriteWord(tc.method, tc.summary); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.method, tc.summary, got, tc.want)
		}
	}
}

// TestReadsChangeNothing: no method of the spec marked read has a name or a summary that says it
// changes data (WriteWord); the importer's rule makes such a method a write, and a hand edit that
// undoes it fails here.
func TestReadsChangeNothing(t *testing.T) {
	s, err := Load("../../../spec")
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, ns := range s.Namespaces {
		for _, m := range ns.Methods {
			if m.Kind != KindRead {
				continue
			}
			reads++
			if w := WriteWord(m.Name, m.Summary.EN); w != "" {
				t.Errorf("%s: kind read, but %q says it changes data", m.Name, w)
			}
		}
	}
	if reads < 500 {
		t.Errorf("only %d reads in the spec: the test proves little", reads)
	}
}
