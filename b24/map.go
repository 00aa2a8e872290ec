package b24

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Map is a result whose keys are data, not names: users by ID ({"15": {...}}), entries by code. PHP
// sends an empty one as [] and one keyed 0, 1, … as a list; both decode (the list's keys are "0",
// "1", …). It encodes as a JSON object.
type Map[V any] map[string]V

func (m *Map[V]) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var l []V
		if err := json.Unmarshal(t, &l); err != nil {
			return err
		}
		out := make(Map[V], len(l))
		for i, v := range l {
			out[strconv.Itoa(i)] = v
		}
		*m = out
		return nil
	}
	var x map[string]V
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*m = x
	return nil
}
