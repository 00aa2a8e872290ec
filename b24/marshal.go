package b24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
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
