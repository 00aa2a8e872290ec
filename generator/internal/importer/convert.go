package importer

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// iMethod is a method as the schema describes it, already mapped to spec terms.
type iMethod struct {
	Name       string
	API        int    // spec.API3 for a REST 3.0 method
	FromDocs   bool   // only the docs pages document it (or only the REST 3.0 docs)
	Scope      string // "" when the schema has none
	Kind       string
	Docs       string
	Deprecated bool
	Successor  string
	Positional bool
	Params     []*iParam
	Result     *iParam         // Name unused; nil when the schema documents no result
	Example    string          // pretty JSON ending in "\n", or ""
	Answer     json.RawMessage // the example's result, to check the result type against; nil without example
	List       *iList          // nil unless the params and the example show a list method
	OneOf      [][]string      // either-or params: one of each group is required
	// Rows is what the returns document of a list's rows (REST 3.0: items, items[], then the
	// rows' fields): "" none, "rows" rows, "id" rows with a numeric id. A list without an example
	// answer is told by them.
	Rows string
}

// iList is the list shape the importer infers (see listShape).
type iList struct {
	Rows, ID string
	Limit    int    // a REST 3.0 list's largest page; 0: 50
	Cursor   string // a REST 3.0 list's own cursor: the answer's key
	Seek     string // the param a REST 3.0 list takes its position in: {field, order, value, limit}
}

// iParam is a parameter (or a field of one, or the result) mapped to spec terms.
type iParam struct {
	Name     string
	Type     string
	Base     string // the schema's base type, for the compatibility check when merging
	Required bool
	Free     string
	Bool     string // the boolean wire mode an answer shows, "" when it shows none
	Fields   []*iParam
	Rule     string // the shape rule that set the type or name, "" when the schema's own
	Doc      string // the schema's doc type ("file", "crm_status"), "" for a param it lacks
	FileName string // the sibling naming the file, for a file's content sent apart from it
}

// Skip is one schema item the importer left out, and why.
type Skip struct {
	Method string
	Item   string // "fields.UF_CRM_..." or "result.departments[].name"
	Reason string
}

var reIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// responseKeys are top-level response keys that the schema's parser sometimes lists as parameters.
var responseKeys = map[string]bool{"result": true, "time": true, "total": true, "next": true}

// converter maps schema methods; elemBase knows the base type of the schema's named doc types
// (crm_contact → integer) so that "crm_contact[]" can become []integer.
type converter struct {
	elemBase map[string]string
	examples examples          // the docs' request examples, nil when not read
	nsFiles  map[string]string // the file form each namespace's examples send (namespaceFileForms)
	skips    []Skip
	applied  []Applied
}

func newConverter(ms []*schemaMethod) *converter {
	bases := map[string]string{}
	add := func(p *schemaParam) {
		if strings.HasSuffix(p.Type, "[]") || p.Base == "" || p.Base == "any" || p.Base == "array" {
			return
		}
		if b, ok := bases[p.Type]; ok && b != p.Base {
			bases[p.Type] = "" // used with two bases: no guess
			return
		}
		if _, ok := bases[p.Type]; !ok {
			bases[p.Type] = p.Base
		}
	}
	for _, m := range ms {
		for _, p := range m.Params {
			add(p)
		}
		for _, d := range m.Defs {
			for _, p := range d.Fields {
				add(p)
			}
		}
		for _, p := range m.Returns {
			add(p)
		}
	}
	return &converter{elemBase: bases}
}

func (c *converter) skip(method, item, reason string) {
	c.skips = append(c.skips, Skip{Method: method, Item: item, Reason: reason})
}

