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

// Ordered is a JSON object that keeps its keys in the order they were added, which a Go map would
// sort: a helper's template as written, a schema's properties in the spec's order.
type Ordered struct {
	Keys   []string
	Values []any
}

// Add appends a key and its value.
func (o *Ordered) Add(key string, v any) {
	o.Keys = append(o.Keys, key)
	o.Values = append(o.Values, v)
}

// MarshalJSON writes the members in order, with Marshal; none is {}.
func (o *Ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := Marshal(o.Values[i])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Marshal is json.Marshal without HTML escaping: & in a URL stays &.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
