package model

import (
	"fmt"
	"slices"
	"strings"
)

// fold gives structures that are the same field for field one declaration: the first keeps it (the
// namespace's named structures first, then the methods' in wire order) and the others become
// aliases of it (type ItemUpdateFields = ItemAddFields), so that their names stay and their values
// convert freely. Params structs fold the same way. Children fold first: two structures whose
// fields differ only by the names of identical children are the same too.
func fold(ns *Namespace) {
	var all []*Struct
	all = append(all, ns.Types...)
	for _, r := range ns.Records {
		all = append(all, r.Struct)
	}
	for _, m := range ns.Methods {
		all = append(all, m.Structs...)
	}
	byName := foldStructs(all)
	seen := map[string]*Method{}
	for _, m := range ns.Methods {
		sig := paramsSig(m, byName)
		if first, ok := seen[sig]; ok {
			m.ParamsAlias = first
			continue
		}
		seen[sig] = m
	}
}

// structSig is what a structure's declaration says, but its name and comment, with the structures
// its fields refer to named by their declarations.
func structSig(st *Struct, byName map[string]*Struct) string {
	var b strings.Builder
	b.WriteString(st.Free + "|" + st.Extra + "|" + st.Short)
	if st.Result {
		b.WriteString("|result")
	}
	fieldsSig(&b, st.Fields, byName)
	return b.String()
}

// paramsSig is structSig for a method's params struct and the methods declared on it.
func paramsSig(m *Method, byName map[string]*Struct) string {
	var b strings.Builder
	b.WriteString(m.Extra + "|" + strings.Join(m.Required, ","))
	if m.Positional {
		b.WriteString("|positional")
	}
	fieldsSig(&b, m.Params, byName)
	return b.String()
}

func fieldsSig(b *strings.Builder, fs []*Field, byName map[string]*Struct) {
	for _, f := range fs {
		b.WriteString("\n" + f.GoName + " " + declaredName(f.Type, byName) + " " + f.Wire + "," + f.Omit)
		// what the field's comment says
		b.WriteString("|" + f.Summary.EN + "|" + strings.Join(f.Enum, ",") + "|" + f.Default + "|" + f.Note + "|" + strings.Join(f.OneOf, ","))
		if f.Required {
			b.WriteString("|required")
		}
		if f.Top {
			b.WriteString("|top")
		}
	}
}

// declaredName prints a type with its local structures named by their declarations.
func declaredName(t *Type, byName map[string]*Struct) string {
	switch t.Kind {
	case Slice:
		return "[]" + declaredName(t.Elem, byName)
	case Map:
		return "map[string]" + declaredName(t.Elem, byName)
	case Pointer:
		return "*" + declaredName(t.Elem, byName)
	case Generic:
		return t.Name + "[" + declaredName(t.Elem, byName) + "]"
	case Local:
		st := byName[t.Name]
		for st != nil && st.Alias != nil {
			st = st.Alias
		}
		if st != nil {
			return st.Name
		}
	}
	return t.String()
}

// Record is one entity's record, as the methods of the entity answer it: one declared structure
// that the records of each method (get's, list's rows, add's and update's) are aliases of.
type Record struct {
	Entity  string   // the wire names' common part: "crm.item"
	File    *Entity  // the file it is printed in: its first method's
	Struct  *Struct  // the merged structure: every field any of the methods documents
	Methods []string // the methods whose answers hold it, in wire order
	Widened []string // the fields two methods typed differently, each with the type it got: "opportunity: b24.Int, b24.Float → b24.Float"
}

// recordMethods are the last wire segments whose answer is one record of their entity.
var recordMethods = map[string]bool{"get": true, "add": true, "update": true}