// convert turns a schema method into the importer's; summary is the English summary its spec file
// has, "" for a new one.
func (c *converter) convert(sm *schemaMethod, summary string) *iMethod {
	m := &iMethod{Name: sm.Method, Kind: sm.Kind, Docs: sm.Docs, FromDocs: sm.FromDocs || sm.FromV3, API: sm.API}
	if sm.API == spec.API3 {
		c.apply(m, "api", ruleV3)
	}
	if sm.FromV3 {
		c.apply(m, "", ruleV3Added)
	}
	m.Scope = scopeOf(sm)
	if sm.Deprecated != nil {
		m.Deprecated = true
		if sm.Deprecated.Successor != nil {
			m.Successor = *sm.Deprecated.Successor
		}
	}
	m.Params, _ = c.params(sm, sm.Params, "", map[string]bool{})
	m.Positional = len(m.Params) > 0 && positional(sm.Method)
	m.Result = c.result(sm)
	if len(sm.ResultExample) > 0 && string(sm.ResultExample) != "null" {
		var env map[string]json.RawMessage
		example := sm.ResultExample
		if json.Unmarshal(example, &env) != nil || env["result"] == nil {
			// some pages show the result without its envelope ({"sections": [...], "total": 5});
			// others show an error, which documents no answer
			example = wrapBare(example)
			if example == nil {
				c.skip(sm.Method, "resultExample", "not a whole response ({\"result\": ...}) nor a bare result (an error, or an envelope inside another key)")
			} else {
				c.apply(m, "example", ruleBare)
			}
		}
		var b bytes.Buffer
		if example != nil && json.Unmarshal(example, &env) == nil && json.Indent(&b, example, "", "  ") == nil {
			m.Example = b.String() + "\n"
			m.Answer = env["result"]
		}
	}
	c.dropResultKeys(sm, m)
	c.resultFromAnswer(m)
	c.shape(m)
	m.Rows = documentedRows(sm.Returns)
	m.List = listShape(m, m.Answer)
	changes := spec.WriteWord(m.Name, summary) != ""
	switch {
	case m.Kind == spec.KindRead && changes:
		m.Kind = spec.KindWrite
		c.apply(m, "kind", ruleVerbWrite)
	case m.List != nil && m.Kind == spec.KindWrite && !changes:
		m.Kind = spec.KindRead
		c.apply(m, "kind", ruleListRead)
	case m.API == spec.API3 && m.Kind == spec.KindWrite && !changes && v3ReadName(m.Name):
		m.Kind = spec.KindRead
		c.apply(m, "kind", ruleV3Read)
	}
	return m
}

// wrapBare puts a result shown without its envelope into one: the keys of the envelope (time, total,
// next) stay beside result, the others make the result, in the order written; a list is the result
// whole. nil for an error ({"error": ...}), an envelope under another key ({"answer": {"result": …}})
// or nothing left to be a result.
func wrapBare(raw json.RawMessage) json.RawMessage {
	var rows []json.RawMessage
	if json.Unmarshal(raw, &rows) == nil {
		b, _ := json.Marshal(map[string]json.RawMessage{"result": raw}) // raw is valid JSON
		return b
	}
	members, err := jsonobj.Members(raw)
	if err != nil {
		return nil
	}
	var result, envelope bytes.Buffer
	for _, mb := range members {
		var inner map[string]json.RawMessage
		switch {
		case mb.Key == "error":
			return nil
		case json.Unmarshal(mb.Value, &inner) == nil && inner["result"] != nil:
			return nil
		}
		out := &result
		if responseKeys[mb.Key] {
			out = &envelope
		}
		key, _ := json.Marshal(mb.Key) // a decoded key marshals
		out.WriteByte(',')
		out.Write(key)
		out.WriteByte(':')
		out.Write(mb.Value)
	}
	if result.Len() == 0 {
		return nil
	}
	return []byte(`{"result":{` + result.String()[1:] + `}` + envelope.String() + `}`)
}

