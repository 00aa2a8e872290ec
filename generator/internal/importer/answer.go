package importer

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// ruleAnswer types a result the schema leaves raw (an object or a list without fields) from the
// method's example answer: objects become structures with the keys the answer shows, lists of
// objects lists of them, in the order written.
const ruleAnswer = "a result the schema leaves untyped, whose example answer shows its keys → fields from the answer"

// ruleAnswerYN gives a boolean result the answer's wire form, so that it encodes again as it came.
const ruleAnswerYN = "a boolean result whose example answer is \"Y\"/\"N\" → bool: YN"

// typeYN is, while an answer is read, a boolean sent as "Y"/"N": it widens differently from true and
// false, and becomes boolean with bool: YN when the answer is settled (see settle).
const typeYN = "yn"

// maxAnswerDepth bounds how deep an answer is typed; deeper values stay raw JSON.
const maxAnswerDepth = 4

var (
	reDigits  = regexp.MustCompile(`^-?\d+$`)
	reDateish = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
)

// answered is what an example value shows: a spec type, the fields of an object (or of a list's
// objects), and why it stays raw when it does.
type answered struct {
	typ    string
	fields []*iParam
	raw    string // the reason the value stays any; "" when typed
}

// resultFromAnswer types m's result from its example answer where the schema leaves it raw, and
// adds to a documented object the keys the answer shows and the table lacks.
func (c *converter) resultFromAnswer(m *iMethod) {
	if len(m.Answer) == 0 || bytes.Equal(bytes.TrimSpace(m.Answer), []byte("null")) {
		return
	}
	r := m.Result
	if r == nil {
		r = &iParam{Type: "any", Base: "any"}
	}
	if s := string(bytes.TrimSpace(m.Answer)); r.Type == "boolean" && (s == `"Y"` || s == `"N"`) {
		r.Bool = spec.BoolYN
		c.apply(m, "result", ruleAnswerYN)
		return
	}
	switch {
	case r.Type == "object" && len(r.Fields) > 0:
		a := settleAnswer(infer(m.Answer, "", 0))
		if a.typ != "object" {
			return // the merger's fit check makes it raw, with its note
		}
		have := map[string]bool{}
		for _, f := range r.Fields {
			have[strings.ToLower(f.Name)] = true
		}
		for _, f := range a.fields {
			if !have[strings.ToLower(f.Name)] {
				f.Rule = ruleAnswer
				r.Fields = append(r.Fields, f)
				c.apply(m, "result."+f.Name, ruleAnswer)
			}
		}
	case r.Type == "object" || r.Type == "any" || !fits(r.Type, m.Answer):
		a := settleAnswer(infer(m.Answer, "", 0))
		switch {
		case a.typ == "" || a.raw != "" && a.typ == "any":
			c.skip(m.Name, "result", "stays raw JSON: "+a.raw)
			return
		case (a.typ == "object" || a.typ == "[]object") && len(a.fields) == 0:
			c.skip(m.Name, "result", "stays raw JSON: the answer shows no keys")
			return
		}
		r.Type, r.Base, r.Fields, r.Rule = a.typ, baseOf(a.typ), a.fields, ruleAnswer
		m.Result = r
		c.apply(m, "result", ruleAnswer)
	}
}

// infer reads one value of an answer; key is its name in the enclosing object.
func infer(raw json.RawMessage, key string, depth int) answered {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return answered{typ: "any", raw: "no value"}
	}
	switch raw[0] {
	case '{':
		return inferObject(raw, depth)
	case '[':
		return inferList(raw, key, depth)
	case 'n':
		return answered{typ: "", raw: "null"} // unknown: another item may tell
	case 't', 'f':
		return answered{typ: "boolean"}
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return answered{typ: "any", raw: "not JSON"}
		}
		switch {
		case s == "Y" || s == "N":
			return answered{typ: typeYN}
		case isIDName(key) && reDigits.MatchString(s):
			return answered{typ: "integer"}
		case reDateish.MatchString(s):
			return answered{typ: "datetime"}
		}
		return answered{typ: "string"}
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return answered{typ: "any", raw: "not JSON"}
	}
	if _, err := n.Int64(); err == nil {
		return answered{typ: "integer"}
	}
	return answered{typ: "number"}
}

func inferObject(raw json.RawMessage, depth int) answered {
	members, err := jsonobj.Members(raw)
	switch {
	case err != nil:
		return answered{typ: "any", raw: "not JSON"}
	case len(members) == 0:
		return answered{typ: "any", raw: "an empty object"}
	case depth >= maxAnswerDepth:
		return answered{typ: "any", raw: "nested too deep"}
	case dataKeys(members):
		return inferMap(members, depth)
	}
	var fields []*iParam
	seen := map[string]bool{}
	for _, mb := range members {
		low := strings.ToLower(mb.Key)
		if seen[low] || strings.HasPrefix(low, "uf_") || strings.HasPrefix(mb.Key, "ufCrm") || !reIdent.MatchString(mb.Key) {
			// one Go field a name, the first spelling wins; user fields are each portal's own; a key
			// no Go field can take (~DESCRIPTION, the raw copy of DESCRIPTION) is left to Extra
			continue
		}
		seen[low] = true
		a := infer(mb.Value, mb.Key, depth+1)
		// the rule marks each field, so that a re-import replaces a type an earlier answer gave
		fields = append(fields, &iParam{Name: mb.Key, Type: a.typ, Fields: a.fields, Rule: ruleAnswer})
	}
	return answered{typ: "object", fields: fields}
}

