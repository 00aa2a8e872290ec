package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// Shape rules: where the schema and what the portal accepts disagree, the docs' request examples
// (and the method's example answer) are the better witness. Each rule is a data rule applied to
// every method, and each application is counted in the report; none names a method.
const (
	ruleCase     = "wire name spelled as the docs' examples (or the example answer) spell it"
	ruleRole     = "filter → map with operator keys, order → map of directions, select → list of names"
	ruleObject   = "a list type where the examples or the parameter's role show one object → object"
	ruleEither   = "a type the examples contradict with two shapes (a list and an object, an object and a text) → any"
	ruleList     = "an object type where the examples send a list of objects → list of objects"
	ruleLang     = "a text the examples send per language ({\"en\": …}), or a label of a user field → lang"
	ruleStrID    = "an ID the examples send as a non-numeric string (workflow IDs, codes) → string"
	ruleZeroID   = "an ID the examples send as 0 → integer, since 0 is a value there (the own plan, the root)"
	ruleOptional = "a parameter marked required that one of the method's examples leaves out → optional"
	ruleOneOf    = "either-or parameters both marked required (IBLOCK_ID / IBLOCK_CODE) → one_of, neither required"
	ruleAdded    = "a key the examples send that the parameter table lacks → a parameter typed from the examples"
	ruleFree     = "an object whose examples send keys it does not document → free: any"
	// every add or update method whose example the docs show sends its fields as an object
	ruleFields   = "the fields of an add or update method that the schema types as a list of any → object, as every such method the docs show an example of sends them"
	ruleOrdered  = "a positional method whose named example gives more values than its table, the table's among them → the example's names in its order"
	ruleBare     = "a docs answer shown without its envelope → the example answer {\"result\": …}, with time, total and next beside it"
	ruleV3       = "a method the docs mark REST 3.0 (upstream/b24-v3) → api: 3, called at /rest/api/"
	ruleV3Filter = "the filter of a REST 3.0 method is a list of conditions [\"field\", \"op\", value] and {\"logic\": \"or\"} groups ([]any where the schema says only array) or the method's own object, not 2.0's map with operator keys"
	ruleV3Added  = "a REST 3.0 method the schema lacks, or the 3.0 page of a name REST 2.0 also has (a twin, in <name>@3.yaml) → added from the 3.0 docs (its parameters and example answer; source: docs)"
	ruleV3Read   = "a REST 3.0 method marked write whose name ends in a word that reads (get, list, search, count, tail) and changes nothing by name or summary → read, as the 3.0 docs present it"
	ruleListRead = "a method that pages its answer as a list (start in, rows out) marked write → read: reading a page changes nothing, so it may be repeated"
	// the schema marks by the name's last word (im.notify.read.list is a "list"); the verbs say more
	ruleVerbWrite = "a method marked read whose name holds a verb that changes data as a segment (read, mark, set, bind, start, send, …) or whose summary starts with one (Marks, Sets, …) → write: repeating it is not safe"
)

// Applied is one application of a shape rule.
type Applied struct {
	Method string
	Item   string
	Rule   string
}

// examples are the request params the docs show, by method name in lower case: the objects, and
// the order of each object's keys, which a positional method's values follow.
type examples struct {
	params map[string][]any
	keys   map[string][][]string
}

