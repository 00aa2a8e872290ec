package model

import (
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// Kind is the shape of a Go type.
type Kind int

const (
	Builtin Kind = iota // string, int, float64, bool, any, byte
	Qual                // a type of another package: b24.DialogID, json.RawMessage
	Local               // a named structure of the same package
	Slice
	Map     // map[string]Elem
	Pointer // *Elem
	Generic // a generic type of another package with Elem as its argument: b24.Map[Elem]
)

// Type is a Go type as the emitters print it.
type Type struct {
	Kind Kind
	Name string // Builtin, Qual and Local
	Path string // Qual: import path
	Elem *Type  // Slice, Map, Pointer
}

// String prints the type with package names (b24.Int, json.RawMessage), as docs show it.
func (t *Type) String() string {
	switch t.Kind {
	case Qual:
		return t.Path[strings.LastIndex(t.Path, "/")+1:] + "." + t.Name
	case Slice:
		return "[]" + t.Elem.String()
	case Map:
		return "map[string]" + t.Elem.String()
	case Pointer:
		return "*" + t.Elem.String()
	case Generic:
		return t.Path[strings.LastIndex(t.Path, "/")+1:] + "." + t.Name + "[" + t.Elem.String() + "]"
	}
	return t.Name
}

// Qualified prints the type as code outside its package sees it: local structures get the
// package name too (crm.DealGetResult), as the docs show them next to *crm.DealGetResponse.
func (t *Type) Qualified(pkg string) string {
	switch t.Kind {
	case Local:
		return pkg + "." + t.Name
	case Slice:
		return "[]" + t.Elem.Qualified(pkg)
	case Map:
		return "map[string]" + t.Elem.Qualified(pkg)
	case Pointer:
		return "*" + t.Elem.Qualified(pkg)
	case Generic:
		return t.Path[strings.LastIndex(t.Path, "/")+1:] + "." + t.Name + "[" + t.Elem.Qualified(pkg) + "]"
	}
	return t.String()
}

// Deref is the type without a pointer.
func (t *Type) Deref() *Type {
	if t.Kind == Pointer {
		return t.Elem
	}
	return t
}

// isLang is b24.LangMap: a map, so nil already means unset.
func isLang(t *Type) bool { return t.Kind == Qual && t.Name == "LangMap" }

func builtin(name string) *Type { return &Type{Kind: Builtin, Name: name} }
func runtime(name string) *Type { return &Type{Kind: Qual, Name: name, Path: RuntimePath} }
func sliceOf(e *Type) *Type     { return &Type{Kind: Slice, Elem: e} }
func dataMapOf(e *Type) *Type   { return &Type{Kind: Generic, Name: "Map", Path: RuntimePath, Elem: e} }
func pointerTo(e *Type) *Type   { return &Type{Kind: Pointer, Elem: e} }
func local(name string) *Type   { return &Type{Kind: Local, Name: name} }
func rawJSON() *Type            { return &Type{Kind: Qual, Name: "RawMessage", Path: JSONPath} }
func isNamed(expr string) bool  { return expr != "" && expr[0] >= 'A' && expr[0] <= 'Z' }
func elemOf(expr string) string { return strings.TrimPrefix(expr, "[]") }
func isSlice(expr string) bool  { return strings.HasPrefix(expr, "[]") }

const mapPrefix = "map[string]"

func isMap(expr string) bool { return strings.HasPrefix(expr, mapPrefix) }

// isObject reports whether a spec type is an object or a list of objects: the types that become a
// generated struct when the spec lists their fields.
func isObject(expr string) bool {
	return expr == "object" || expr == "[]object" || expr == mapPrefix+"object"
}

// paramType is the Go type of a parameter or structure field value, before the optional pointer.
// A boolean sent as 1/0 has no runtime type, so it is an int the caller sets to 1 or 0.
func paramType(expr, boolMode string) *Type {
	if isSlice(expr) {
		return sliceOf(paramType(elemOf(expr), boolMode))
	}
	if isMap(expr) {
		return &Type{Kind: Map, Elem: paramType(strings.TrimPrefix(expr, mapPrefix), boolMode)}
	}
	switch expr {
	case "string", "date", "datetime":
		return builtin("string")
	case "integer", "id":
		return builtin("int")
	case "number":
		return builtin("float64")
	case "boolean":
		switch boolMode {
		case spec.BoolYN:
			return runtime("YesNo")
		case spec.Bool10:
			return builtin("int")
		}
		return builtin("bool")
	case "dialog_id":
		return runtime("DialogID")
	case "lang":
		return runtime("LangMap")
	case "object":
		return &Type{Kind: Map, Elem: builtin("any")}
	case "any":
		return builtin("any")
	case "base64":
		return sliceOf(builtin("byte"))
	case "file":
		return runtime("File")
	}
	return local(expr)
}

// declared is the type a field is declared with and its JSON omission option, by the rule that a
// call sends exactly the keys its caller set: no zero value the caller never wrote reaches the wire.
//   - need is a parameter the method cannot run without, at the top level of a method that takes
//     named parameters. When its zero value is never a real value (an ID, a text, a dialog, an
//     object, a list), it is a plain value with omitzero, and the call refuses to send it unset.
//   - Anything else (optional, nested at any depth, positional, or a number or flag whose 0 and
//     false are real values) is a pointer with omitempty, so that "set to zero" and "unset" differ;
//     slices and maps are nil when unset (omitzero: an empty one the caller made is sent), any is nil.
func declared(t *Type, expr string, need bool) (*Type, string) {
	if need && zeroIsUnset(t, expr) {
		return t, "omitzero"
	}
	if t.Kind == Slice || t.Kind == Map || isLang(t) {
		return t, "omitzero"
	}
	if t.Kind == Builtin && t.Name == "any" {
		return t, "omitempty"
	}
	return pointerTo(t), "omitempty"
}

// zeroIsUnset reports the types whose zero value no caller means to send: record IDs start at 1,
// and an empty text, dialog, object or list carries nothing.
func zeroIsUnset(t *Type, expr string) bool {
	switch t.Kind {
	case Local, Slice, Map:
		return true
	case Qual:
		return t.Name == "DialogID" || t.Name == "File" || isLang(t)
	case Builtin:
		return t.Name == "string" || (t.Name == "int" && expr == "id")
	}
	return false
}

// resultType is the Go type of a method result or of a field of a result structure: scalars decode
// through the runtime's tolerant types (an ID may arrive as 5 or "5", a flag as true or "Y"),
// lists of them as slices, everything else stays raw JSON for the caller to decode. Objects with
// documented fields are handled by the builder, which names their structures.
func resultType(expr, boolMode string) *Type {
	if isSlice(expr) {
		if e := resultType(elemOf(expr), boolMode); e.Name != "RawMessage" {
			return sliceOf(e)
		}
		return rawJSON()
	}
	if isMap(expr) {
		if e := resultType(strings.TrimPrefix(expr, mapPrefix), boolMode); e.Name != "RawMessage" {
			return dataMapOf(e)
		}
		return rawJSON()
	}
	switch expr {
	case "boolean":
		if boolMode == spec.BoolYN {
			return runtime("YesNo") // keeps "Y"/"N" when encoded again
		}
		return runtime("Bool")
	case "integer", "id":
		return runtime("Int")
	case "string", "date", "datetime", "dialog_id":
		return runtime("String")
	case "number":
		return runtime("Float")
	case "lang":
		return runtime("LangMap")
	}
	return rawJSON()
}

// clikitObjectOrList is clikit's type of a structure with a short form: a JSON object or a list.
const clikitObjectOrList = "object|[]object"

// cliType is clikit's Param.Type: the spec type with named structures reduced to "object".
func cliType(expr string) string {
	if isSlice(expr) {
		return "[]" + cliType(elemOf(expr))
	}
	if isMap(expr) {
		return mapPrefix + cliType(strings.TrimPrefix(expr, mapPrefix))
	}
	if isNamed(expr) {
		return "object"
	}
	return expr
}

func isBinary(expr string) bool {
	e := elemOf(expr)
	return e == "base64" || e == "file"
}
