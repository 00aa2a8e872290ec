package phpform

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

// TestEncode: nested objects and lists as PHP keys, sorted; true/false as 1/0; null, [] and {} left
// out; and what Encode writes, Decode reads back.
func TestEncode(t *testing.T) {
	params := map[string]any{
		"fields": map[string]any{"TITLE": "A & B?", "OPENED": true, "CLOSED": false, "TAGS": []string{"x", "y"}, "NONE": nil, "E": []int{}},
		"id":     5,
	}
	body, _ := json.Marshal(params)
	enc, err := Encode(body)
	if err != nil {
		t.Fatal(err)
	}
	got := string(enc)
	want := "fields[CLOSED]=0&fields[OPENED]=1&fields[TAGS][0]=x&fields[TAGS][1]=y&fields[TITLE]=A+%26+B%3F&id=5"
	if got != want {
		t.Errorf("Encode\n got %s\nwant %s", got, want)
	}
	v, err := url.ParseQuery(got)
	if err != nil {
		t.Fatal(err)
	}
	back := Decode(v)
	wantBack := map[string]any{
		"fields": map[string]any{"CLOSED": "0", "OPENED": "1", "TAGS": []any{"x", "y"}, "TITLE": "A & B?"},
		"id":     "5",
	}
	if !reflect.DeepEqual(back, wantBack) {
		t.Errorf("Decode(Encode)\n got %#v\nwant %#v", back, wantBack)
	}
	if _, err := Encode([]byte("5")); err == nil {
		t.Error("Encode of a number: no error")
	}
	if s, err := Encode(nil); len(s) != 0 || err != nil {
		t.Errorf("Encode(nil) = %q, %v", s, err)
	}
}
