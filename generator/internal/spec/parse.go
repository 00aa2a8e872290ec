package spec

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// parsed is what one file contributes; the cross-file checks run on these once all are read.
type parsed struct {
	f       *file
	method  *Method
	event   *Event
	types   []*Struct
	helpers []*Helper
	refs    []typeRef
	names   []opiName
	words   map[string][]string // of _words.yaml
	wordsAt map[string]Pos      // where each compound is listed
	late    ErrorList           // problems found across files, reported after the file's own

	// A method file is decoded first, then parsed once its overlays are merged into root.
	root     *yaml.Node // its top node, until it is parsed
	name     string     // its method, "" when it names none
	nameNode *yaml.Node // its "method" value
	ov       *yaml.Node // its "overlay: true" value, nil when it is no overlay
	early    bool       // parsed as soon as decoded: no later source can overlay it
	folder   string     // the folder of the method's last file (see Method.Folder), once an overlay merged
	merged   bool       // an overlay: merged into the method it changes, or left out with its error
}

// opiName is one OPI name (ru, en or alias) of a function or helper; they must be unique in the spec.
type opiName struct {
	name  string
	pos   Pos
	owner *yaml.Node // the function; a function may repeat a name of its own (ru == en)
}

const (
	typesFile   = "_types.yaml"
	helpersFile = "_helpers.yaml"
	// WordsFile, at the root of the tree, lists the wire names that run words together in one case
	// (TASKID): the importer writes it, the Go names read it.
	WordsFile = "_words.yaml"
)

// parseFile decodes and parses one file of the tree on its own; problems go to the file's error list.
func parseFile(f *file) *parsed {
	p := decodeFile(f)
	if p.root != nil {
		p.parseMethod(p.root)
		p.root = nil
	}
	return p
}

// decodeFile decodes one file of the tree and parses it, but for a method file, whose top node
// it keeps in root: overlays from later folders may change it before it is parsed.
func decodeFile(f *file) *parsed {
	p := &parsed{f: f}
	root := f.document()
	if root == nil {
		return p
	}
	if path.Dir(f.rel) == EventsDir {
		p.parseEvent(root)
		return p
	}
	switch path.Base(f.rel) {
	case WordsFile:
		p.parseWords(root)
	case typesFile:
		p.parseTypes(root)
	case helpersFile:
		p.parseHelpers(root)
	default:
		p.root = root
	}
	return p
}

// document parses the YAML and returns the top-level node, or nil after reporting why not.
func (f *file) document() *yaml.Node {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(f.src))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			f.errs.add(Pos{File: f.path, Line: 1, Col: 1}, "file is empty: it must start with \"spec: 1\"")
			return nil
		}
		f.errs.add(yamlErrPos(f.path, err), "invalid YAML: %s", yamlErrMsg(err))
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		f.errf(&extra, "a spec file holds one YAML document; remove the \"---\" separator")
	} else if !errors.Is(err, io.EOF) {
		f.errs.add(yamlErrPos(f.path, err), "invalid YAML: %s", yamlErrMsg(err))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		f.errs.add(Pos{File: f.path, Line: 1, Col: 1}, "file is empty: it must start with \"spec: 1\"")
		return nil
	}
	return doc.Content[0]
}

