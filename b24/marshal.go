package b24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/b24gen/b24gen/internal/jsonobj"
)

// MarshalWithExtra marshals v, which must encode as a JSON object, and appends the keys of extra in
// sorted order (sorted so that the request body is deterministic). Generated structs with free keys
// (user fields, arbitrary filters) carry them in an Extra map and call this from MarshalJSON. A key of
// extra that v already has is an error: silently sending it twice would leave the winner to the server.
func MarshalWithExtra(v any, extra map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, fmt.Errorf("b24.MarshalWithExtra: %T does not marshal to a JSON object", v)
	}
	if len(extra) == 0 {
		return b, nil
	}
	var have map[string]json.RawMessage
	if err := json.Unmarshal(b, &have); err != nil {
		return nil, fmt.Errorf("b24.MarshalWithExtra: %T: %w", v, err)
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if _, dup := have[k]; dup {
			return nil, fmt.Errorf("b24.MarshalWithExtra: extra key %q is already a field of %T", k, v)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out bytes.Buffer
	out.Grow(len(b) + 32*len(keys))
	out.Write(b[:len(b)-1])
	empty := len(have) == 0
	for _, k := range keys {
		val, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("b24.MarshalWithExtra: extra key %q: %w", k, err)
		}
		name, _ := json.Marshal(k) // a string always marshals
		if !empty {
			out.WriteByte(',')
		}
		empty = false
		out.Write(name)
		out.WriteByte(':')
		out.Write(val)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// MarshalPositional marshals values as a JSON array, for methods that take positional parameters
// (task.commentitem.add and friends). Trailing values that marshal to null are dropped so that unset
// optional parameters at the end are not sent at all (the server would see an explicit null);
// nulls in the middle stay, since they hold the place of later values.
func MarshalPositional(values ...any) ([]byte, error) {
	parts := make([][]byte, len(values))
	for i, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("b24.MarshalPositional: value %d: %w", i, err)
		}
		parts[i] = b
	}
	n := len(parts)
	for n > 0 && bytes.Equal(parts[n-1], []byte("null")) {
		n--
	}
	return append(append([]byte{'['}, bytes.Join(parts[:n], []byte{','})...), ']'), nil
}

// MarshalShort marshals v as MarshalWithExtra does, then sends the value of key alone when it is the
// only key set: the short form of a structure the portal takes either way, like an attachment that is
// {"ID": 1, "COLOR_TOKEN": "primary", "BLOCKS": [...]} or just its list of blocks.
func MarshalShort(v any, extra map[string]any, key string) ([]byte, error) {
	b, err := MarshalWithExtra(v, extra)
	if err != nil {
		return nil, err
	}
	var have map[string]json.RawMessage
	if err := json.Unmarshal(b, &have); err != nil {
		return nil, fmt.Errorf("b24.MarshalShort: %T: %w", v, err)
	}
	if short, ok := have[key]; ok && len(have) == 1 {
		return short, nil
	}
	return b, nil
}

// UnmarshalShort decodes b into v, a structure whose short form is the value of key alone: a JSON
// array is that value, anything else is the whole structure.
func UnmarshalShort(b []byte, v any, key string) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		name, _ := json.Marshal(key) // a string always marshals
		b = bytes.Join([][]byte{[]byte("{"), name, []byte(":"), t, []byte("}")}, nil)
	}
	return json.Unmarshal(b, v)
}

