// Package jsonschema makes the JSON Schemas (draft 2020-12) of the model's values, for the MCP tool
// catalog and the OpenAPI document alike: one builder, so that the two say the same about every
// parameter. OpenAPI refers to structures as components and adds its x- annotations; MCP inlines
// structures and keeps to standard keywords.
package jsonschema

import (
	"slices"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// Builder makes schemas. The zero Builder inlines every structure and adds no extension.
type Builder struct {
	// Ref, when set, refers to a structure instead of inlining it; where describes the place it is
	// used at ("the fields parameter of crm.deal.add"), for a structure generated there.
	Ref func(st *model.Struct, where string) jsonobj.Ordered
	// Extensions adds what OpenAPI readers take beside the schema: x-description-ru, x-b24-type,
	// x-b24-required, and a default or enum the type cannot hold as x-b24-default and x-b24-enum.
	// Without it, the Russian text joins the description on a line of its own.
	Extensions bool

	inlining map[*model.Struct]bool // structures being inlined: one that contains itself stops there
}

// Params is the schema of a method's parameters as an object (positional methods too: their order
// is said in the description).
func (b *Builder) Params(mm *model.Method) jsonobj.Ordered {
	o := jsonobj.Of("type", "object")
	var notes []string
	for _, g := range mm.OneOf {
		notes = append(notes, "Give one of "+strings.Join(g, ", ")+".")
	}
	if mm.Positional {
		notes = append(notes, "Sent as a JSON array in the order of the properties.")
	}
	o.Text("description", strings.Join(notes, " "))
	props := jsonobj.Ordered{}
	var req []string
	for _, f := range mm.Params {
		props.Set(f.Wire, b.Field(f, "the "+f.Wire+" parameter of "+mm.Wire))
		if f.Required {
			req = append(req, f.Wire)
		}
	}
	o.Set("properties", props)
	if len(req) > 0 {
		o.Set("required", req)
	}
	return o
}

// Field is the schema of a parameter or structure field: its value's, with its description, its
// default and its enum. where names the field for a structure generated from it.
func (b *Builder) Field(f *model.Field, where string) jsonobj.Ordered {
	s := b.Value(f.Value, where)
	// the field's own words come first, then the type's, except a dialog's, which a documented
	// field explains
	own, _ := s.Get("description").(string)
	ownRU, _ := s.Get("x-description-ru").(string)
	s = without(s, "description", "x-description-ru")
	en, ru := oneLine(f.Summary.EN), oneLine(f.Summary.RU)
	if en != "" && f.Value.Is(model.DialogID) {
		own, ownRU = "", ""
	}
	if ru == en {
		ru = ""
	}
	if note := f.Remark(); note.EN != "" {
		en, ru = join(en, note.EN), join(ru, note.RU)
	}
	if f.Documented { // not in required: the call is sent without it, and the portal answers
		en, ru = join(en, "The docs mark it required."), join(ru, "В документации отмечен как обязательный.")
	}
	if b.Extensions {
		s.Text("description", join(en, own))
		s.Text("x-description-ru", join(ru, ownRU))
	} else {
		s.Text("description", join(en, ru, own))
	}
	if f.Default != "" {
		if v, ok := f.Value.Literal(f.Default); ok {
			s.Set("default", v)
		} else if b.Extensions {
			s.Set("x-b24-default", f.Default)
		}
	}
	if len(f.Enum) == 0 || s.Get("enum") != nil { // Y/N and 1/0 flags have theirs
		return s
	}
	if f.Value.Shape == model.ListValue {
		if vals := enumValues(f.Enum, f.Value.Elem); vals != nil { // a list's values are its items'
			replace(s, "items", append(slices.Clip(s.Get("items").(jsonobj.Ordered)), jsonobj.Pair{Key: "enum", Value: vals}))
			return s
		}
	} else if vals := enumValues(f.Enum, f.Value); vals != nil {
		s.Set("enum", vals)
		return s
	}
	if b.Extensions {
		s.Set("x-b24-enum", f.Enum)
	}
	return s
}

// describe adds a description in English and Russian: Russian as an extension, or on its own line.
func (b *Builder) describe(s jsonobj.Ordered, en, ru string) jsonobj.Ordered {
	en, ru = strings.TrimSpace(en), strings.TrimSpace(ru)
	if ru == en {
		ru = ""
	}
	if b.Extensions {
		s.Text("description", en)
		s.Text("x-description-ru", ru)
		return s
	}
	s.Text("description", strings.TrimSpace(en+"\n"+ru))
	return s
}

// Value is the schema of a value; where names it for a structure generated from its fields.
func (b *Builder) Value(v *model.Value, where string) jsonobj.Ordered {
	switch v.Shape {
	case model.ScalarValue:
		s := v.Scalar.Schema()
		if b.Extensions && v.Scalar.Tagged {
			s.Set("x-b24-type", v.Scalar.Name)
		}
		return s
	case model.ListValue:
		return jsonobj.Of("type", "array", "items", b.Value(v.Elem, "one item of "+where))
	case model.MapValue:
		return jsonobj.Of("type", "object", "additionalProperties", b.Value(v.Elem, "a value of "+where))
	case model.ObjectValue:
		if v.Struct == nil {
			return jsonobj.Of("type", "object")
		}
		return b.structure(v.Struct, where)
	}
	return jsonobj.Ordered{}
}

// structure refers to a structure or inlines it; one that is also taken as the bare list of one of
// its fields (short) is either.
func (b *Builder) structure(st *model.Struct, where string) jsonobj.Ordered {
	var s jsonobj.Ordered
	switch {
	case b.Ref != nil:
		s = b.Ref(st, where)
	case b.inlining[st]:
		return jsonobj.Of("type", "object", "description", "A "+st.Name+" structure, as described above.")
	default:
		if b.inlining == nil {
			b.inlining = map[*model.Struct]bool{}
		}
		b.inlining[st] = true
		s = b.Object(st)
		delete(b.inlining, st)
	}
	if st.Short == "" {
		return s
	}
	for _, f := range st.Fields {
		if f.Wire == st.Short {
			alt := b.Value(f.Value, "the "+f.Wire+" field of "+st.Name)
			alt.Set("description", "The "+st.Short+" field alone, when it is the only one set.")
			return jsonobj.Of("anyOf", []any{s, alt})
		}
	}
	return s
}

// Object is the schema of a structure with its documented fields.
func (b *Builder) Object(st *model.Struct) jsonobj.Ordered {
	o := jsonobj.Of("type", "object")
	var req []string
	for _, f := range st.Fields {
		if f.Required && !st.Result {
			req = append(req, f.Wire)
		}
	}
	desc, ru := oneLine(st.Summary.EN), oneLine(st.Summary.RU)
	switch st.Free {
	case spec.FreeUF:
		desc += " User fields (UF_*) and other keys it does not document are also taken."
	case spec.FreeAny:
		if !st.Result {
			desc += " Keys it does not document are also taken."
		}
	}
	generated := st.Doc != "" // made from a method's documented fields, not a named structure
	if generated && len(req) > 0 {
		// the docs mark the fields an object needs when it is created, and the same fields describe
		// its update, which may leave them out: said, not enforced, as in Go
		desc += " Needed when it is created: " + strings.Join(req, ", ") + "."
	}
	o = b.describe(o, desc, ru)
	if len(st.Fields) > 0 {
		props := make(jsonobj.Ordered, 0, len(st.Fields))
		for _, f := range st.Fields {
			props.Set(f.Wire, b.Field(f, "the "+f.Wire+" field of "+st.Name))
		}
		o.Set("properties", props)
	}
	switch {
	case len(req) == 0:
	case !generated:
		o.Set("required", req) // a named structure is a whole value: what it requires, it always needs
	case b.Extensions:
		o.Set("x-b24-required", req)
	}
	if st.Free == "" && !st.Result {
		o.Set("additionalProperties", false)
	}
	return o
}

// enumValues are the spec's enum texts as values of v; nil when one is not.
func enumValues(enum []string, v *model.Value) []any {
	out := make([]any, 0, len(enum))
	for _, e := range enum {
		x, ok := v.Literal(e)
		if !ok {
			return nil
		}
		out = append(out, x)
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// join puts texts on lines of their own, leaving out empty ones.
func join(texts ...string) string {
	return strings.Join(slices.DeleteFunc(texts, func(t string) bool { return t == "" }), "\n")
}

// without is s without the keys.
func without(s jsonobj.Ordered, keys ...string) jsonobj.Ordered {
	return slices.DeleteFunc(slices.Clone(s), func(p jsonobj.Pair) bool { return slices.Contains(keys, p.Key) })
}

// replace sets the value of an existing key.
func replace(s jsonobj.Ordered, key string, v any) {
	for i := range s {
		if s[i].Key == key {
			s[i].Value = v
		}
	}
}