// version checks "spec: 1".
func (m *fields) version() {
	v := m.get("spec")
	if v == nil {
		return
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Value != "1" {
		m.f.errf(v, "\"spec\" must be 1 (the format version this generator reads), found %s", describe(v))
	}
}

var methodKeys = []string{"spec", "method", "api", "scope", "kind", "summary", "docs", "source", "go_name", "deprecated", "positional", "list", "one_of", "upload", "params", "drop", "result", "example", "opi", "overlay"}

func (p *parsed) parseMethod(root *yaml.Node) {
	f := p.f
	top := f.mapping(root, "method file", methodKeys...)
	// summary is optional: imported methods have none until someone writes one
	top.require("spec", "method", "scope", "kind")
	top.version()
	m := &Method{Pos: f.pos(root), File: f.rel, Folder: cmp.Or(p.folder, f.folder)}
	p.method = m

	m.Name = top.str("method")
	if v := top.get("method"); v != nil && m.Name != "" {
		m.Pos = f.pos(v)
		in := f.of(v) // the file that wrote it: an overlay's name is checked against the overlay's file
		want := strings.TrimSuffix(path.Base(in.rel), ".yaml")
		want, m.Twin = strings.CutSuffix(want, TwinSuffix)
		switch {
		case !reMethod.MatchString(m.Name):
			f.errf(v, "invalid method name %q: %s", m.Name, ruleMethod)
		case m.Name != want:
			f.errf(v, "method %q must be in a file named after it: %s.yaml, not %s.yaml", m.Name, m.Name, want)
		case strings.SplitN(m.Name, ".", 2)[0] != in.ns:
			f.errf(v, "method %q is in folder %q: its first segment must be the folder name", m.Name, in.ns)
		}
	}
	top.boolean("overlay") // what it means is settled before parsing: here only its value is checked
	m.Scope = top.str("scope")
	if v := top.get("api"); v != nil {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Value != "3" {
			f.errf(v, "\"api\" must be 3 (a REST 3.0 method, called at /rest/api/) or absent (REST 2.0), found %s", describe(v))
		} else {
			m.API = API3
		}
	}
	if m.Twin && m.API != API3 {
		f.errf(root, "a file named %s%s.yaml holds the REST 3.0 method of a name REST 2.0 also has: it needs \"api: 3\"", m.Name, TwinSuffix)
	}
	m.Kind = top.str("kind")
	if v := top.get("kind"); v != nil && m.Kind != "" && m.Kind != KindRead && m.Kind != KindWrite {
		f.errf(v, "\"kind\" must be read or write, found %q", m.Kind)
	}
	m.Summary = top.text("summary")
	m.Docs = top.url("docs")
	if v := top.get("source"); v != nil {
		if m.Source = top.str("source"); m.Source != "docs" && m.Source != "hand" {
			f.errf(v, "\"source\" must be docs (only the docs pages document it), hand (written from a docs page no source lists) or absent, found %s", describe(v))
		}
	}
	m.GoName = p.goName(top)
	if v := top.get("deprecated"); v != nil {
		m.Deprecated = &Deprecation{}
		if v.ShortTag() != "!!null" { // a bare "deprecated:" means deprecated without a successor
			d := f.mapping(v, "\"deprecated\"", "successor")
			m.Deprecated.Successor = d.str("successor")
			if s := m.Deprecated.Successor; s != "" && !reMethod.MatchString(s) {
				f.errf(d.get("successor"), "invalid successor %q: %s", s, ruleMethod)
			}
		}
	}
	m.Positional = top.boolean("positional")
	byName := map[string]*Param{}
	byCLI := map[string]*Param{}
	for _, it := range top.list("params") {
		prm := p.param(it, "param", false)
		if prm == nil {
			continue
		}
		m.Params = append(m.Params, prm)
		if prm.Name != "" {
			if prev := byName[prm.Name]; prev != nil {
				f.errf(it, "param %q is defined twice: also at %s", prm.Name, prev.Pos)
			} else {
				byName[prm.Name] = prm
			}
		}
		if prm.CLI != "" {
			if prev := byCLI[prm.CLI]; prev != nil {
				f.errf(it, "CLI option %q of param %q is also the CLI option of param %q at %s", prm.CLI, prm.Name, prev.Name, prev.Pos)
			} else {
				byCLI[prm.CLI] = prm
			}
		}
	}
	p.checkFileNames(m.Params)
	p.drops(m, top, byName)
	p.list(m, top, byName)
	p.oneOf(m, top, byName)
	p.upload(m, top, byName)
	if v := top.get("result"); v != nil {
		r := f.mapping(v, "\"result\"", "type", "bool", "summary", "fields", "fix")
		r.require("type")
		m.Result = &Result{Type: r.str("type"), Bool: r.str("bool"), Summary: r.text("summary"), Fix: r.str("fix")}
		if t := r.get("type"); t != nil && m.Result.Type != "" {
			f.checkType(t, m.Result.Type, &p.refs, "result type")
		}
		if b := r.get("bool"); b != nil && (m.Result.Type != "boolean" || m.Result.Bool != BoolYN && m.Result.Bool != BoolJSON) {
			f.errf(b, "\"bool\" of a result must be YN or json and applies to a boolean result, found %s for %s", describe(b), m.Result.Type)
		}
		m.Result.Fields = p.nestedFields(r, m.Result.Type, "result")
	}
	if v := top.get("example"); v != nil {
		m.Example = top.str("example")
		if m.Example != "" {
			f.checkEnvelope(v, "example")
		}
	}
	for _, it := range top.list("opi") {
		if fn := p.opiFunc(it, byName); fn != nil {
			p.opiUpload(m, fn)
			m.OPI = append(m.OPI, fn)
			if m.Positional {
				for _, o := range fn.Options {
					if o.Spread {
						f.errs.add(o.Pos, "OPI option %q spreads keys into the request, but a positional method sends a list: use \"param\"", o.CLI)
					}
				}
			}
		}
	}
}

// upload reads the params of a two-step upload's first step: top-level params of a write, none a
// file's content (that goes to the uploadUrl).
func (p *parsed) upload(m *Method, top *fields, params map[string]*Param) {
	v := top.get("upload")
	if v == nil {
		return
	}
	f := p.f
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		f.errf(v, "\"upload\" lists the params of a two-step upload's first step (the method answers an uploadUrl), found %s", describe(v))
		return
	}
	if m.Kind != KindWrite {
		f.errf(v, "\"upload\" belongs to a write: an upload stores a file")
	}
	for _, n := range v.Content {
		prm := params[n.Value]
		switch {
		case n.Kind != yaml.ScalarNode || prm == nil:
			f.errf(n, "upload names %s, which is not a param of the method", describe(n))
		case prm.Type == "base64" || prm.Type == "file" || prm.Type == "file_data":
			f.errf(n, "upload names %q, a file's content: the first step goes without it, the file goes to the uploadUrl", n.Value)
		case isObject(prm.Type) || strings.HasPrefix(prm.Type, "[]") || strings.HasPrefix(prm.Type, "map["):
			f.errf(n, "upload names %q of type %s: the first step takes plain values (an ID, a name)", n.Value, prm.Type)
		default:
			m.Upload = append(m.Upload, n.Value)
		}
	}
}

