package examplecheck

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

type tAnswerRow struct {
	ID    b24.Int           `json:"ID"`
	Tags  []tAnswerTag      `json:"TAGS"`
	Raw   json.RawMessage   `json:"RAW"`
	Props map[string]string `json:"PROPS"`
}

type tAnswerTag struct {
	Name string `json:"NAME"`
}

func TestDeclares(t *testing.T) {
	typ := reflect.TypeFor[[]tAnswerRow]()
	for path, want := range map[string]bool{
		"[0].ID":            true,
		"[0].OTHER":         false,
		"[1].TAGS[0].NAME":  true,
		"[1].TAGS[0].COLOR": false,
		"[0].PROPS.x":       true, // a map holds every key: losing one is a loss
		"[0].RAW.deep":      true,
	} {
		if got := declares(typ, path); got != want {
			t.Errorf("declares(%s) = %v, want %v", path, got, want)
		}
	}
}

// TestResult runs the check on real fixtures: im.disk.folder.get answers {"ID": 5153} (a struct
// with ID), im.dialog.unread answers true.
func TestResult(t *testing.T) {
	type folder struct {
		ID b24.Int `json:"ID"`
	}
	for _, tc := range []struct {
		method   string
		dst      any
		problems int
		ok       bool
	}{
		{"im.dialog.unread", new(b24.Bool), 0, true},
		{"im.dialog.unread", new(b24.Int), 1, true}, // true is no number: it does not decode
		{"im.disk.folder.get", new(folder), 0, true},
		{"im.disk.folder.get", new(map[string]string), 1, true}, // the ID is a number, not a text
		{"no.such.method", new(b24.Bool), 0, false},
	} {
		problems, _, ok := result(tc.method, tc.dst)
		if len(problems) != tc.problems || ok != tc.ok {
			t.Errorf("%s into %T: problems %q, ok %v; want %d problems, ok %v", tc.method, tc.dst, problems, ok, tc.problems, tc.ok)
		}
	}
}
