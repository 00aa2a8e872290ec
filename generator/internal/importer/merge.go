package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
	"gopkg.in/yaml.v3"
)

// Note is something the merge changed in a curated file that a person should look at.
type Note struct {
	Method string
	Item   string
	Text   string
}

// Key orders of the output: as in the examples of spec/README.md. Keys of an existing file that
// are not listed here are kept after the known ones, in their order.
var (
	methodOrder = []string{"spec", "method", "api", "scope", "kind", "summary", "docs", "source", "go_name", "deprecated", "positional", "list", "drop", "one_of", "upload", "params", "result", "example", "opi"}
	paramOrder  = []string{"name", "type", "required", "cli", "go_name", "bool", "default", "enum", "summary", "fix", "filename", "free", "fields"}
	resultOrder = []string{"type", "bool", "summary", "fields", "fix"}
)

// globalFlags are the CLI's own flags: a param option may not take their names.
var globalFlags = []string{"url", "token", "timeout", "sandbox", "verbose", "help", "json"}

func str(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// typeNode writes a type; list types in double quotes, as the hand-written files do.
func typeNode(t string) *yaml.Node {
	n := str(t)
	if strings.HasPrefix(t, "[") {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func boolNode(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
}

// mapping is an ordered view of a YAML mapping node.
type mapping struct {
	keys []string
	vals map[string]*yaml.Node
}

func readMapping(n *yaml.Node) *mapping {
	m := &mapping{vals: map[string]*yaml.Node{}}
	if n == nil || n.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if _, dup := m.vals[k]; dup {
			continue
		}
		m.keys = append(m.keys, k)
		m.vals[k] = n.Content[i+1]
	}
	return m
}

// summaryEN is the English summary of a method file, "" without one.
func summaryEN(doc *yaml.Node) string {
	return readMapping(readMapping(doc).vals["summary"]).str("en")
}

func (m *mapping) str(k string) string {
	if v := m.vals[k]; v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func (m *mapping) set(k string, v *yaml.Node) {
	if v == nil {
		m.del(k)
		return
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *mapping) del(k string) {
	if _, ok := m.vals[k]; !ok {
		return
	}
	delete(m.vals, k)
	for i, x := range m.keys {
		if x == k {
			m.keys = append(m.keys[:i], m.keys[i+1:]...)
			break
		}
	}
}

// node renders the mapping: keys of order first, then the others as they came.
func (m *mapping) node(order []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	done := map[string]bool{}
	for _, k := range order {
		if v := m.vals[k]; v != nil {
			n.Content = append(n.Content, str(k), v)
			done[k] = true
		}
	}
	for _, k := range m.keys {
		if !done[k] {
			n.Content = append(n.Content, str(k), m.vals[k])
		}
	}
	return n
}

// merger merges one imported method into the existing file's document (nil for a new file).
type merger struct {
	method string
	notes  []Note
}

func (g *merger) note(item, format string, a ...any) {
	g.notes = append(g.notes, Note{Method: g.method, Item: item, Text: fmt.Sprintf(format, a...)})
}

// render returns the file's bytes for method m merged into old (nil when the file is new).
func (g *merger) render(m *iMethod, old *yaml.Node) ([]byte, error) {
	prev := readMapping(old)
	out := &mapping{vals: map[string]*yaml.Node{}}
	// keep unknown keys of the old file (in their order) so that nothing is silently lost
	for _, k := range prev.keys {
		out.set(k, prev.vals[k])
	}
	out.set("spec", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
	out.set("method", str(m.Name))
	switch {
	case m.Scope != "":
		out.set("scope", str(m.Scope))
	case prev.str("scope") == "":
		out.set("scope", str("basic"))
		g.note("scope", "the schema gives no scope: written as basic")
	}
	out.del("api")
	if m.API == spec.API3 {
		out.set("api", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "3"})
	}
	out.set("kind", str(m.Kind))
	if m.Docs != "" {
		out.set("docs", str(m.Docs))
	}
	out.del("source")
	if m.FromDocs {
		out.set("source", str("docs"))
	}
	out.del("deprecated")
	if m.Deprecated {
		d := &yaml.Node{Kind: yaml.MappingNode}
		if m.Successor != "" {
			d.Content = []*yaml.Node{str("successor"), str(m.Successor)}
		}
		out.set("deprecated", d)
	}
	out.del("positional")
	if m.Positional {
		out.set("positional", boolNode(true))
	}
	if m.List != nil && prev.vals["list"] == nil { // a list shape in the file is kept: it may be curated
		l := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		if m.List.Rows != "" {
			l.Content = append(l.Content, str("rows"), str(m.List.Rows))
		}
		if m.List.ID != "" {
			l.Content = append(l.Content, str("id"), str(m.List.ID))
		}
		if m.List.Cursor != "" {
			l.Content = append(l.Content, str("cursor"), str(m.List.Cursor))
		}
		if m.List.Seek != "" {
			l.Content = append(l.Content, str("seek"), str(m.List.Seek))
		}
		if m.List.Limit > 0 {
			l.Content = append(l.Content, str("limit"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(m.List.Limit)})
		}
		out.set("list", l)
	}
	dropped := map[string]bool{}
	if d := prev.vals["drop"]; d != nil && d.Kind == yaml.SequenceNode {
		for _, it := range d.Content {
			dropped[readMapping(it).str("name")] = true
		}
	}
	out.del("one_of")
	if len(m.OneOf) > 0 {
		groups := &yaml.Node{Kind: yaml.SequenceNode}
		for _, grp := range m.OneOf {
			n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, name := range grp {
				n.Content = append(n.Content, str(name))
			}
			groups.Content = append(groups.Content, n)
		}
		out.set("one_of", groups)
	}
	params := g.params(prev.vals["params"], m.Params, dropped, "")
	if m.Positional {
		inOrder(params, m.Params)
	}
	g.cli(params)
	seq := &yaml.Node{Kind: yaml.SequenceNode, Content: params}
	if len(params) == 0 {
		seq.Style = yaml.FlowStyle
	}
	out.set("params", seq)
	out.set("result", g.result(prev.vals["result"], m.Result, m.Answer))
	if m.Example != "" {
		ex := str(m.Example)
		ex.Style = yaml.LiteralStyle
		out.set("example", ex)
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{out.node(methodOrder)}}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// params merges a list of params (or fields, when path != ""). Existing ones keep their order,
// new ones follow in schema order.
func (g *merger) params(old *yaml.Node, schema []*iParam, dropped map[string]bool, path string) []*yaml.Node {
	byName := map[string]*iParam{}
	for _, p := range schema {
		byName[p.Name] = p
	}
	var out []*yaml.Node
	have := map[string]bool{}
	if old != nil && old.Kind == yaml.SequenceNode {
		for _, n := range old.Content {
			pm := readMapping(n)
			name := pm.str("name")
			have[name] = true
			sp := byName[name]
			switch {
			case pm.vals["fix"] != nil:
				out = append(out, n) // a fixed param is the spec's word: kept whole
			case sp == nil:
				g.note(path+name, "no longer in the schema: removed (add fix to keep it)")
			default:
				out = append(out, g.param(pm, sp, path))
			}
		}
	}
	for _, p := range schema {
		if have[p.Name] || (path == "" && dropped[p.Name]) {
			continue
		}
		out = append(out, g.param(readMapping(nil), p, path))
	}
	g.goNames(out, path)
	return out
}

// inOrder sorts a positional method's params as the import has them: their order is the wire's. A
// param the import lacks (kept by fix) stays after them.
func inOrder(params []*yaml.Node, order []*iParam) {
	at := make(map[string]int, len(order))
	for i, p := range order {
		at[p.Name] = i
	}
	pos := func(n *yaml.Node) int {
		if i, ok := at[readMapping(n).str("name")]; ok {
			return i
		}
		return len(order)
	}
	sort.SliceStable(params, func(i, j int) bool { return pos(params[i]) < pos(params[j]) })
}

// param merges one schema param into the existing param pm (empty for a new one).
func (g *merger) param(pm *mapping, sp *iParam, path string) *yaml.Node {
	item := path + sp.Name
	out := &mapping{vals: map[string]*yaml.Node{}}
	for _, k := range pm.keys {
		out.set(k, pm.vals[k])
	}
	out.set("name", str(sp.Name))
	typ := sp.Type
	out.set("type", typeNode(typ))
	if t := pm.str("type"); t != "" && (sp.Rule == "" || t == sp.Type || isNamedType(t)) {
		// a shape rule is evidence the schema lacks: it replaces a type that came from the schema,
		// but not a named structure, which a person chose
		if compatible(sp.Base, t) || t == sp.Type {
			typ = t
			out.set("type", pm.vals["type"]) // as written, quotes included
		} else {
			g.note(item, "type %s does not fit the schema's %s: now %s", t, sp.Base, sp.Type)
		}
	}
	out.del("required")
	if sp.Required {
		out.set("required", boolNode(true))
	}
	switch {
	case typ != "boolean":
		out.del("bool")
	case sp.Bool != "":
		out.set("bool", str(sp.Bool))
	}
	switch {
	case typ != "base64":
		out.del("filename")
	case sp.FileName != "":
		out.set("filename", str(sp.FileName))
	}
	out.del("free")
	out.del("fields")
	if isObjectType(typ) && len(sp.Fields) > 0 {
		if sp.Free != "" {
			out.set("free", str(sp.Free))
		}
		out.set("fields", &yaml.Node{Kind: yaml.SequenceNode, Content: g.params(pm.vals["fields"], sp.Fields, nil, item+".")})
	} else if pm.vals["fields"] != nil && !isObjectType(typ) {
		g.note(item, "fields dropped: the type is now %s", typ)
	}
	return out.node(paramOrder)
}

// result merges the schema's result into the existing one; a result with fix is kept whole and
// a result the schema does not document is kept as the spec has it. A type that cannot decode
// the example's result becomes any.
func (g *merger) result(old *yaml.Node, r *iParam, answer json.RawMessage) *yaml.Node {
	pm := readMapping(old)
	if old != nil && (pm.vals["fix"] != nil || r == nil) {
		return old
	}
	if r == nil {
		return nil
	}
	out := &mapping{vals: map[string]*yaml.Node{}}
	for _, k := range pm.keys {
		out.set(k, pm.vals[k])
	}
	// the page's own answer is the better witness than its return table: a type that cannot
	// decode it would fail on the real portal too, so such a result stays raw JSON
	typ, base := r.Type, r.Base
	if !fits(typ, answer) {
		typ, base = "any", "any"
	}
	out.set("type", typeNode(typ))
	t := pm.str("type")
	if r.Rule != "" && !isNamedType(t) {
		// the answer is evidence the schema lacks: it replaces a type that came from the schema
		switch {
		case t == "" || t == "any" || t == typ:
		case fits(t, answer):
			g.note("result", "type %s is now %s, which the example's result shows", t, typ)
		default:
			g.note("result", "type %s cannot decode the example's result: now %s, from the answer", t, typ)
		}
		t = ""
	}
	switch {
	case t == "" && typ != r.Type:
		g.note("result", "the schema's %s cannot decode the example's result: written as any", r.Type)
	case t == "":
	case !compatible(base, t):
		g.note("result", "type %s does not fit the schema's %s: now %s", t, base, typ)
	case !fits(t, answer):
		g.note("result", "type %s cannot decode the example's result: now %s", t, typ)
	default:
		typ = t
		out.set("type", pm.vals["type"])
	}
	out.del("bool")
	if typ == "boolean" && r.Bool != "" {
		out.set("bool", str(r.Bool))
	}
	out.del("fields")
	if isObjectType(typ) && len(r.Fields) > 0 {
		out.set("fields", &yaml.Node{Kind: yaml.SequenceNode, Content: g.params(pm.vals["fields"], r.Fields, nil, "result.")})
	}
	return out.node(resultOrder)
}

// fits reports whether a built-in result type can decode v, with the leniency of
// the runtime (numbers as strings, Y/N booleans, [] for an empty object).
func fits(typ string, v json.RawMessage) bool {
	var x any
	if len(v) == 0 {
		return true // no example to check against
	}
	if json.Unmarshal(v, &x) != nil {
		return false
	}
	if x == nil {
		return true
	}
	switch typ {
	case "boolean":
		switch b := x.(type) {
		case bool:
			return true
		case float64:
			return b == 0 || b == 1
		case string:
			switch strings.ToUpper(b) {
			case "Y", "N", "1", "0", "TRUE", "FALSE", "":
				return true
			}
		}
		return false
	case "integer", "id", "number":
		f, ok := x.(float64)
		if s, isStr := x.(string); isStr {
			if s == "" {
				return true
			}
			var err error
			f, err = strconv.ParseFloat(s, 64)
			ok = err == nil
		}
		return ok && (typ == "number" || f == math.Trunc(f))
	case "string", "date", "datetime":
		switch x.(type) {
		case string, float64, bool:
			return true
		}
		return false
	case "object":
		switch o := x.(type) {
		case map[string]any:
			return true
		case []any:
			return len(o) == 0
		}
		return false
	case "[]integer", "[]string":
		_, ok := x.([]any)
		return ok
	}
	return true
}

func isNamedType(t string) bool {
	t = strings.TrimPrefix(t, "[]")
	return t != "" && unicode.IsUpper(rune(t[0]))
}

func isObjectType(t string) bool { return t == "object" || t == "[]object" || t == "map[string]object" }

// compatible reports whether a type the spec chose still fits the schema's base type; then the
// spec's (more precise) choice is kept.
func compatible(base, t string) bool {
	named := t != "" && unicode.IsUpper(rune(t[0]))
	list := strings.HasPrefix(t, "[]")
	switch base {
	case "", "any":
		return true
	case "integer", "number":
		return t == "id" || t == "integer" || t == "number" || t == "boolean"
	case "string", "char":
		switch t {
		case "string", "dialog_id", "boolean", "date", "datetime", "base64", "file", "file_data", "id", "integer":
			return true
		}
	case "boolean":
		return t == "boolean"
	case "date", "datetime":
		return t == "date" || t == "datetime" || t == "string"
	case "object":
		return t == "object" || t == "any" || t == "file_data" || named || strings.HasPrefix(t, "map[") || (list && t != "[]any" && (t == "[]object" || unicode.IsUpper(rune(t[2]))))
	case "array":
		return list || t == "object" || named || strings.HasPrefix(t, "map[") || t == "any"
	case "file":
		return t == "file" || t == "base64" || t == "file_data" || t == "string"
	}
	return false
}

// cli gives an explicit option to every top-level param whose default option (its wire name in
// kebab case) is taken: by a global flag of the CLI (→ "param-<kebab>") or by an earlier param
// of the method (→ "<kebab>-2", "-3", ...). Options set in the file already are kept as they are.
func (g *merger) cli(params []*yaml.Node) {
	taken := map[string]bool{}
	for _, f := range globalFlags {
		taken[f] = true
	}
	for _, n := range params {
		if c := readMapping(n).str("cli"); c != "" {
			taken[c] = true
		}
	}
	for _, n := range params {
		pm := readMapping(n)
		if pm.str("cli") != "" {
			continue
		}
		k := spec.Kebab(pm.str("name"))
		opt := k
		if taken[opt] {
			if contains(globalFlags, k) {
				opt = "param-" + k
			}
			for i := 2; taken[opt]; i++ {
				opt = fmt.Sprintf("%s-%d", k, i)
			}
			setKey(n, "cli", str(opt), paramOrder)
			g.note(pm.str("name"), "CLI option --%s (--%s is taken)", opt, k)
		}
		taken[opt] = true
	}
}

// goNames gives an explicit go_name to a param whose name differs from an earlier one of the same
// list only in case or underscores (department.get has sort and SORT), since both would get the
// same Go field name: the later one becomes <CamelCase>2 (SORT → Sort2, id after ID → ID2).
func (g *merger) goNames(params []*yaml.Node, path string) {
	seen := map[string]bool{}
	for _, n := range params {
		pm := readMapping(n)
		key := model.Camel(pm.str("name"))
		if pm.str("go_name") == "" && seen[key] {
			gn := model.SecondName(key)
			setKey(n, "go_name", str(gn), paramOrder)
			g.note(path+pm.str("name"), "Go name %s (another param differs only in case)", gn)
		}
		seen[key] = true
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// setKey sets a key of a mapping node in place, keeping the order given.
func setKey(n *yaml.Node, k string, v *yaml.Node, order []string) {
	m := readMapping(n)
	m.set(k, v)
	*n = *m.node(order)
}
