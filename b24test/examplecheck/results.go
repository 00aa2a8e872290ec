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
	b, err := json.Marshal(dst)
	if err != nil {
		return []string{"the decoded result does not encode: " + err.Error()}, 0, true
	}
	got, err := decodeJSON(b)
	if err != nil {
		return []string{err.Error()}, 0, true
	}
	for _, d := range DiffWire(want, unset(want, got)) {
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

// unset puts back, in got, the example's null or empty value ([] or {}) where the typed result holds
// only zero values there: a Go field has no null, and PHP sends an empty object as [].
func unset(want, got any) any {
	switch w := want.(type) {
	case nil:
		if zeroJSON(got) {
			return nil
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if len(w) == 0 && zeroJSON(got) {
			return w
		}
		if ok {
			out := make(map[string]any, len(g))
			for k, v := range g {
				out[k] = unset(w[k], v)
			}
			return out
		}
	case []any:
		if len(w) == 0 && zeroJSON(got) {
			return w
		}
		if g, ok := got.([]any); ok {
			out := make([]any, len(g))
			for i, v := range g {
				if i < len(w) {
					v = unset(w[i], v)
				}
				out[i] = v
			}
			return out
		}
	}
	return got
}

// zeroJSON reports a decoded JSON value made only of zero values: null, "", 0, false, and lists or
// objects of them.
func zeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		f, err := x.Float64()
		return err == nil && f == 0
	case map[string]any:
		for _, e := range x {
			if !zeroJSON(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !zeroJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}