// oneOf reads the either-or groups: lists of two or more top-level params of which a call needs one.
func (p *parsed) oneOf(m *Method, top *fields, params map[string]*Param) {
	f := p.f
	for _, it := range top.list("one_of") {
		if it.Kind != yaml.SequenceNode || len(it.Content) < 2 {
			f.errf(it, "items of \"one_of\" must be lists of two or more param names, found %s", describe(it))
			continue
		}
		var grp []string
		for _, n := range it.Content {
			prm := params[n.Value]
			switch {
			case n.Kind != yaml.ScalarNode || prm == nil:
				f.errf(n, "one_of names %s, which is not a param of the method", describe(n))
			case prm.Required:
				f.errf(n, "one_of names %q, which is required on its own: drop one of the two", n.Value)
			default:
				grp = append(grp, n.Value)
			}
		}
		if len(grp) == len(it.Content) {
			m.OneOf = append(m.OneOf, grp)
		}
	}
}

// list reads the list shape of a list method. Walking by ID needs the filter and order params, and
// paging needs start (any case: department.get takes START); a positional method has no names to
// page with.
func (p *parsed) list(m *Method, top *fields, params map[string]*Param) {
	v := top.get("list")
	if v == nil {
		return
	}
	f := p.f
	lm := f.mapping(v, "\"list\"", "rows", "id", "limit", "cursor", "seek")
	m.List = &List{Pos: f.pos(v), Rows: lm.str("rows"), ID: lm.str("id"), Cursor: lm.str("cursor"), Seek: lm.str("seek")}
	if l := lm.get("limit"); l != nil {
		if n, err := strconv.Atoi(l.Value); err != nil || l.ShortTag() != "!!int" || n < 1 || m.API != API3 {
			f.errf(l, "list limit: the rows a REST 3.0 list returns a request at most, a positive integer (api: 3 only)")
		} else {
			m.List.Limit = n
		}
	}
	for _, k := range []string{"rows", "id", "cursor", "seek"} {
		if s := lm.str(k); s != "" && (!reParam.MatchString(s) || s[0] >= '0' && s[0] <= '9') {
			f.errf(lm.get(k), "list %s %q: a result key is letters, digits and _, starting with a letter or _", k, s)
		}
	}
	has := func(name string) bool {
		for n := range params {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	switch {
	case m.Positional:
		f.errf(v, "a positional method cannot be a list method: it has no named start")
	case m.List.Seek != "" && (m.API != API3 || m.List.ID == "" || m.List.Cursor != "" || !has(m.List.Seek)):
		f.errf(lm.get("seek"), "list seek %q: the param of a REST 3.0 list that takes {field, order, value, limit}, walked by the list's id (api: 3, an id, no cursor, and the param itself)", m.List.Seek)
	case m.List.Seek != "":
	case m.API == API3 && !has("pagination"):
		f.errf(v, "a REST 3.0 list method pages with pagination: add the pagination param")
	case m.List.Cursor != "" && m.API != API3:
		f.errf(lm.get("cursor"), "list cursor %q: the answer's cursor of a REST 3.0 list, sent back as pagination.afterCursor (api: 3 only)", m.List.Cursor)
	case m.List.Cursor != "":
	case m.API != API3 && !has("start"):
		f.errf(v, "a list method pages with start: add the start param")
	case m.List.ID != "" && !(has("filter") && has("order")):
		f.errf(lm.get("id"), "list id %q walks the rows with filter and order: the method needs both params", m.List.ID)
	}
}

// drops reads the schema parameters a method leaves out on purpose. Their names are the schema's,
// which can be anything (UF_..., fields.COMPANY_ID): often the very reason for the drop, so they
// are not held to the wire name rule.
func (p *parsed) drops(m *Method, top *fields, params map[string]*Param) {
	f := p.f
	seen := map[string]*Drop{}
	for _, it := range top.list("drop") {
		dm := f.mapping(it, "drop", "name", "fix")
		if it.Kind != yaml.MappingNode {
			continue
		}
		dm.require("name", "fix")
		d := &Drop{Pos: f.pos(it), Name: dm.str("name"), Fix: dm.str("fix")}
		for _, k := range []string{"name", "fix"} {
			if v := dm.get(k); v != nil && v.ShortTag() == "!!str" && v.Value == "" {
				f.errf(v, "%q of a drop must not be empty", k)
			}
		}
		if d.Name != "" {
			switch prev := seen[d.Name]; {
			case params[d.Name] != nil:
				f.errf(dm.get("name"), "dropped %q is also a param of this method (at %s): keep one of them", d.Name, params[d.Name].Pos)
			case prev != nil:
				f.errf(it, "drop %q is listed twice: also at %s", d.Name, prev.Pos)
			default:
				seen[d.Name] = d
			}
		}
		m.Drop = append(m.Drop, d)
	}
}

// goName reads an optional go_name override.
func (p *parsed) goName(m *fields) string {
	s := m.str("go_name")
	if s != "" && !isGoName(s) {
		p.f.errf(m.get("go_name"), "invalid go_name %q: %s", s, ruleGoName)
	}
	return s
}

var paramKeys = []string{"name", "type", "required", "cli", "go_name", "summary", "bool", "default", "enum", "fix", "fields", "free", "filename"}

// isObject reports the types that "fields" and "free" apply to.
func isObject(t string) bool { return t == "object" || t == "[]object" || t == "map[string]object" }

// param reads a method param, a structure field or a nested field (what says which, for messages).
// nested fields (inside "fields") have no CLI option: only a method's own params become flags,
// and a structure's fields keep theirs for OPI helpers.
func (p *parsed) param(n *yaml.Node, what string, nested bool) *Param {
	f := p.f
	m := f.mapping(n, what, paramKeys...)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	m.require("name", "type")
	prm := &Param{Pos: f.pos(n)}
	prm.Name = m.str("name")
	nameOK := prm.Name != "" && reParam.MatchString(prm.Name)
	if prm.Name != "" && !nameOK {
		f.errf(m.get("name"), "invalid %s name %q: %s", what, prm.Name, ruleParam)
	}
	prm.Type = m.str("type")
	if prm.Type != "" {
		f.checkType(m.get("type"), prm.Type, &p.refs, "type")
	}
	prm.Required = m.boolean("required")
	prm.GoName = p.goName(m)
	prm.Summary = m.text("summary")
	prm.Fix = m.str("fix")
	if v := m.get("default"); v != nil {
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			f.errf(v, "\"default\" must be a single value, found %s", describe(v))
		} else {
			prm.Default = v.Value
		}
	}
	if m.has("enum") {
		prm.Enum = m.strList("enum")
	}
	if v := m.get("cli"); v != nil && nested {
		f.errf(m.key("cli"), "\"cli\" applies to a method's params only: a nested field is set through its parent's JSON")
	} else if v != nil {
		prm.CLI = m.str("cli")
		if prm.CLI != "" && !reCLI.MatchString(prm.CLI) {
			f.errf(v, "invalid CLI option %q: %s", prm.CLI, ruleCLI)
		}
	} else if prm.Name != "" && !nested {
		prm.CLI = Kebab(prm.Name)
		if !reCLI.MatchString(prm.CLI) && what == "param" && nameOK {
			f.errf(m.get("name"), "the CLI option %q derived from %q is invalid (%s): set \"cli\"", prm.CLI, prm.Name, ruleCLI)
		}
	}
	if v := m.get("bool"); v != nil {
		// 10 unquoted is the integer ten to YAML; it can only mean the 1/0 encoding, so accept it
		if v.Kind == yaml.ScalarNode && (v.ShortTag() == "!!str" || v.ShortTag() == "!!int") {
			prm.Bool = v.Value
		}
		switch {
		case !validBool(prm.Bool):
			f.errf(v, "\"bool\" must be YN, 10 or json, found %s", describe(v))
		case prm.Type != "" && prm.Type != "boolean":
			f.errf(v, "\"bool\" applies to boolean params only, this one is %s", prm.Type)
		}
	}
	switch {
	case prm.Type != "boolean":
		prm.Bool = ""
	case !validBool(prm.Bool):
		prm.Bool = BoolJSON
	}
	prm.Free = p.free(m)
	if v := m.get("free"); v != nil && prm.Free != "" && prm.Type != "" && !isObject(prm.Type) {
		f.errf(v, "\"free\" applies to object, []object or map[string]object %ss only, this one is %s", what, prm.Type)
	}
	prm.Fields = p.nestedFields(m, prm.Type, what)
	if v := m.get("filename"); v != nil {
		prm.FileName = m.str("filename")
		if prm.Type != "" && prm.Type != "base64" {
			f.errf(v, "\"filename\" applies to base64 %ss only (a file's content sent apart from its name), this one is %s", what, prm.Type)
		}
	}
	return prm
}

// checkFileNames reports a "filename" that names no string sibling.
func (p *parsed) checkFileNames(list []*Param) {
	for _, prm := range list {
		if prm.FileName == "" {
			continue
		}
		i := slices.IndexFunc(list, func(o *Param) bool { return o.Name == prm.FileName })
		if i < 0 || list[i].Type != "string" || list[i] == prm {
			p.f.errs.add(prm.Pos, "\"filename\" %q of %q: want the name of a string parameter beside it", prm.FileName, prm.Name)
		}
	}
}

// free reads an optional "free" key: which keys besides the documented ones an object takes.
func (p *parsed) free(m *fields) string {
	v := m.get("free")
	if v == nil {
		return ""
	}
	s := m.str("free")
	if v.ShortTag() == "!!str" && s != "" && s != FreeUF && s != FreeAny {
		p.f.errf(v, "\"free\" must be uf (UF_* user fields) or any (any key), found %q", s)
		return ""
	}
	return s
}

// nestedFields reads the "fields" of a param or result whose type is typ: the documented keys
// of an object, each a param of its own, as deep as needed.
func (p *parsed) nestedFields(m *fields, typ, what string) []*Param {
	v := m.get("fields")
	if v == nil {
		return nil
	}
	if typ != "" && !isObject(typ) {
		p.f.errf(m.key("fields"), "\"fields\" applies to object, []object or map[string]object %ss only, this one is %s (a named structure has its fields in %s/%s)", what, typ, p.f.ns, typesFile)
	}
	return p.fieldList(m.list("fields"), false)
}

// fieldList reads a list of fields and reports wire names used twice in it.
// top is true for a structure's own fields, which keep a CLI option.
func (p *parsed) fieldList(items []*yaml.Node, top bool) []*Param {
	var out []*Param
	var names map[string]*Param
	for _, it := range items {
		prm := p.param(it, "field", !top)
		if prm == nil {
			continue
		}
		if prm.Name != "" {
			if names == nil {
				names = map[string]*Param{}
			}
			if prev := names[prm.Name]; prev != nil {
				p.f.errf(it, "field %q is defined twice: also at %s", prm.Name, prev.Pos)
			} else {
				names[prm.Name] = prm
			}
		}
		out = append(out, prm)
	}
	p.checkFileNames(out)
	return out
}

func validBool(s string) bool { return s == BoolYN || s == Bool10 || s == BoolJSON }

var (
	opiKeys       = []string{"ru", "en", "aliases", "region", "options", "fixed"}
	opiOptionKeys = []string{"cli", "param", "spread", "upload", "keys", "ru", "en", "required", "default", "invert"}
)

// opiNames reads ru, en and aliases of an OPI function or helper and records them for the uniqueness check.
func (p *parsed) opiNames(m *fields, owner *yaml.Node) (ru, en string, aliases []string) {
	f := p.f
	check := func(s string, n *yaml.Node) {
		if s == "" {
			return
		}
		if !reOPIName.MatchString(s) {
			f.errf(n, "invalid OPI name %q: %s", s, ruleOPIName)
		}
		p.names = append(p.names, opiName{name: s, pos: f.pos(n), owner: owner})
	}
	ru, en = m.str("ru"), m.str("en")
	check(ru, m.get("ru"))
	check(en, m.get("en"))
	if m.has("aliases") {
		items := m.list("aliases")
		aliases = []string{}
		for _, it := range items {
			s := f.scalarString(it, "aliases")
			if s == "" {
				continue
			}
			aliases = append(aliases, s)
			check(s, it)
		}
	}
	return ru, en, aliases
}

// paramHead is the param an OPI option fills: FIELDS of FIELDS.TITLE.
func paramHead(p string) string {
	head, _, _ := strings.Cut(p, ".")
	return head
}

// fieldOf is the documented field key of param p, or nil.
func fieldOf(p *Param, key string) *Param {
	if p == nil {
		return nil
	}
	for _, f := range p.Fields {
		if f.Name == key {
			return f
		}
	}
	return nil
}

func (p *parsed) opiFunc(n *yaml.Node, params map[string]*Param) *OPIFunc {
	f := p.f
	m := f.mapping(n, "OPI function", opiKeys...)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	m.require("ru", "en", "region")
	fn := &OPIFunc{Pos: f.pos(n)}
	fn.RU, fn.EN, fn.Aliases = p.opiNames(m, n)
	fn.Region = m.str("region")
	byCLI := map[string]*OPIOption{}
	filled := map[string]*OPIOption{}
	for _, it := range m.list("options") {
		om := f.mapping(it, "OPI option", opiOptionKeys...)
		if it.Kind != yaml.MappingNode {
			continue
		}
		om.require("cli", "ru", "en")
		o := &OPIOption{Pos: f.pos(it), CLI: om.str("cli"), RU: om.str("ru"), EN: om.str("en")}
		if o.CLI != "" && !reCLI.MatchString(o.CLI) {
			f.errf(om.get("cli"), "invalid CLI option %q: %s", o.CLI, ruleCLI)
		}
		o.Param = om.str("param")
		o.Spread = om.boolean("spread")
		if om.has("required") {
			r := om.boolean("required")
			o.Required = &r
		}
		o.Default = om.str("default")
		o.Invert = om.boolean("invert")
		if om.has("keys") {
			o.Keys = []string{}
			for _, k := range om.list("keys") {
				key := f.scalarString(k, "keys")
				switch {
				case !o.Spread:
					f.errf(k, "OPI option %q: \"keys\" belongs to a spread option", o.CLI)
				case params[key] == nil:
					f.errf(k, "OPI option %q: key %q is not a param of this method", o.CLI, key)
				}
				o.Keys = append(o.Keys, key)
			}
		}
		if o.Invert && (o.Param == "" || params[o.Param] == nil || params[o.Param].Type != "boolean") { // top-level params only
			f.errf(om.get("invert"), "OPI option %q: \"invert\" needs a boolean param", o.CLI)
		}
		o.Upload = om.str("upload")
		switch {
		case om.has("upload") && (om.has("param") || om.has("spread")):
			f.errf(it, "OPI option %q has \"upload\" and a param: the file of an upload fills none", o.CLI)
		case om.has("upload") && o.Upload != "name" && o.Upload != "content":
			f.errf(om.get("upload"), "OPI option %q: \"upload\" is name (the file's name) or content (the file), found %q", o.CLI, o.Upload)
		case om.has("upload"):
		case om.has("param") && om.has("spread"):
			f.errf(it, "OPI option %q has both \"param\" and \"spread\": give exactly one", o.CLI)
		case !om.has("param") && !om.has("spread"):
			f.errf(it, "OPI option %q needs \"param\" (the parameter it fills) or \"spread: true\"", o.CLI)
		case om.has("spread") && !o.Spread:
			f.errf(om.get("spread"), "OPI option %q: \"spread\" can only be true; use \"param\" for an option that fills one parameter", o.CLI)
		case o.Param != "" && params[paramHead(o.Param)] == nil:
			f.errf(om.get("param"), "OPI option %q fills %q, which is not a param of this method", o.CLI, o.Param)
		case strings.Contains(o.Param, "."):
			// FIELDS.TITLE: one key of an object param; its documented field gives the type
			head, key, _ := strings.Cut(o.Param, ".")
			if fieldOf(params[head], key) == nil {
				f.errf(om.get("param"), "OPI option %q fills %q, but param %s documents no field %s", o.CLI, o.Param, head, key)
			}
			filled[head] = o
		case o.Param != "":
			filled[o.Param] = o
		}
		if o.CLI != "" {
			if prev := byCLI[o.CLI]; prev != nil {
				f.errf(om.get("cli"), "OPI option %q is used twice in %s: also at %s", o.CLI, fn.EN, prev.Pos)
			} else {
				byCLI[o.CLI] = o
			}
		}
		fn.Options = append(fn.Options, o)
	}
	if v := m.get("fixed"); v != nil {
		if v.Kind != yaml.MappingNode {
			f.errf(v, "\"fixed\" must be a mapping of param: value, found %s", describe(v))
		} else {
			seen := map[string]bool{}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				key := f.scalarString(k, "fixed")
				if key == "" {
					continue
				}
				switch {
				case seen[key]:
					f.errf(k, "fixed key %q is repeated", key)
					continue
				case params[key] == nil:
					f.errf(k, "fixed key %q is not a param of this method", key)
				case filled[key] != nil:
					f.errf(k, "fixed key %q is also filled by OPI option %q", key, filled[key].CLI)
				}
				seen[key] = true
				if x, ok := fixedValue(f, val); ok {
					fn.Fixed = append(fn.Fixed, Fixed{Key: key, Value: x})
				}
			}
		}
	}
	return fn
}