// DecodeObject decodes b into v when b is a JSON object and leaves v untouched for any other value;
// a key whose value does not fit its field leaves that field zero instead of failing the whole
// result. Generated result structures decode through it: Bitrix24 answers an empty object as []
// (PHP's empty array) and a missing one as false or null, and a field may come in another JSON type
// than the docs say. When the structure has an Extra map[string]json.RawMessage (tagged "-"), the
// keys it does not declare and the values that did not fit go there as they came: nothing of the
// answer is lost. A b that is not JSON, or another value than an object or those that stand for
// none ([], null, false, ""), is an error: nested, the value then goes to the parent's Extra as
// it came ("undefined" where an object was documented).
//
// v is a non-nil pointer to a struct. One reflective function rather than a generic one: every
// generated result type decodes through it, and a generic body would be compiled again for each.
func DecodeObject(b []byte, v any) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		switch string(b) {
		case "", "[]", "null", "false", `""`:
			return nil
		}
		return fmt.Errorf("b24: %.40s is not an object", b)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("b24.DecodeObject: %T is not a non-nil pointer to a struct", v)
	}
	t := rv.Elem().Type()
	x := reflect.New(t)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	info := resultInfoOf(t)
	extra := map[string]json.RawMessage{}
	if json.Unmarshal(b, x.Interface()) != nil {
		x = reflect.New(t) // the failed decoding may have set some fields
		// Each key on its own; sorted, so that a key the type sees twice (JSON names match
		// case-insensitively) decodes the same way every time.
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			one, _ := json.Marshal(map[string]json.RawMessage{k: keys[k]}) // raw values marshal as they are
			if json.Unmarshal(one, reflect.New(t).Interface()) == nil {
				_ = json.Unmarshal(one, x.Interface()) // decoded alone just above, so it fits
			} else {
				extra[k] = keys[k]
			}
		}
	}
	if info.extra != nil {
		for k, raw := range keys {
			if !info.declares(k) {
				extra[k] = raw
			}
		}
		if len(extra) > 0 {
			x.Elem().FieldByIndex(info.extra).Set(reflect.ValueOf(extra))
		}
	}
	rv.Elem().Set(x.Elem())
	return nil
}

// MarshalResult writes a result structure back as it came: its fields, with each key of extra (a
// key it does not declare, or a value that did not fit its field) in place of the field's zero or
// after the fields, sorted.
func MarshalResult(v any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	members, err := jsonobj.Members(b)
	if err != nil {
		return nil, fmt.Errorf("b24.MarshalResult: %T: %w", v, err)
	}
	var out bytes.Buffer
	out.WriteByte('{')
	written := map[string]bool{}
	write := func(k string, raw json.RawMessage) {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		name, _ := json.Marshal(k) // a string always marshals
		out.Write(name)
		out.WriteByte(':')
		out.Write(raw)
		written[k] = true
	}
	for _, m := range members {
		if raw, ok := extra[m.Key]; ok {
			write(m.Key, raw)
			continue
		}
		write(m.Key, m.Value)
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if !written[k] {
			write(k, extra[k])
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// resultInfo is what DecodeObject needs to know of a result structure: its JSON names and where its
// Extra map is.
type resultInfo struct {
	fields []resultField
	extra  []int // the index of Extra; nil when the structure has none
}

// resultField is one field a structure decodes: its JSON name and its index.
type resultField struct {
	name  string
	index []int
}

func (r *resultInfo) declares(key string) bool {
	for _, f := range r.fields {
		if strings.EqualFold(f.name, key) { // encoding/json matches names so
			return true
		}
	}
	return false
}

var resultInfos sync.Map // reflect.Type → *resultInfo

func resultInfoOf(t reflect.Type) *resultInfo {
	if v, ok := resultInfos.Load(t); ok {
		return v.(*resultInfo)
	}
	info := &resultInfo{}
	rawMap := reflect.TypeFor[map[string]json.RawMessage]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported():
		case name == "-":
			if f.Type == rawMap && f.Name == "Extra" || info.extra == nil && f.Type == rawMap {
				info.extra = f.Index
			}
		case name == "":
			info.fields = append(info.fields, resultField{f.Name, f.Index})
		default:
			info.fields = append(info.fields, resultField{name, f.Index})
		}
	}
	v, _ := resultInfos.LoadOrStore(t, info)
	return v.(*resultInfo)
}
