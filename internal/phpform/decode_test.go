package phpform

import (
	"net/url"
	"reflect"
	"testing"
)

func TestSplitKey(t *testing.T) {
	cases := map[string][]string{
		"a":           {"a"},
		"a[b][][c]":   {"a", "b", "", "c"},
		"select[]":    {"select", ""},
		"[x]":         {"[x]"},
		"a[b":         {"a"},
		"fields[A B]": {"fields", "A B"},
	}
	for in, want := range cases {
		if got := SplitKey(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeValuesEdges(t *testing.T) {
	v, _ := url.ParseQuery("0=123&1[POST_MESSAGE]=hi&a[5]=x&a[]=y&m[1]=p&m[2]=q&o=1&o[k]=2")
	got := Decode(v)
	want := map[string]any{
		"0": "123",
		"1": map[string]any{"POST_MESSAGE": "hi"},
		"a": map[string]any{"5": "x", "6": "y"}, // PHP: [] takes the next key after the largest
		"m": map[string]any{"1": "p", "2": "q"}, // not 0..n-1: stays a map
		"o": map[string]any{"k": "2"},           // the later, nested key wins
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode\n got %#v\nwant %#v", got, want)
	}
}
