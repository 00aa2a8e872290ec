// Package jsonobj keeps a JSON object's members in order, which encoding/json's maps forget: it
// reads them in the order written (the old task methods take their values in that order) and
// writes them in the order added.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
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

// Ordered is a JSON object that keeps its members in the order they were added, which a Go map
// would sort: a helper's template as written, a schema's properties in the spec's order, the
// OpenAPI document's keys as they read best. Write prints the common values without reflection.
type Ordered []Pair

// Pair is one member of an Ordered object.
type Pair struct {
	Key   string
	Value any
}

// Of makes an object of keys and values, alternating: Of("type", "string", "format", "date").
func Of(kv ...any) Ordered {
	o := make(Ordered, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Set adds a member; the caller never adds a key twice.
func (o *Ordered) Set(k string, v any) { *o = append(*o, Pair{k, v}) }

// Text adds a member with a text, unless the text is empty.
func (o *Ordered) Text(k, v string) {
	if v != "" {
		o.Set(k, v)
	}
}

// Get is the value of a key, nil when absent.
func (o Ordered) Get(k string) any {
	for _, p := range o {
		if p.Key == k {
			return p.Value
		}
	}
	return nil
}

// MarshalJSON writes the members in order, compact; none is {}.
func (o Ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, o, false); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Write appends v to b as JSON, indented by two spaces when indent is set (as encoding/json's
// MarshalIndent would print it, without HTML escaping). Ordered, []any, []string, string, bool,
// int, float64 and nil are printed here; any other value through Marshal.
func Write(b *bytes.Buffer, v any, indent bool) error {
	return write(b, v, indent, 0)
}

func write(b *bytes.Buffer, v any, indent bool, depth int) error {
	switch x := v.(type) {
	case Ordered:
		return writeList(b, indent, depth, '{', '}', len(x), func(i int) error {
			quote(b, x[i].Key)
			b.WriteByte(':')
			if indent {
				b.WriteByte(' ')
			}
			return write(b, x[i].Value, indent, depth+1)
		})
	case *Ordered:
		return write(b, *x, indent, depth)
	case []any:
		return writeList(b, indent, depth, '[', ']', len(x), func(i int) error { return write(b, x[i], indent, depth+1) })
	case []string:
		return writeList(b, indent, depth, '[', ']', len(x), func(i int) error { quote(b, x[i]); return nil })
	case string:
		quote(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case nil:
		b.WriteString("null")
	default:
		out, err := Marshal(v)
		if err != nil {
			return err
		}
		if indent {
			var ib bytes.Buffer
			if err := json.Indent(&ib, out, strings.Repeat("  ", depth), "  "); err != nil {
				return err
			}
			out = ib.Bytes()
		}
		b.Write(out)
	}
	return nil
}

// writeList prints n items between open and close, each by item, one a line when indented.
func writeList(b *bytes.Buffer, indent bool, depth int, open, close byte, n int, item func(int) error) error {
	b.WriteByte(open)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if indent {
			newline(b, depth+1)
		}
		if err := item(i); err != nil {
			return err
		}
	}
	if indent && n > 0 {
		newline(b, depth)
	}
	b.WriteByte(close)
	return nil
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	for range depth {
		b.WriteString("  ")
	}
}

const hex = "0123456789abcdef"

// quote prints s as a JSON string: quotes, backslashes and control characters escaped, and U+2028
// and U+2029, which JavaScript does not take raw; everything else as it is (UTF-8).
func quote(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' {
				b.WriteString(s[start:i])
				b.WriteString(`\u202`)
				b.WriteByte(hex[r&0xF])
				start = i + size
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		}
		i++
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
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
