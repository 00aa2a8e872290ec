package jsonobj

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMembers(t *testing.T) {
	got, err := Members([]byte(` {"b": 1, "a": {"z": [1, 2]}, "c": null} `))
	if err != nil {
		t.Fatal(err)
	}
	want := []Member{{"b", []byte("1")}, {"a", []byte(`{"z": [1, 2]}`)}, {"c", []byte("null")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Members (-want +got):\n%s", diff)
	}
	if _, err := Members([]byte(`[1]`)); !errors.Is(err, ErrNotObject) {
		t.Errorf("an array: err = %v, want ErrNotObject", err)
	}
	for _, bad := range []string{``, `{"a": }`, `{"a": 1`} {
		if _, err := Members([]byte(bad)); err == nil {
			t.Errorf("Members(%q) = nil error", bad)
		}
	}
}
