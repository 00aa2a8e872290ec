package spec

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// file is the decoding state of one YAML file: walking yaml.Node by hand rather than decoding
// into structs is what lets every problem carry its line and column.
type file struct {
	path   string // as shown in errors: the folder given to Load joined with rel, or a Source's Name, "/" and rel
	rel    string // inside the tree, forward slashes
	ns     string // namespace folder
	fsys   fs.FS  // the source's files
	source int    // the source's index: later sources overlay earlier ones
	folder string // the source's Name, "" for the first source
	src    []byte
	errs   ErrorList
	// of a method that overlays changed: the file each node of an overlay was written in.
	// A node not listed is this file's.
	origin map[*yaml.Node]*file
}

// of is the file that wrote n.
func (f *file) of(n *yaml.Node) *file {
	if g := f.origin[n]; g != nil {
		return g
	}
	return f
}

func (f *file) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: f.path}
	}
	return Pos{File: f.of(n).path, Line: n.Line, Col: n.Column}
}

func (f *file) errf(n *yaml.Node, format string, args ...any) {
	f.errs.add(f.pos(n), format, args...)
}

// describe names a node's YAML kind for "must be X, found Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int":
			return "the integer " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!null":
			return "no value"
		}
		return fmt.Sprintf("%s %s", n.ShortTag(), n.Value)
	}
	return "an unexpected node"
}

// fields is one YAML mapping checked against the keys it may hold.
type fields struct {
	f    *file
	node *yaml.Node // the mapping (or the bad node standing for it)
	what string     // "method", "param", ... for messages
	// the accepted key and value nodes, in file order: a spec mapping has a dozen keys at most,
	// where a scan beats a map, and there are tens of thousands of mappings in the full spec
	pairs []*yaml.Node
}

// lookup returns the key and value nodes of key, nil when absent.
func (m *fields) lookup(key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.pairs); i += 2 {
		if m.pairs[i].Value == key {
			return m.pairs[i], m.pairs[i+1]
		}
	}
	return nil, nil
}

// mapping checks that n is a mapping with only the allowed keys, each at most once.
// On a wrong kind it reports the problem and returns an empty set, so that callers
// carry on and report what else they can.
func (f *file) mapping(n *yaml.Node, what string, allowed ...string) *fields {
	m := &fields{f: f, node: n, what: what}
	if n.Kind != yaml.MappingNode {
		f.errf(n, "%s must be a mapping, found %s", what, describe(n))
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			f.errf(k, "a key of %s must be a plain name, found %s", what, describe(k))
			continue
		}
		if prev, _ := m.lookup(k.Value); prev != nil {
			f.errf(k, "key %q is repeated in %s (first at line %d)", k.Value, what, prev.Line)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			f.errf(k, "unknown key %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
			continue
		}
		if v.Kind == yaml.AliasNode {
			f.errf(v, "YAML aliases are not supported: write %q out", k.Value)
			continue
		}
		if m.pairs == nil {
			m.pairs = make([]*yaml.Node, 0, len(n.Content))
		}
		m.pairs = append(m.pairs, k, v)
	}
	return m
}

// require reports every listed key that is absent.
func (m *fields) require(keys ...string) {
	if m.node.Kind != yaml.MappingNode {
		return // already reported as a wrong kind
	}
	for _, k := range keys {
		if !m.has(k) {
			m.f.errf(m.node, "missing key %q in %s", k, m.what)
		}
	}
}

func (m *fields) has(key string) bool { return m.get(key) != nil }

// get returns the value node of key, nil when absent.
func (m *fields) get(key string) *yaml.Node { _, v := m.lookup(key); return v }

// key returns the key node of key (for errors about the key as a whole), nil when absent.
func (m *fields) key(key string) *yaml.Node { k, _ := m.lookup(key); return k }

// str returns a string value; anything but a YAML string is reported (quote numbers and Y/N-like values).
func (m *fields) str(key string) string {
	v := m.get(key)
	if v == nil {
		return ""
	}
	return m.f.scalarString(v, key)
}

func (f *file) scalarString(v *yaml.Node, key string) string {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		if v.Kind == yaml.ScalarNode && v.ShortTag() != "!!null" {
			f.errf(v, "%q must be a string, found %s (quote it)", key, describe(v))
		} else {
			f.errf(v, "%q must be a string, found %s", key, describe(v))
		}
		return ""
	}
	return v.Value
}

// boolean returns a true/false value.
func (m *fields) boolean(key string) bool {
	v := m.get(key)
	if v == nil {
		return false
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
		m.f.errf(v, "%q must be true or false, found %s", key, describe(v))
		return false
	}
	return strings.EqualFold(v.Value, "true")
}

// list returns the items of a sequence value.
func (m *fields) list(key string) []*yaml.Node {
	v := m.get(key)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		m.f.errf(v, "%q must be a list, found %s", key, describe(v))
		return nil
	}
	var out []*yaml.Node
	for _, it := range v.Content {
		if it.Kind == yaml.AliasNode {
			m.f.errf(it, "YAML aliases are not supported: write the item of %q out", key)
			continue
		}
		out = append(out, it)
	}
	return out
}

// strList returns a list of strings.
func (m *fields) strList(key string) []string {
	var out []string
	for _, it := range m.list(key) {
		if it.Kind != yaml.ScalarNode || it.ShortTag() != "!!str" {
			if it.Kind == yaml.ScalarNode && it.ShortTag() != "!!null" {
				m.f.errf(it, "items of %q must be strings, found %s (quote it)", key, describe(it))
			} else {
				m.f.errf(it, "items of %q must be strings, found %s", key, describe(it))
			}
			continue
		}
		out = append(out, it.Value)
	}
	return out
}

// text reads a {en, ru} mapping; both are required when the key is.
func (m *fields) text(key string) Text {
	v := m.get(key)
	if v == nil {
		return Text{}
	}
	t := m.f.mapping(v, fmt.Sprintf("%q", key), "en", "ru")
	t.require("en", "ru")
	out := Text{EN: t.str("en"), RU: t.str("ru")}
	for _, s := range [][2]string{{"en", out.EN}, {"ru", out.RU}} {
		for _, target := range linkTargets(s[1]) {
			if why := checkURL(target); why != "" {
				m.f.errf(t.get(s[0]), "%s.%s links to %q: %s", key, s[0], target, why)
			}
		}
	}
	return out
}

// url returns a string that the outputs print as a link: it must pass checkURL.
func (m *fields) url(key string) string {
	s := m.str(key)
	if s == "" {
		return ""
	}
	if why := checkURL(s); why != "" {
		m.f.errf(m.get(key), "%q is %q: %s", key, s, why)
		return ""
	}
	return s
}