// inferMap types an object whose keys are data: a map of what its values have in common.
func inferMap(members []jsonobj.Member, depth int) answered {
	values := make([]json.RawMessage, len(members))
	for i, mb := range members {
		values[i] = mb.Value
	}
	list, _ := json.Marshal(values) // the values are JSON already
	a := inferList(list, "", depth+1)
	if elem, ok := strings.CutPrefix(a.typ, "[]"); ok {
		return answered{typ: "map[string]" + elem, fields: a.fields}
	}
	return answered{typ: "any", raw: "its keys are data (IDs or codes) and its values differ: " + a.raw}
}

func inferList(raw json.RawMessage, key string, depth int) answered {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return answered{typ: "any", raw: "not JSON"}
	}
	if len(items) == 0 {
		return answered{typ: "any", raw: "an empty list"}
	}
	var merged answered
	for i, it := range items {
		a := infer(it, key, depth)
		if a.typ == "[]object" || strings.HasPrefix(a.typ, "[]") {
			return answered{typ: "any", raw: "a list of lists"}
		}
		if i == 0 {
			merged = a
			continue
		}
		switch {
		case merged.typ == "":
			merged = a
		case a.typ == "" || a.typ == merged.typ && a.typ != "object":
		case a.typ == "object" && merged.typ == "object":
			merged.fields = mergeFields(merged.fields, a.fields)
		case widen(a.typ, merged.typ) != "any":
			merged.typ = widen(a.typ, merged.typ)
		default:
			return answered{typ: "any", raw: "a list of mixed values"}
		}
	}
	switch merged.typ {
	case "object":
		return answered{typ: "[]object", fields: merged.fields}
	case "integer", "string", "number", "boolean", "datetime":
		return answered{typ: "[]" + merged.typ}
	case typeYN:
		return answered{typ: "[]string"} // a list of letters: text keeps them as they came
	}
	return answered{typ: "any", raw: merged.raw}
}

// mergeFields adds to a the fields of b it lacks, and widens a field two items type differently.
func mergeFields(a, b []*iParam) []*iParam {
	at := map[string]*iParam{}
	for _, f := range a {
		at[strings.ToLower(f.Name)] = f
	}
	for _, f := range b {
		prev, ok := at[strings.ToLower(f.Name)]
		switch {
		case !ok:
			a = append(a, f)
			at[strings.ToLower(f.Name)] = f
		case prev.Type == "" || prev.Type == f.Type && len(prev.Fields) == 0:
			if prev.Type == "" {
				*prev = *f
			}
		case prev.Type == f.Type:
			prev.Fields = mergeFields(prev.Fields, f.Fields)
		case f.Type != "":
			prev.Type, prev.Fields = widen(prev.Type, f.Type), nil
		}
	}
	return a
}

// widen is the type that holds the values of two types so that each encodes again as it came: "Y"
// and "text" are both text, 5 and 2.5 both numbers, a date and text both text; text against a number
// or true/false, or "Y" against true, is any (raw JSON keeps each value's form).
func widen(a, b string) string {
	pair := map[string]bool{a: true, b: true}
	switch {
	case pair["string"] && (pair[typeYN] || pair["datetime"]):
		return "string"
	case pair["integer"] && pair["number"]:
		return "number"
	}
	return "any"
}

// settleAnswer gives an answer its final types: see settle; a value that is only "Y"/"N" is text.
func settleAnswer(a answered) answered {
	a.fields = settle(a.fields)
	if a.typ == typeYN {
		a.typ = "string"
	}
	return a
}

// settle gives fields their final types: unknown values (null in every item) are any, "Y"/"N" values
// are boolean with bool: YN; each field gets its base type.
func settle(fs []*iParam) []*iParam {
	for _, f := range fs {
		switch f.Type {
		case "":
			f.Type = "any"
		case typeYN:
			f.Type, f.Bool = "boolean", spec.BoolYN
		}
		f.Base = baseOf(f.Type)
		f.Fields = settle(f.Fields)
	}
	return fs
}

// dataKeys reports an object whose keys are data rather than names: numbers; text no Go field can
// take, for more than a quarter of the keys or as the keys of texts (codes with their labels); or
// three or more objects alike (codes such as G2, AU naming entries of one kind).
func dataKeys(members []jsonobj.Member) bool {
	odd, texts := 0, 0
	for _, mb := range members {
		if reDigits.MatchString(mb.Key) {
			return true
		}
		if !reIdent.MatchString(mb.Key) {
			odd++
		}
		if v := bytes.TrimSpace(mb.Value); len(v) > 0 && v[0] == '"' {
			texts++
		}
	}
	if odd > 0 && (odd*4 > len(members) || texts == len(members)) {
		return true
	}
	if len(members) < 3 {
		return false
	}
	var first string
	for i, mb := range members {
		v := bytes.TrimSpace(mb.Value)
		if len(v) == 0 || v[0] != '{' {
			return false
		}
		inner, err := jsonobj.Members(v)
		if err != nil || len(inner) == 0 {
			return false
		}
		keys := make([]string, len(inner))
		for j, k := range inner {
			keys[j] = k.Key
		}
		if shape := strings.Join(keys, ","); i == 0 {
			first = shape
		} else if shape != first {
			return false
		}
	}
	return true
}
