// Package jsonobj reads a JSON object's members in the order written, which encoding/json's maps
// forget: the old task methods take their values in that order.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Member is one key of an object and its value as written.
type Member struct {
	Key   string
	Value json.RawMessage
}

// ErrNotObject is returned for JSON that is valid but not an object.
var ErrNotObject = errors.New("not a JSON object")

// Members returns the members of the JSON object raw in order.
func Members(raw []byte) ([]Member, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	if t != json.Delim('{') {
		return nil, ErrNotObject
	}
	var out []Member
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, Member{Key: t.(string), Value: v})
	}
	if _, err := d.Token(); err != nil {
		return nil, err
	}
	return out, nil
}
