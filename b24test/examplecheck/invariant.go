package examplecheck

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

const runtimePath = "github.com/b24gen/b24gen/b24"

// Invariant checks the rule every generated params struct keeps: a call sends exactly the keys its
// caller set. Left empty, a struct marshals to {} ([] for a positional method); each documented
// field set alone, at the top and one level down, marshals to exactly that key; and a field whose
// zero value is a value (a pointer) set to that zero value is sent too.
func Invariant(t *testing.T, methods map[string]Method) {
	t.Helper()
	for _, name := range sortedKeys(methods) {
		p := methods[name].New()
		empty, err := json.Marshal(p)
		if err != nil {
			t.Errorf("%s: the empty params do not marshal: %v", name, err)
			continue
		}
		if s := string(empty); s != "{}" && s != "[]" {
			t.Errorf("%s: the empty params send %s, want {} (or [] for a positional method)", name, s)
			continue
		}
		positional := string(empty) == "[]"
		st := reflect.TypeOf(p).Elem()
		info := structInfoOf(st)
		for i := range st.NumField() {
			sf := st.Field(i)
			key, ok := info.wire(sf)
			if !ok {
				continue
			}
			for _, zero := range []bool{false, true} {
				if zero && sf.Type.Kind() != reflect.Pointer {
					continue
				}
				v := reflect.New(st)
				setSample(v.Elem().Field(i), zero)
				got, err := json.Marshal(v.Interface())
				if err != nil {
					t.Errorf("%s: %s set alone does not marshal: %v", name, key, err)
					continue
				}
				if err := oneKey(got, key, i, positional); err != "" {
					t.Errorf("%s: %s set alone (zero value: %t): %s", name, key, zero, err)
				}
			}
			if sub := nestedStruct(sf.Type); sub != nil {
				nestedInvariant(t, name, st, i, key, sub, positional)
			}
		}
	}
}

// nestedInvariant sets each field of the structure of top-level field i alone: exactly the path
// top.key must arrive.
func nestedInvariant(t *testing.T, name string, st reflect.Type, i int, key string, sub reflect.Type, positional bool) {
	t.Helper()
	info := structInfoOf(sub)
	for j := range sub.NumField() {
		nkey, ok := info.wire(sub.Field(j))
		if !ok {
			continue
		}
		v := reflect.New(st)
		inner := reflect.New(sub).Elem()
		setSample(inner.Field(j), false)
		place(v.Elem().Field(i), inner)
		b, err := json.Marshal(v.Interface())
		if err != nil {
			t.Errorf("%s: %s.%s set alone does not marshal: %v", name, key, nkey, err)
			continue
		}
		var inside json.RawMessage
		if positional {
			var vals []json.RawMessage
			if json.Unmarshal(b, &vals) != nil || len(vals) != i+1 {
				t.Errorf("%s: %s.%s set alone sends %s", name, key, nkey, b)
				continue
			}
			inside = vals[i]
		} else {
			var top map[string]json.RawMessage
			if json.Unmarshal(b, &top) != nil || len(top) != 1 || top[key] == nil {
				t.Errorf("%s: %s.%s set alone sends %s", name, key, nkey, b)
				continue
			}
			inside = top[key]
		}
		// a structure with a short form (an attachment's BLOCKS) sends that list alone as itself
		if alone, err := json.Marshal(inner.Field(j).Interface()); err == nil && sub.Field(j).Type.Kind() == reflect.Slice && bytes.Equal(alone, inside) {
			continue
		}
		var list []json.RawMessage
		if json.Unmarshal(inside, &list) == nil && len(list) == 1 {
			inside = list[0]
		}
		if err := oneKey(inside, nkey, 0, false); err != "" {
			t.Errorf("%s: %s.%s set alone: %s", name, key, nkey, err)
		}
	}
}

// wire is the JSON key of a documented field; Extra maps and unexported fields have none.
func (s *structInfo) wire(sf reflect.StructField) (string, bool) {
	if !sf.IsExported() {
		return "", false
	}
	for _, fi := range s.fields {
		if slices.Equal(fi.index, sf.Index) {
			return fi.name, true
		}
	}
	return "", false
}

// oneKey checks that b holds exactly key (or, positional, a value at index i and nothing after).
func oneKey(b []byte, key string, i int, positional bool) string {
	if positional {
		var vals []json.RawMessage
		if err := json.Unmarshal(b, &vals); err != nil || len(vals) != i+1 || string(vals[i]) == "null" {
			return "sends " + string(b)
		}
		return ""
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return "sends " + string(b) + ", not an object"
	}
	if _, ok := obj[key]; !ok || len(obj) != 1 {
		return "sends " + string(b) + ", want only " + key
	}
	return ""
}

// nestedStruct is the generated structure a field holds (directly, by pointer or as list items);
// runtime values with a wire form of their own (b24.File is a pair) are not structures of fields.
func nestedStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.PkgPath() == runtimePath {
		return nil
	}
	if t.Kind() == reflect.Struct && len(structInfoOf(t).fields) > 0 {
		return t
	}
	return nil
}

// place puts the structure value inner into field f, whatever f holds it as.
func place(f reflect.Value, inner reflect.Value) {
	switch f.Kind() {
	case reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		place(p.Elem(), inner)
		f.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(f.Type(), 1, 1)
		place(s.Index(0), inner)
		f.Set(s)
	default:
		f.Set(inner)
	}
}

// setSample gives f a value a caller could set: its zero value behind a pointer when zero, else a
// plain non-zero value of its kind.
func setSample(f reflect.Value, zero bool) {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if !zero {
			setSample(p.Elem(), false)
		}
		f.Set(p)
		return
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		f.SetInt(1)
	case reflect.Float64, reflect.Float32:
		f.SetFloat(1.5)
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(f.Type(), 1, 1)
		setSample(s.Index(0), false)
		f.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(f.Type())
		v := reflect.New(f.Type().Elem()).Elem()
		setSample(v, false)
		m.SetMapIndex(reflect.ValueOf("k").Convert(f.Type().Key()), v)
		f.Set(m)
	case reflect.Interface:
		f.Set(reflect.ValueOf("x"))
	case reflect.Struct:
		// a generated structure or a runtime value (b24.File): its first settable field
		for i := range f.NumField() {
			if f.Type().Field(i).IsExported() {
				setSample(f.Field(i), false)
				return
			}
		}
	}
}