// records merges, entity by entity, the structures its methods answer one record with (the row of
// list, the result of get, add and update, or the single object inside it, as crm.item.get's
// item): the fields of all, in the order first met, a field two methods type differently widened
// (see widen). The merged structure is named after the entity (crm.item → Item; ItemRecord when
// the name is taken) and declared in the file of the entity's first method.
func (b *builder) records(ns *Namespace, names goNames) {
	byName := map[string]*Struct{}
	for _, st := range ns.Types {
		byName[st.Name] = st
	}
	for _, m := range ns.Methods {
		for _, st := range m.Structs {
			byName[st.Name] = st
		}
	}
	type group struct {
		key     string
		structs []*Struct
		methods []*Method
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, m := range ns.Methods {
		st := recordOf(m, byName)
		if st == nil {
			continue
		}
		key := m.Wire[:strings.LastIndexByte(m.Wire, '.')]
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.methods = append(g.methods, m)
		if !slices.Contains(g.structs, st) {
			g.structs = append(g.structs, st)
		}
	}
	for _, g := range groups {
		if len(g.structs) < 2 || slices.ContainsFunc(g.structs[1:], func(st *Struct) bool { return caseClash(g.structs[0], st) }) {
			continue
		}
		name := camel(strings.TrimPrefix(g.key[len(ns.Name):], "."), b.compounds)
		if name == "" {
			name = camel(ns.Name, b.compounds)
		}
		if _, taken := names[name]; taken {
			name += "Record"
		}
		if _, taken := names[name]; taken {
			continue
		}
		first := g.structs[0]
		merged := &Struct{Name: name, SpecFile: first.SpecFile, Free: first.Free, Extra: first.Extra, Result: true}
		names[name] = "the record of " + g.key + ".*"
		rec := &Record{Entity: g.key, Struct: merged}
		for _, m := range g.methods {
			rec.Methods = append(rec.Methods, m.Wire)
		}
		merged.Doc = fmt.Sprintf("%s is a record of %s.* as its methods answer it (%s): every field one of them documents; "+
			"its fields decode leniently (an ID as 5 or \"5\"; a value that does not fit leaves its field zero, is kept in %s and named in Response.Unfit).",
			name, g.key, strings.Join(rec.Methods, ", "), merged.Extra)
		for _, f := range first.Fields {
			c := *f
			merged.Fields = append(merged.Fields, &c)
		}
		for _, st := range g.structs[1:] {
			rec.Widened = append(rec.Widened, mergeFields(merged, st, byName)...)
		}
		for _, st := range g.structs {
			st.Alias = merged
		}
		rec.Entity, rec.File = g.key, g.methods[0].Entity
		byName[name] = merged
		ns.Records = append(ns.Records, rec)
	}
}

// recordOf is the structure a method answers one record of its entity with, nil for none.
func recordOf(m *Method, byName map[string]*Struct) *Struct {
	if m.List != nil {
		if m.List.Row.Kind == Local {
			return byName[m.List.Row.Name]
		}
		return nil
	}
	st := m.Result.Struct
	if st == nil || m.Result.Value.Shape != ObjectValue || !recordMethods[m.Wire[strings.LastIndexByte(m.Wire, '.')+1:]] {
		return nil
	}
	if len(st.Fields) == 1 && st.Fields[0].Type.Kind == Local { // {"item": {…}}
		return byName[st.Fields[0].Type.Name]
	}
	return st
}

// mergeFields adds to dst the fields of src it lacks, and widens those both have with different
// types; it returns the widenings, worded.
func mergeFields(dst, src *Struct, byName map[string]*Struct) []string {
	var widened []string
	for _, sf := range src.Fields {
		// one Go field per name: a key two methods spell in two cases (ID, id) is one field
		i := slices.IndexFunc(dst.Fields, func(f *Field) bool { return f.GoName == sf.GoName })
		if i < 0 {
			c := *sf
			dst.Fields = append(dst.Fields, &c)
			continue
		}
		df := dst.Fields[i]
		from := df.Type.String() + ", " + sf.Type.String()
		if w := widen(df, sf, byName); w {
			widened = append(widened, sf.Wire+": "+from+" → "+df.Type.String())
		}
	}
	return widened
}

// widen gives dst a type that holds src's values too, each written back as it came (what the
// typed results promise), and reports whether dst changed: an integer and a number make a number,
// two structures the same field for field stay, and any other pair (a text and a number, a Y/N
// flag and a boolean, two different structures, raw JSON and a type) is raw JSON, which keeps
// every form. The methods' own structures are left as they are.
func widen(dst, src *Field, byName map[string]*Struct) bool {
	dt, st := dst.Type, src.Type
	scalar := func(t *Type) bool { return t.Kind == Qual && t.Path == RuntimePath }
	switch {
	case declaredName(dt, byName) == declaredName(st, byName), dt.IsRaw(), sameStructs(dt, st, byName):
		return false
	case scalar(dt) && scalar(st) && (dt.Name+st.Name == "IntFloat" || dt.Name+st.Name == "FloatInt"):
		dst.Type, dst.Value = runtime("Float"), &Value{Shape: ScalarValue, Scalar: Number}
		return true
	}
	dst.Type, dst.Value, dst.Struct = rawJSON(), &Value{Shape: AnyValue}, nil
	return true
}

// sameStructs reports two structures (or lists of them) the same field for field.
func sameStructs(a, b *Type, byName map[string]*Struct) bool {
	if a.Kind == Slice && b.Kind == Slice {
		a, b = a.Elem, b.Elem
	}
	sa, sb := byName[a.Name], byName[b.Name]
	return a.Kind == Local && b.Kind == Local && sa != nil && sb != nil && structSig(sa, byName) == structSig(sb, byName)
}

// caseClash reports a key two structures spell in two cases (ID, id): one Go field cannot write
// both back as they came, so such structures stay apart.
func caseClash(a, b *Struct) bool {
	return slices.ContainsFunc(a.Fields, func(f *Field) bool {
		return slices.ContainsFunc(b.Fields, func(g *Field) bool { return f.GoName == g.GoName && f.Wire != g.Wire })
	})
}

// foldStructs makes each structure of all that repeats an earlier one field for field (their
// nested structures folded first) an alias of it, and returns the structures by name.
func foldStructs(all []*Struct) map[string]*Struct {
	byName := make(map[string]*Struct, len(all))
	for _, st := range all {
		byName[st.Name] = st
	}
	for changed := true; changed; {
		changed = false
		seen := map[string]*Struct{}
		for _, st := range all {
			if st.Alias != nil {
				continue
			}
			sig := structSig(st, byName)
			if first, ok := seen[sig]; ok {
				st.Alias, changed = first, true
				continue
			}
			seen[sig] = st
		}
	}
	for _, st := range all {
		for st.Alias != nil && st.Alias.Alias != nil {
			st.Alias = st.Alias.Alias
		}
	}
	return byName
}