// opiUpload checks an OPI function that runs the method's two-step upload: the method has one, the
// function gives the file once, and its other options fill the first step's params.
func (p *parsed) opiUpload(m *Method, fn *OPIFunc) {
	contents, uploads := 0, 0
	for _, o := range fn.Options {
		if o.Upload != "" {
			uploads++
		}
		if o.Upload == "content" {
			contents++
		}
	}
	if uploads == 0 {
		return
	}
	switch {
	case len(m.Upload) == 0:
		p.f.errs.add(fn.Pos, "OPI function %q gives a file to upload, but %s has no \"upload\" (the params of its first step)", fn.EN, m.Name)
		return
	case contents != 1:
		p.f.errs.add(fn.Pos, "OPI function %q: one of its options has \"upload: content\" (the file), found %d", fn.EN, contents)
	}
	for _, o := range fn.Options {
		if o.Upload == "" && !slices.Contains(m.Upload, o.Param) {
			p.f.errs.add(o.Pos, "OPI option %q of an upload fills %q, which the upload's first step does not take (%s)", o.CLI, o.Param, strings.Join(m.Upload, ", "))
		}
	}
}

// fixedValue decodes a constant: only plain scalars, so that the generators can print them.
func fixedValue(f *file, n *yaml.Node) (any, bool) {
	if n.Kind == yaml.ScalarNode {
		var x any
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!bool":
			if err := n.Decode(&x); err == nil {
				switch x.(type) {
				case string, int, float64, bool:
					return x, true
				}
			}
		}
	}
	f.errf(n, "a fixed value must be a string, an integer, a number or a boolean, found %s", describe(n))
	return nil, false
}

