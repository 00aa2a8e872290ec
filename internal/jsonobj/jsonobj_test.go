package jsonobj

import (
	"bytes"
	"encoding/json"
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

// TestOrdered: members come out in the order added, values without HTML escaping, none as {};
// indented as encoding/json indents; values of other types through Marshal.
func TestOrdered(t *testing.T) {
	var o Ordered
	if b, err := o.MarshalJSON(); err != nil || string(b) != "{}" {
		t.Errorf("empty: %s, %v", b, err)
	}
	o.Set("z", "a&b<c>\u2028")
	o.Set("a", []int{1})
	o.Set("m", Ordered{{"y", 1}, {"x", nil}, {"l", []string{"Y", "N"}}, {"f", 1.5}})
	o.Text("empty", "")
	b, err := o.MarshalJSON()
	if want := `{"z":"a&b<c>\u2028","a":[1],"m":{"y":1,"x":null,"l":["Y","N"],"f":1.5}}`; err != nil || string(b) != want {
		t.Errorf("got %s, %v; want %s", b, err, want)
	}
	var ib, want bytes.Buffer
	if err := Write(&ib, o, true); err != nil {
		t.Fatal(err)
	}
	json.Indent(&want, b, "", "  ")
	if ib.String() != want.String() {
		t.Errorf("indented:\n%s\nwant\n%s", ib.String(), want.String())
	}
	if o.Get("a") == nil || o.Get("nope") != nil {
		t.Errorf("Get")
	}
}
