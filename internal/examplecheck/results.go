package examplecheck

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/generated/fixtures"
)

// Results decodes the example answer of each method (its fixture's envelope) into the value its entry
// points to (a new result value, e.g. new(b24.Int)), as b24.Call does, and fails the test where the
// example would not arrive whole: the result does not decode (the call would end in a *b24.ResultError),
// or, encoded again, it loses a key its type declares or changes a value (as PHP sees values: 5 and
// "5", "Y" and true are equal). Keys the type does not declare are counted in the log, not failed.
func Results(t *testing.T, results map[string]any) {
	t.Helper()
	checked, undeclared := 0, 0
	for _, method := range sortedKeys(results) {
		problems, extra, ok := result(method, results[method])
		for _, p := range problems {
			t.Errorf("%s: %s", method, p)
		}
		if ok {
			checked++
			undeclared += extra
		}
	}
	t.Logf("%d example answers decoded into their result types; %d keys there the types do not declare", checked, undeclared)
}

// result checks one method; ok is false when its fixture has no example answer.
func result(method string, dst any) (problems []string, undeclared int, ok bool) {
	fx, known := fixtures.Lookup(method)
	if !known || fx.Example == "" {
		return nil, 0, false
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal([]byte(fx.Example), &env); err != nil {
		return []string{"the example is not a result envelope: " + err.Error()}, 0, true
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return nil, 0, true
	}
	if err := json.Unmarshal(env.Result, dst); err != nil {
		return []string{"the example result does not decode into " + reflect.TypeOf(dst).Elem().String() + ": " + err.Error()}, 0, true
	}
	want, err := decodeJSON(env.Result)
	if err != nil {
		return []string{err.Error()}, 0, true
	}
	t := reflect.TypeOf(dst).Elem()
	for _, d := range Diff(want, dst) {
		switch {
		case strings.HasPrefix(d, "added "):
			// a field the example leaves out, encoded with its zero value
		case strings.HasPrefix(d, "lost ") && !declares(t, strings.TrimPrefix(d, "lost ")):
			undeclared++
		default:
			problems = append(problems, d)
		}
	}
	return problems, undeclared, true
}

// declares reports whether Go type t has a place for the key at path ("a.b[0].c"): every struct on
// the way has a field of that JSON name. Past a type that is not a struct (a map, a list's element
// that is not a struct, an untyped value), every key is the type's: losing one there is a real loss.
func declares(t reflect.Type, path string) bool {
	for _, seg := range strings.Split(path, ".") {
		name, index, _ := strings.Cut(seg, "[")
		if name != "" {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() != reflect.Struct {
				return true
			}
			info := structInfoOf(t)
			i, ok := info.byName[name]
			if !ok {
				return false
			}
			t = t.FieldByIndex(info.fields[i].index).Type
		}
		for range strings.Count(index, "[") + min(1, len(index)) {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				t = t.Elem()
			}
		}
	}
	return true
}