func (p *parsed) parseTypes(root *yaml.Node) {
	f := p.f
	top := f.mapping(root, "types file", "spec", "types")
	top.require("spec", "types")
	top.version()
	seen := map[string]*Struct{}
	for _, it := range top.list("types") {
		m := f.mapping(it, "type", "name", "summary", "free", "short", "fields")
		if it.Kind != yaml.MappingNode {
			continue
		}
		m.require("name", "summary", "fields")
		s := &Struct{Pos: f.pos(it), File: f.rel, Folder: f.folder, Name: m.str("name"), Summary: m.text("summary"), Free: p.free(m)}
		if s.Name != "" {
			if !reTypeName.MatchString(s.Name) {
				f.errf(m.get("name"), "invalid type name %q: %s", s.Name, ruleTypeName)
			} else if baseTypes[strings.ToLower(s.Name)] {
				f.errf(m.get("name"), "type name %q would be confused with the built-in type %s", s.Name, strings.ToLower(s.Name))
			}
			if prev := seen[s.Name]; prev != nil {
				f.errf(it, "type %q is defined twice: also at %s", s.Name, prev.Pos)
			} else {
				seen[s.Name] = s
			}
		}
		s.Fields = p.fieldList(m.list("fields"), true)
		if v := m.get("short"); v != nil {
			s.Short = m.str("short")
			if !hasListField(s.Fields, s.Short) {
				f.errf(v, "\"short\" must name a list field of %s (the form sent when it is the only one set), found %s", s.Name, describe(v))
			}
		}
		p.types = append(p.types, s)
	}
}