// readExamples reads requests.jsonl: {"method": ..., "params": {...}} a line.
func readExamples(path string) (examples, error) {
	f, err := os.Open(path)
	if err != nil {
		return examples{}, err
	}
	defer f.Close()
	out := examples{params: map[string][]any{}, keys: map[string][][]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e struct {
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return out, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		d := json.NewDecoder(bytes.NewReader(e.Params))
		d.UseNumber()
		var params any
		if err := d.Decode(&params); err != nil {
			return out, fmt.Errorf("%s:%d: params: %v", path, n, err)
		}
		if obj, ok := params.(map[string]any); ok {
			k := strings.ToLower(e.Method)
			out.params[k] = append(out.params[k], obj)
			members, _ := jsonobj.Members(e.Params) // valid JSON, an object: decoded above
			keys := make([]string, len(members))
			for i, mb := range members {
				keys[i] = mb.Key
			}
			out.keys[k] = append(out.keys[k], keys)
		}
	}
	return out, sc.Err()
}

// addsOrUpdates reports a method that adds or updates a record (crm.product.add, tasks.task.update).
func addsOrUpdates(method string) bool {
	last := method[strings.LastIndexByte(method, '.')+1:]
	return strings.EqualFold(last, "add") || strings.EqualFold(last, "update")
}

// roleObject are the names whose value is one object in Bitrix24's API, whatever a table says.
var roleObject = map[string]bool{"fields": true, "data": true, "params": true, "settings": true, "options": true, "filter": true, "order": true}

// langNames are user-field labels and messages, which the portal keeps per language.
var langNames = map[string]bool{
	"listcolumnlabel": true, "editformlabel": true, "listfilterlabel": true, "errormessage": true, "helpmessage": true,
}

// reLangOwner matches the methods whose NAME and DESCRIPTION are per-language texts (workflow
// activities and robots).
var reLangOwner = regexp.MustCompile(`^bizproc\.(activity|robot)\.(add|update)$`)

// stringIDNames are IDs that are not numbers: workflow instances (65e5a449e8f135.21284909).
var stringIDNames = map[string]bool{"workflowid": true, "workflow_id": true}

// reStringIDOwner matches the methods whose ID is a workflow instance's.
var reStringIDOwner = regexp.MustCompile(`^bizproc\.workflow\.(kill|terminate)$`)

// eitherOr are suffix pairs naming one thing two ways: IBLOCK_ID or IBLOCK_CODE.
var eitherOr = [][2]string{{"_ID", "_CODE"}, {"Id", "Code"}, {"_id", "_code"}}

// eitherNames are pairs of different names for one target.
var eitherNames = [][2]string{{"CHAT_ID", "DIALOG_ID"}, {"chatId", "dialogId"}}

var reLangKey = regexp.MustCompile(`^[a-z]{2}$`)

// shape applies the rules to a converted method.
func (c *converter) shape(m *iMethod) {
	name := strings.ToLower(m.Name)
	ex, keys := c.examples.params[name], c.examples.keys[name]
	if m.Positional {
		c.ordered(m, ex, keys)
		ex = byPosition(m.Params, ex, keys)
	}
	c.level(m, m.Params, ex, "", m.Answer)
	c.added(m, ex)
	c.oneOf(m)
	c.optional(m, ex)
}

// level applies the per-param rules to one list of params, given the example objects at this level.
func (c *converter) level(m *iMethod, ps []*iParam, objs []any, path string, answer json.RawMessage) {
	for _, p := range ps {
		item := path + p.Name
		vals, variant := valuesOf(objs, p.Name)
		// top-level names are left as the table spells them: the CLI's and OPI's options name them,
		// and the portal reads top-level keys in either case
		if variant != "" && path != "" {
			c.apply(m, item, ruleCase)
			p.Name, p.Rule = variant, ruleCase
			item = path + p.Name
		} else if len(vals) == 0 && path != "" && strings.ToLower(p.Name) == p.Name {
			if k := camelKey(answer, p.Name); k != "" {
				c.apply(m, item, ruleCase)
				p.Name, p.Rule = k, ruleCase
				item = path + p.Name
			}
		}
		low := strings.ToLower(p.Name)
		if t, rule := c.fileType(m, path, p, ps, vals); t != "" {
			if t != p.Type || rule == ruleFileParts {
				p.Type, p.Fields, p.Free = t, nil, ""
				c.mark(m, p, item, rule)
			}
			continue
		}
		switch {
		case path == "" && low == "filter" && m.API == spec.API3:
			if p.Type == "any" { // the schema's array of unknown elements
				p.Type = "[]any"
			}
			if p.Type != "map[string]any" { // a condition list, or the method's own object (call.followup.list)
				c.mark(m, p, item, ruleV3Filter)
			}
		case path == "" && low == "filter" && p.Type != "map[string]any":
			p.Type, p.Fields, p.Free = "map[string]any", nil, ""
			c.mark(m, p, item, ruleRole)
		case path == "" && low == "order" && hasScalar(vals) && p.Type != "string":
			// a direction next to a sort key (SORT: ID, ORDER: DESC)
			p.Type, p.Fields, p.Free = "string", nil, ""
			c.mark(m, p, item, ruleRole)
		case path == "" && low == "order" && p.Type != "map[string]string" && p.Type != "string" && !hasList(vals):
			p.Type, p.Fields, p.Free = "map[string]string", nil, ""
			c.mark(m, p, item, ruleRole)
		case path == "" && low == "select" && p.Type != "[]string":
			p.Type, p.Fields, p.Free = "[]string", nil, ""
			c.mark(m, p, item, ruleRole)
		case p.Type == "object" && hasList(vals) && !hasObject(vals) && listsOfObjects(vals):
			p.Type = "[]object"
			c.mark(m, p, item, ruleList)
		case (p.Type == "object" && (hasList(vals) || hasScalar(vals))) || (p.Type == "string" && hasObject(vals) && !langMaps(vals)):
			p.Type, p.Fields, p.Free = "any", nil, ""
			c.mark(m, p, item, ruleEither)
		case strings.HasPrefix(p.Type, "[]") && hasObject(vals) && hasList(vals):
			p.Type, p.Fields, p.Free = "any", nil, ""
			c.mark(m, p, item, ruleEither)
		case path == "" && low == "fields" && p.Type == "[]any" && len(vals) == 0 && addsOrUpdates(m.Name):
			p.Type = "object"
			c.mark(m, p, item, ruleFields)
		case strings.HasPrefix(p.Type, "[]") && (hasObject(vals) || (len(vals) == 0 && p.Type == "[]object" && roleObject[low])):
			if p.Type == "[]object" || p.Type == "[]any" {
				p.Type = "object"
			} else {
				p.Type, p.Fields, p.Free = "any", nil, ""
			}
			c.mark(m, p, item, ruleObject)
		case p.Type == "string" && (langMaps(vals) || langNames[strings.ReplaceAll(low, "_", "")] || (path == "" && reLangOwner.MatchString(m.Name) && (low == "name" || low == "description"))):
			p.Type = "lang"
			c.mark(m, p, item, ruleLang)
		case p.Type == "id" && zeros(vals):
			p.Type = "integer"
			c.mark(m, p, item, ruleZeroID)
		case (p.Type == "id" || p.Type == "integer") && (textIDs(vals) || stringIDNames[low] || (path == "" && low == "id" && reStringIDOwner.MatchString(m.Name))):
			p.Type, p.Base = "string", "string"
			c.mark(m, p, item, ruleStrID)
		}
		if p.Type == "object" || p.Type == "[]object" {
			var inner []any
			for _, v := range vals {
				inner = append(inner, objectsIn(v)...)
			}
			if len(p.Fields) > 0 {
				c.level(m, p.Fields, inner, item+".", answer)
				if p.Free == "" && undocumented(inner, p.Fields) {
					p.Free = "any"
					c.mark(m, p, item, ruleFree)
				}
			}
		}
	}
}

func (c *converter) apply(m *iMethod, item, rule string) {
	c.applied = append(c.applied, Applied{Method: m.Name, Item: item, Rule: rule})
}

func (c *converter) mark(m *iMethod, p *iParam, item, rule string) {
	p.Rule = rule
	c.apply(m, item, rule)
}

// added adds the top-level keys every example agrees on the type of and the table lacks.
func (c *converter) added(m *iMethod, ex []any) {
	have := map[string]bool{}
	for _, p := range m.Params {
		have[strings.ToLower(p.Name)] = true
	}
	if m.Positional {
		return
	}
	byKey := map[string][]any{}
	var order []string
	for _, o := range ex {
		obj, _ := o.(map[string]any)
		for k, v := range obj {
			if have[strings.ToLower(k)] || !reIdent.MatchString(k) || responseKeys[k] || k == "auth" {
				continue
			}
			if byKey[k] == nil {
				order = append(order, k)
			}
			byKey[k] = append(byKey[k], v)
		}
	}
	sort.Strings(order)
	for _, k := range order {
		t := typeOfValues(byKey[k])
		if t == "integer" && isIDName(k) {
			t = "id"
		}
		p := &iParam{Name: k, Type: t, Base: baseOf(t), Rule: ruleAdded}
		m.Params = append(m.Params, p)
		c.apply(m, k, ruleAdded)
	}
}

// ordered gives a positional method the names and order of a named example that has more values than
// the table and names each of the table's: the portal reads the values in order, and the table lacks
// one (task.elapseditem.isactionallowed takes the task's ID first). A new value is typed from the example.
func (c *converter) ordered(m *iMethod, ex []any, keys [][]string) {
	if !m.Positional {
		return
	}
	for i, ks := range keys {
		if len(ks) <= len(m.Params) {
			continue
		}
		byName := map[string]*iParam{}
		for _, p := range m.Params {
			byName[strings.ToLower(p.Name)] = p
		}
		ps := make([]*iParam, 0, len(ks))
		var added []string
		for _, k := range ks {
			if p := byName[strings.ToLower(k)]; p != nil {
				ps = append(ps, p)
				delete(byName, strings.ToLower(k))
				continue
			}
			if !reIdent.MatchString(k) {
				break
			}
			t := typeOfValues([]any{ex[i].(map[string]any)[k]})
			if t == "integer" && isIDName(k) {
				t = "id"
			}
			ps = append(ps, &iParam{Name: k, Type: t, Base: baseOf(t), Required: true, Rule: ruleOrdered})
			added = append(added, k)
		}
		if len(byName) > 0 || len(ps) != len(ks) {
			continue
		}
		m.Params = ps
		for _, k := range added {
			c.apply(m, k, ruleOrdered)
		}
		return
	}
}

// byPosition names the values of a positional method's examples as its params: an example that names
// them otherwise (fields for TASKDATA) means them in its order, which is how the portal reads them.
func byPosition(ps []*iParam, ex []any, keys [][]string) []any {
	out := make([]any, len(ex))
	for i, o := range ex {
		out[i] = o
		obj, ks := o.(map[string]any), keys[i]
		if len(ks) > len(ps) || named(ps, ks) {
			continue
		}
		renamed := make(map[string]any, len(ks))
		for j, k := range ks {
			renamed[ps[j].Name] = obj[k]
		}
		out[i] = renamed
	}
	return out
}

// named reports whether every key names one of ps, case aside.
func named(ps []*iParam, keys []string) bool {
	for _, k := range keys {
		found := false
		for _, p := range ps {
			found = found || strings.EqualFold(p.Name, k)
		}
		if !found {
			return false
		}
	}
	return true
}

// optional clears required on the top-level params that an example of the method goes without: the
// docs show the portal accepting the call without them.
func (c *converter) optional(m *iMethod, ex []any) {
	if m.Positional {
		return
	}
	for _, p := range m.Params {
		if !p.Required {
			continue
		}
		for _, o := range ex {
			if sent, _ := valuesOf([]any{o}, p.Name); len(sent) == 0 {
				p.Required = false
				c.apply(m, p.Name, ruleOptional)
				break
			}
		}
	}
}

// oneOf finds required pairs that name one target two ways; neither is required then, one is.
func (c *converter) oneOf(m *iMethod) {
	byName := map[string]*iParam{}
	for _, p := range m.Params {
		byName[p.Name] = p
	}
	var pairs [][2]*iParam
	for _, p := range m.Params {
		for _, s := range eitherOr {
			if stem, ok := strings.CutSuffix(p.Name, s[0]); ok && stem != "" {
				if q := byName[stem+s[1]]; q != nil {
					pairs = append(pairs, [2]*iParam{p, q})
				}
			}
		}
		for _, n := range eitherNames {
			if p.Name == n[0] && byName[n[1]] != nil {
				pairs = append(pairs, [2]*iParam{p, byName[n[1]]})
			}
		}
	}
	for _, pq := range pairs {
		if !pq[0].Required || !pq[1].Required {
			continue
		}
		pq[0].Required, pq[1].Required = false, false
		m.OneOf = append(m.OneOf, []string{pq[0].Name, pq[1].Name})
		c.apply(m, pq[0].Name+"|"+pq[1].Name, ruleOneOf)
	}
}

// valuesOf is what the example objects send for name: the values under name exactly, or, when
// none spells it so but all that send it agree on another case, those values and that spelling.
func valuesOf(objs []any, name string) (vals []any, variant string) {
	var other []any
	for _, o := range objs {
		obj, _ := o.(map[string]any)
		for k, v := range obj {
			switch {
			case k == name:
				vals = append(vals, v)
			case strings.EqualFold(k, name):
				if variant != "" && variant != k {
					variant = "\x00" // spelled two ways: no verdict
				}
				if variant != "\x00" {
					variant = k
				}
				other = append(other, v)
			}
		}
	}
	if len(vals) > 0 || variant == "" || variant == "\x00" {
		return vals, ""
	}
	return other, variant
}

// camelKey finds name, all lower case, spelled in camel case among the keys of the example answer
// (productid → productId): a schema that lost the case of a nested field.
func camelKey(answer json.RawMessage, name string) string {
	if len(answer) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return ""
	}
	found := ""
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				if k != name && strings.EqualFold(k, name) && !strings.Contains(k, "_") && strings.ToUpper(k) != k {
					found = k
				}
				walk(vv)
			}
		case []any:
			for _, vv := range x {
				walk(vv)
			}
		}
	}
	walk(v)
	return found
}