// dropResultKeys removes params that are really the keys of the answer: some pages list the result's
// fields in the parameter table (disk.storage.getForApp: ID, NAME, CODE, ...). It takes all of the
// params being optional keys of the example's result (or of its first row), and either two or more of
// them or a *fields method, so that a real filter that the answer echoes (entity.get's ENTITY) stays.
func (c *converter) dropResultKeys(sm *schemaMethod, m *iMethod) {
	if len(m.Params) == 0 || len(m.Answer) == 0 {
		return
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(m.Answer, &keys) != nil {
		var rows []map[string]json.RawMessage
		if json.Unmarshal(m.Answer, &rows) != nil || len(rows) == 0 {
			return
		}
		keys = rows[0]
	}
	for _, p := range m.Params {
		if _, ok := keys[p.Name]; !ok || p.Required {
			return
		}
	}
	if len(m.Params) < 2 && !strings.HasSuffix(strings.ToLower(sm.Method), "fields") {
		return
	}
	for _, p := range m.Params {
		c.skip(sm.Method, p.Name, "a key of the example's result listed as a parameter")
	}
	m.Params = nil
}

// listShape infers a list method: it takes start, and its example's result is the rows, or an
// object whose only key holds them (crm.item.list's items). When the rows have a numeric ID (or id)
// and the method takes filter and order, the rows can be walked by ID.
func listShape(m *iMethod, answer json.RawMessage) *iList {
	names := map[string]bool{}
	for _, p := range m.Params {
		names[strings.ToLower(p.Name)] = true
	}
	if m.API == spec.API3 {
		return listShapeV3(m, names, answer)
	}
	if m.Positional || !names["start"] || len(answer) == 0 {
		return nil
	}
	var rows []map[string]json.RawMessage
	l := &iList{}
	if json.Unmarshal(answer, &rows) != nil {
		var obj map[string]json.RawMessage
		if json.Unmarshal(answer, &obj) != nil || len(obj) != 1 {
			return nil
		}
		for k, v := range obj {
			if !reIdent.MatchString(k) || json.Unmarshal(v, &rows) != nil {
				return nil
			}
			l.Rows = k
		}
	}
	if len(rows) > 0 && names["filter"] && names["order"] {
		for _, id := range []string{"ID", "id"} {
			// only numbers can be walked with ">ID" (sale.status.list has ids like "N")
			if v, ok := rows[0][id]; ok && fits("integer", v) {
				l.ID = id
			}
		}
	}
	return l
}

// v3PageMax is the largest pagination.limit of the REST 3.0 lists whose docs state one above 50
// (upstream/b24-v3/RULES.md, pagination); a list not here pages 50 rows a request.
var v3PageMax = map[string]int{
	"tasks.task.list":          1000,
	"humanresources.node.list": 200, "mail.recipient.listcontacts": 200, "mail.recipient.listemployees": 200,
	"mail.mailbox.list": 100, "mail.mailbox.senders": 100, "mail.message.list": 200,
}

// listShapeV3 infers a REST 3.0 list: it takes pagination and its example's rows are under items.
// A pagination with afterCursor pages by the list's own cursor: the answer's one object key named
// …Cursor beside items (and hasMore). Otherwise the answer must be
// the rows alone (extras such as hasMore alone say it pages some other way): with filter and order
// and a numeric id in the rows it is walked by ID, else by pagination offsets.
//
// Without an example answer, the rows the returns document stand for it (items, items[] and the
// rows' fields, see documentedRows); a list that takes its position in a cursor param of its own
// instead of pagination (main.eventlog.tail: {field, order, value, limit}) is walked by id there.
func listShapeV3(m *iMethod, names map[string]bool, answer json.RawMessage) *iList {
	if len(answer) == 0 && m.Rows != "" {
		l := &iList{Rows: "items", Limit: v3PageMax[m.Name]}
		switch {
		case m.Rows == "id" && names["cursor"] && !names["pagination"] && cursorParam(m):
			l.ID, l.Seek = "id", "cursor"
		case !names["pagination"]:
			return nil
		case m.Rows == "id" && names["filter"] && names["order"]:
			l.ID = "id"
		}
		return l
	}
	if !names["pagination"] {
		return nil
	}
	var obj map[string]json.RawMessage
	var rows []map[string]json.RawMessage
	if json.Unmarshal(answer, &obj) != nil || json.Unmarshal(obj["items"], &rows) != nil || len(rows) == 0 {
		return nil
	}
	numericID := rows[0]["id"] != nil && fits("integer", rows[0]["id"])
	l := &iList{Rows: "items", Limit: v3PageMax[m.Name]}
	afterCursor := slices.ContainsFunc(m.Params, func(p *iParam) bool {
		return strings.EqualFold(p.Name, "pagination") && slices.ContainsFunc(p.Fields, func(f *iParam) bool { return f.Name == "afterCursor" })
	})
	if afterCursor {
		for k, v := range obj {
			switch {
			case k == "items" || k == "hasMore":
			case strings.HasSuffix(k, "Cursor") && l.Cursor == "" && strings.HasPrefix(strings.TrimSpace(string(v)), "{"):
				l.Cursor = k
			default:
				return nil
			}
		}
		if l.Cursor == "" {
			return nil
		}
		if numericID {
			l.ID = "id" // not needed by the walk; b24test pages by it
		}
		return l
	}
	if len(obj) != 1 {
		return nil
	}
	if names["filter"] && names["order"] && numericID {
		l.ID = "id"
	}
	return l
}

// cursorParam reports a top-level cursor param that is an object: a position, not a list's cursor key.
func cursorParam(m *iMethod) bool {
	return slices.ContainsFunc(m.Params, func(p *iParam) bool { return strings.EqualFold(p.Name, "cursor") && p.Type == "object" })
}

// documentedRows reads the rows a REST 3.0 list's returns document, flat in their order: items (an
// array), items[] (an object), then the rows' fields up to time. "id" when one of them is an
// integer id, "rows" when there are rows, "" when none are documented.
func documentedRows(returns []*schemaParam) string {
	i := slices.IndexFunc(returns, func(r *schemaParam) bool { return r.Name == "items" && r.Base == "array" })
	if i < 0 || i+1 >= len(returns) || returns[i+1].Name != "items[]" || returns[i+1].Base != "object" {
		return ""
	}
	for _, r := range returns[i+2:] {
		if r.Name == "time" {
			break
		}
		if r.Name == "id" && r.Base == "integer" {
			return "id"
		}
	}
	return "rows"
}

// scopeOf is the method's scope in spec terms: the schema's Russian "базовый" is the basic scope; ""
// when the schema has none.
func scopeOf(sm *schemaMethod) string {
	if sm.Scope == nil {
		return ""
	}
	if *sm.Scope == "базовый" {
		return "basic"
	}
	return *sm.Scope
}

// positional reports the old CTaskRestService methods, whose body is an ordered list
// ([12, {"POST_MESSAGE": "x"}]); their docs insist on the order of the parameters. The file and
// favourite calls of task.item.* are documented with named keys (TASK_ID, FILE), and
// task.item.userfield.* is a separate, named API.
func positional(name string) bool {
	switch name {
	case "task.item.addfile", "task.item.deletefile", "task.item.addtofavorite", "task.item.deletefromfavorite":
		return false
	}
	if strings.HasPrefix(name, "task.item.userfield.") {
		return false
	}
	for _, p := range []string{"task.commentitem.", "task.checklistitem.", "task.elapseditem.", "task.item.", "task.items.", "task.logitem."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// params maps a list of schema parameters (top level when path == ""). It returns the free-key
// kind that skipped placeholder names imply for the parent ("UF_CRM_..." → uf).
func (c *converter) params(sm *schemaMethod, ps []*schemaParam, path string, visiting map[string]bool) ([]*iParam, string) {
	var out []*iParam
	free := ""
	seen := map[string]bool{}
	for _, p := range ps {
		item := path + p.Name
		switch {
		case path == "" && responseKeys[p.Name]:
			c.skip(sm.Method, item, "a response key listed as a parameter")
			continue
		case path == "" && p.Name == "auth":
			c.skip(sm.Method, item, "the OAuth token: the client sends it")
			continue
		case !reIdent.MatchString(p.Name):
			if f := placeholderFree(p.Name); f != "" {
				free = maxFree(free, f)
				if path == "" {
					c.skip(sm.Method, item, "a placeholder at the top level, where the spec has no free keys (Client.Do and b24 call take any)")
				} else {
					c.skip(sm.Method, item, "a placeholder, not a name: the parent takes free keys ("+f+")")
				}
			} else {
				c.skip(sm.Method, item, "not an identifier")
			}
			continue
		case seen[p.Name]:
			c.skip(sm.Method, item, "listed twice: the first is kept")
			continue
		}
		seen[p.Name] = true
		ip := &iParam{Name: p.Name, Base: p.Base, Doc: p.Type, Required: p.Required == true, Type: c.typeOf(p.Name, p)}
		if ip.Type == "id" && (p.Base == "any" || p.Base == "") {
			ip.Base = "integer" // a record ID the schema left without a base: an earlier any gives way
		}
		if p.Ref != "" {
			key := strings.TrimPrefix(p.Ref, "#/defs/")
			d := sm.Defs[key]
			switch {
			case d == nil:
				c.skip(sm.Method, item, "refers to "+p.Ref+", which the schema does not define")
			case visiting[key]:
				c.skip(sm.Method, item, "refers to "+p.Ref+" recursively")
			case ip.Type != "object" && ip.Type != "[]object":
				if p.Base == "array" {
					ip.Type = "[]object"
				} else {
					c.skip(sm.Method, item+" (fields)", "documented keys on a "+p.Base+" parameter")
				}
			}
			if d != nil && !visiting[key] && (ip.Type == "object" || ip.Type == "[]object") {
				visiting[key] = true
				fields, f := c.params(sm, d.Fields, item+".", visiting)
				delete(visiting, key)
				if d.Dynamic != nil {
					if d.Dynamic.UFAllowed {
						f = maxFree(f, spec.FreeUF)
					}
					if d.Dynamic.Allowed {
						f = maxFree(f, "any")
					}
				}
				if len(fields) > 0 {
					ip.Fields = fields
					ip.Free = f
				}
			}
		} else if p.Base == "object" && p.Dynamic != nil && p.Dynamic.Allowed && strings.EqualFold(p.Name, "order") {
			// order takes field → direction pairs: {"ID": "ASC"}
			ip.Type = "map[string]string"
		}
		out = append(out, ip)
	}
	return out, free
}

// placeholderFree reads names the docs use for a family of keys: "UF_CRM_...", "ufCrm...",
// "UF_\" mean user fields; "PARENT_ID_...", "parentId..." mean keys with a variable suffix.
// It returns "" for a name that is simply broken ("fields.CONTACT_ID", "TITLE (LANG)").
func placeholderFree(name string) string {
	// "<селектор>", "<ACCESS_CODE>", "`<siteId>`", "`0`": a key the caller chooses; "=DELETED":
	// a filter key with an operator prefix. Either way the parent takes keys beyond its fields.
	if name == "" {
		return ""
	}
	if strings.HasPrefix(name, "`") || strings.ContainsAny(name[:1], "<>=!%@") {
		return "any"
	}
	n := strings.TrimRight(name, `.\… `)
	if n == name {
		return ""
	}
	if strings.HasPrefix(n, "UF_") || strings.HasPrefix(n, "uf") {
		return spec.FreeUF
	}
	if reIdent.MatchString(n) {
		return "any"
	}
	return ""
}

func maxFree(a, b string) string {
	if a == "any" || b == "any" {
		return "any"
	}
	if a == spec.FreeUF || b == spec.FreeUF {
		return spec.FreeUF
	}
	return ""
}

// typeOf maps a schema parameter's base (and, for arrays, its doc type) to a spec type.
func (c *converter) typeOf(name string, p *schemaParam) string {
	switch p.Base {
	case "integer":
		if isIDName(name) {
			return "id"
		}
		return "integer"
	case "string":
		if name == "DIALOG_ID" {
			return "dialog_id"
		}
		return "string"
	case "char":
		return "string" // usually "Y"/"N", but the schema does not say which chars
	case "number", "boolean", "date", "datetime", "object":
		return p.Base
	case "array":
		return "[]" + c.elemType(p.Type)
	}
	if recordID(p.Type) {
		return "id"
	}
	// any, and doc types the schema left without a base ("file", "crm_status.id", ...): the
	// wire form is not documented (crm files want {"fileData": [...]}, entity files a pair).
	return "any"
}

// reRecordID is a doc type naming the ID of a record: user.id, catalog_product.id, sale_paysystem.ID.
var reRecordID = regexp.MustCompile(`^(user|catalog_[a-z_]+|sale_[a-z_]+|crm_item_[a-z_]+)\.(id|ID)$`)

// recordID reports the doc types the schema leaves without a base that are numeric record IDs: users,
// catalog and sale records. Sale statuses are letters (N, P, F) and CRM statuses words, so not these.
func recordID(docType string) bool {
	return reRecordID.MatchString(docType) && !strings.HasPrefix(docType, "sale_status.")
}

// elemType maps the element of an array doc type ("crm_contact[]" → integer).
func (c *converter) elemType(t string) string {
	e, ok := strings.CutSuffix(t, "[]")
	if !ok {
		return "any"
	}
	base := e
	switch e {
	case "int":
		base = "integer"
	case "double":
		base = "number"
	case "text":
		base = "string"
	case "integer", "string", "number", "boolean", "object", "date", "datetime":
	default:
		base = c.elemBase[e]
	}
	switch base {
	case "integer", "string", "number", "boolean", "object", "date", "datetime":
		return base
	case "char":
		return "string"
	}
	return "any"
}

// isIDName reports names that hold an ID: ID, id, *_ID, *_id, *Id (camelCase).
func isIDName(n string) bool {
	switch {
	case n == "ID" || n == "id" || n == "Id":
		return true
	case strings.HasSuffix(n, "_ID") || strings.HasSuffix(n, "_id"):
		return true
	case strings.HasSuffix(n, "Id") && len(n) > 2:
		r := rune(n[len(n)-3])
		return unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return false
}

// result maps the "result" entry of returns; "result.KEY" entries become its fields.
func (c *converter) result(sm *schemaMethod) *iParam {
	var res *schemaParam
	for _, r := range sm.Returns {
		if r.Name == "result" {
			res = r
			break
		}
	}
	if res == nil {
		return nil
	}
	r := &iParam{Base: res.Base}
	switch res.Base {
	case "boolean", "string", "number", "date", "datetime", "object":
		r.Type = res.Base
	case "char":
		r.Type = "string"
	case "integer":
		r.Type = "integer"
		if strings.HasSuffix(sm.Method, ".add") {
			r.Type = "id" // the new record's ID
		}
	case "array":
		switch c.elemType(res.Type) {
		case "integer":
			r.Type = "[]integer"
		case "string":
			r.Type = "[]string"
		default:
			r.Type = "any" // lists of records: raw JSON (the portal may send an object instead)
		}
	default:
		r.Type = "any"
	}
	seen := map[string]bool{}
	for _, f := range sm.Returns {
		key, ok := strings.CutPrefix(f.Name, "result.")
		if !ok {
			continue
		}
		switch {
		case r.Type != "object":
			c.skip(sm.Method, f.Name, "a key of a result that is not an object")
		case !reIdent.MatchString(key):
			c.skip(sm.Method, f.Name, "a nested or placeholder key of the result")
		case seen[key]:
			c.skip(sm.Method, f.Name, "listed twice: the first is kept")
		default:
			seen[key] = true
			r.Fields = append(r.Fields, &iParam{Name: key, Base: f.Base, Type: c.typeOf(key, f)})
		}
	}
	return r
}

// sortSkips orders skips by method, keeping the schema's order within one, for a stable report.
func sortSkips(s []Skip) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].Method < s[j].Method })
}