// hasListField reports whether fields has a list field of that name.
func hasListField(fields []*Param, name string) bool {
	for _, fd := range fields {
		if fd.Name == name && strings.HasPrefix(fd.Type, "[]") {
			return true
		}
	}
	return false
}

var (
	helperKeys       = []string{"ru", "en", "aliases", "region", "summary", "result", "options", "template", "clear"}
	helperOptionKeys = []string{"cli", "ru", "en", "type", "required", "summary"}
)

func (p *parsed) parseHelpers(root *yaml.Node) {
	f := p.f
	top := f.mapping(root, "helpers file", "spec", "helpers")
	top.require("spec", "helpers")
	top.version()
	for _, it := range top.list("helpers") {
		m := f.mapping(it, "helper", helperKeys...)
		if it.Kind != yaml.MappingNode {
			continue
		}
		m.require("ru", "en", "region", "summary", "result", "template")
		h := &Helper{Pos: f.pos(it), File: f.rel}
		h.RU, h.EN, h.Aliases = p.opiNames(m, it)
		h.Region = m.str("region")
		h.Summary = m.text("summary")
		h.Result = m.str("result")
		if v := m.get("result"); v != nil && h.Result != "" {
			if !reTypeName.MatchString(h.Result) {
				f.errf(v, "helper result %q must be a structure of %s/_types.yaml", h.Result, f.ns)
			} else {
				p.refs = append(p.refs, typeRef{pos: f.pos(v), name: h.Result, what: "helper result"})
			}
		}
		byCLI := map[string]*HelperOption{}
		for _, on := range m.list("options") {
			om := f.mapping(on, "helper option", helperOptionKeys...)
			if on.Kind != yaml.MappingNode {
				continue
			}
			om.require("cli", "ru", "en", "type")
			o := &HelperOption{Pos: f.pos(on), CLI: om.str("cli"), RU: om.str("ru"), EN: om.str("en"),
				Type: om.str("type"), Required: om.boolean("required"), Summary: om.text("summary")}
			if o.CLI != "" {
				if !reCLI.MatchString(o.CLI) {
					f.errf(om.get("cli"), "invalid CLI option %q: %s", o.CLI, ruleCLI)
				}
				if prev := byCLI[o.CLI]; prev != nil {
					f.errf(om.get("cli"), "helper option %q is used twice in %s: also at %s", o.CLI, h.EN, prev.Pos)
				} else {
					byCLI[o.CLI] = o
				}
			}
			if o.Type != "" {
				f.checkType(om.get("type"), o.Type, &p.refs, "type")
			}
			h.Options = append(h.Options, o)
		}
		h.Template = m.str("template")
		if v := m.get("template"); v != nil && h.Template != "" {
			if val, ok := f.checkJSON(v, "template"); ok {
				if _, isObj := val.(map[string]any); !isObj {
					f.errf(v, "\"template\" must be a JSON object")
				}
				for _, ph := range placeholders(val, nil) {
					if byCLI[ph] == nil {
						pos := f.pos(v)
						if i := strings.Index(v.Value, `"$`+ph+`"`); i >= 0 {
							pos = f.jsonPos(v, i)
						}
						f.errs.add(pos, "template placeholder \"$%s\" is not an option of %s", ph, h.EN)
					}
				}
			}
		}
		h.Clear = m.str("clear")
		if v := m.get("clear"); v != nil && h.Clear != "" {
			switch o := byCLI[h.Clear]; {
			case o == nil:
				f.errf(v, "\"clear\" names %q, which is not an option of %s", h.Clear, h.EN)
			case o.Type != "boolean":
				f.errf(v, "\"clear\" must name a boolean option; %q is %s", h.Clear, o.Type)
			}
		}
		p.helpers = append(p.helpers, h)
	}
}