func hasObject(vals []any) bool {
	for _, v := range vals {
		if o, ok := v.(map[string]any); ok && len(o) > 0 {
			return true
		}
	}
	return false
}

func hasScalar(vals []any) bool {
	for _, v := range vals {
		switch v.(type) {
		case string, json.Number, bool:
			return true
		}
	}
	return false
}

// listsOfObjects reports lists whose items are all objects.
func listsOfObjects(vals []any) bool {
	for _, v := range vals {
		l, _ := v.([]any)
		for _, e := range l {
			if _, ok := e.(map[string]any); !ok {
				return false
			}
		}
	}
	return true
}

func hasList(vals []any) bool {
	for _, v := range vals {
		if l, ok := v.([]any); ok && len(l) > 0 {
			return true
		}
	}
	return false
}

// objectsIn are the objects a value holds: itself, or the objects of a list.
func objectsIn(v any) []any {
	switch x := v.(type) {
	case map[string]any:
		return []any{x}
	case []any:
		var out []any
		for _, e := range x {
			if o, ok := e.(map[string]any); ok {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// langMaps reports examples that send a text as {"en": …, "de": …}.
func langMaps(vals []any) bool {
	for _, v := range vals {
		o, ok := v.(map[string]any)
		if !ok || len(o) == 0 {
			continue
		}
		for k, t := range o {
			if _, isText := t.(string); !isText || !reLangKey.MatchString(k) {
				return false
			}
		}
		return true
	}
	return false
}

// textIDs reports examples that send an ID as a string that is not a number nor a placeholder.
func textIDs(vals []any) bool {
	for _, v := range vals {
		s, ok := v.(string)
		if !ok || s == "" || placeholder(s) {
			continue
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return true
		}
	}
	return false
}

// zeros reports examples that send 0 (or "0") for an ID.
func zeros(vals []any) bool {
	for _, v := range vals {
		switch x := v.(type) {
		case json.Number:
			if x == "0" {
				return true
			}
		case string:
			if x == "0" {
				return true
			}
		}
	}
	return false
}

// placeholder reports the values the docs write for "put yours here".
func placeholder(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "your_") || strings.Contains(l, "_here") || strings.HasPrefix(l, "**") || strings.Contains(s, "...") || strings.HasPrefix(s, "<") || strings.HasPrefix(s, "{{")
}

// undocumented reports example objects with keys the fields do not list (case aside).
func undocumented(objs []any, fs []*iParam) bool {
	known := map[string]bool{}
	for _, f := range fs {
		known[strings.ToLower(f.Name)] = true
	}
	for _, o := range objs {
		for k := range o.(map[string]any) {
			if !known[strings.ToLower(k)] {
				return true
			}
		}
	}
	return false
}

// typeOfValues is the spec type of the values examples send for an undocumented key.
func typeOfValues(vals []any) string {
	t := ""
	for _, v := range vals {
		var vt string
		switch x := v.(type) {
		case string:
			vt = "string"
		case json.Number:
			vt = "number"
			if _, err := x.Int64(); err == nil {
				vt = "integer"
			}
		case bool:
			vt = "boolean"
		case map[string]any:
			vt = "object"
		default:
			vt = "any"
		}
		switch {
		case t == "":
			t = vt
		case t != vt:
			return "any"
		}
	}
	return t
}

func baseOf(t string) string {
	switch t {
	case "integer", "string", "number", "boolean", "object":
		return t
	}
	return "any"
}
