package openapi

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// obj is a JSON object whose keys keep the order they were added in, so that the document is the
// same bytes on every run without sorting what reads better in another order (openapi, info, paths).
// Values are string, bool, int, float64, obj, []any or []string.
type obj []pair

type pair struct {
	k string
	v any
}

// set adds a key; the caller never adds one twice.
func (o *obj) set(k string, v any) { *o = append(*o, pair{k, v}) }

// text adds a key with a text unless the text is empty.
func (o *obj) text(k, v string) {
	if v != "" {
		o.set(k, v)
	}
}

// get is the value of a key, nil when absent.
func (o obj) get(k string) any {
	for _, p := range o {
		if p.k == k {
			return p.v
		}
	}
	return nil
}

// writeJSON prints v as indented JSON (two spaces), as encoding/json's MarshalIndent would with
// SetEscapeHTML(false), without reflection.
func writeJSON(b *bytes.Buffer, v any, depth int) {
	switch x := v.(type) {
	case obj:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, p := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			quote(b, p.k)
			b.WriteString(": ")
			writeJSON(b, p.v, depth+1)
		}
		newline(b, depth)
		b.WriteByte('}')
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			writeJSON(b, e, depth+1)
		}
		newline(b, depth)
		b.WriteByte(']')
	case []string:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			quote(b, e)
		}
		newline(b, depth)
		b.WriteByte(']')
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
		panic("openapi: cannot print a value of this type")
	}
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

// yamlNode is v as a YAML node tree, in the same order; strings are tagged !!str so that the
// encoder quotes those that would read as another type ("200", "Y", "true").
func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case obj:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(x))}
		for _, p := range x {
			n.Content = append(n.Content, scalar("!!str", p.k), yamlNode(p.v))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(x)), Style: yaml.FlowStyle}
		for _, e := range x {
			c := yamlNode(e)
			if c.Kind != yaml.ScalarNode {
				n.Style = 0 // flow style only for a list of scalars: [Y, N]
			}
			n.Content = append(n.Content, c)
		}
		return n
	case []string:
		// a list of words (type, required, enum, tags) on one line
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(x)), Style: yaml.FlowStyle}
		for _, e := range x {
			n.Content = append(n.Content, scalar("!!str", e))
		}
		return n
	case string:
		return scalar("!!str", x)
	case bool:
		return scalar("!!bool", strconv.FormatBool(x))
	case int:
		return scalar("!!int", strconv.Itoa(x))
	case float64:
		return scalar("!!float", strconv.FormatFloat(x, 'g', -1, 64))
	case nil:
		return scalar("!!null", "null")
	}
	panic("openapi: cannot print a value of this type")
}

func scalar(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
