package b24

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Unfit lists the values of a decoded result that did not fit their fields: each path (as
// "items[2].DATE_CREATE") names a field a generated result structure declares, whose value the
// portal sent in a form its type cannot hold. Such a field is left zero and the value kept, as it
// came, in the structure's Extra map; the call does not fail for it. Call reports the same list in
// [Response].Unfit; use Unfit on a row of an All walk or a batch command's result.
func Unfit(v any) []string {
	var out []string
	if v != nil {
		unfitIn(reflect.ValueOf(v), "", &out)
	}
	return out
}

func unfitIn(v reflect.Value, path string, out *[]string) {
	if !holdsExtra(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			unfitIn(v.Elem(), path, out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			unfitIn(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			unfitIn(v.MapIndex(k), joinPath(path, k.String()), out)
		}
	case reflect.Struct:
		info := resultInfoOf(v.Type())
		if info.extra != nil {
			extra, _ := v.FieldByIndex(info.extra).Interface().(map[string]json.RawMessage)
			for _, k := range slices.Sorted(maps.Keys(extra)) {
				if info.declares(k) {
					*out = append(*out, joinPath(path, k))
				}
			}
		}
		for _, f := range info.fields {
			unfitIn(v.FieldByIndex(f.index), joinPath(path, f.name), out)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var extraHolders sync.Map // reflect.Type → bool

// holdsExtra reports whether a value of type t can hold a structure with an Extra map, so that
// Unfit skips raw JSON, scalars and lists of them without looking at their values.
func holdsExtra(t reflect.Type) bool {
	if v, ok := extraHolders.Load(t); ok {
		return v.(bool)
	}
	holds := holdsExtraIn(t, map[reflect.Type]bool{})
	extraHolders.Store(t, holds)
	return holds
}

// holdsExtraIn is holdsExtra's walk; a type met again on the way (a recursive one) adds nothing.
func holdsExtraIn(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsExtraIn(t.Elem(), seen)
	case reflect.Struct:
		info := resultInfoOf(t)
		holds := info.extra != nil
		for _, f := range info.fields {
			holds = holdsExtraIn(t.FieldByIndex(f.index).Type, seen) || holds
		}
		return holds
	}
	return false
}