// placeholders lists the "$name" string values of a decoded JSON template, in document order
// (objects by sorted key, as encoding/json gives no order), each once.
func placeholders(v any, acc []string) []string {
	switch x := v.(type) {
	case string:
		if name, ok := strings.CutPrefix(x, "$"); ok {
			for _, a := range acc {
				if a == name {
					return acc
				}
			}
			acc = append(acc, name)
		}
	case []any:
		for _, e := range x {
			acc = placeholders(e, acc)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			acc = placeholders(x[k], acc)
		}
	}
	return acc
}

var reCompound = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// parseWords reads _words.yaml: each compound wire name (lower case) with its words, which must
// spell it.
func (p *parsed) parseWords(root *yaml.Node) {
	f := p.f
	top := f.mapping(root, "words file", "spec", "compounds")
	top.require("spec", "compounds")
	top.version()
	p.words = map[string][]string{}
	p.wordsAt = map[string]Pos{}
	at := map[string]*yaml.Node{}
	for _, it := range top.list("compounds") {
		c := f.mapping(it, "a compound", "name", "words")
		c.require("name", "words")
		name, words := c.str("name"), strings.Fields(c.str("words"))
		switch {
		case name == "" || len(words) == 0:
			continue // reported above
		case !reCompound.MatchString(name):
			f.errf(c.get("name"), "compound %q must be lower-case letters and digits (the name as one word)", name)
		case len(words) < 2 || strings.Join(words, "") != name:
			f.errf(c.get("words"), "the words of compound %q must be two or more that spell it, found %q", name, strings.Join(words, " "))
		case at[name] != nil:
			f.errf(c.get("name"), "compound %q is listed twice (first at line %d)", name, at[name].Line)
		default:
			at[name] = c.get("name")
			p.words[name] = words
			p.wordsAt[name] = f.pos(at[name])
		}
	}
}
