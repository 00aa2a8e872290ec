package model

import (
	"strings"
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

// IsAny reports Go's any.
func (t *Type) IsAny() bool { return t.Kind == Builtin && t.Name == "any" }

// IsRaw reports json.RawMessage: a value the caller decodes.
func (t *Type) IsRaw() bool { return t.Kind == Qual && t.Path == JSONPath && t.Name == "RawMessage" }

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

// paramGo is the Go type of a value sent, before the optional pointer.
func paramGo(v *Value) *Type {
	switch v.Shape {
	case ScalarValue:
		return v.Scalar.Param
	case ListValue:
		return sliceOf(paramGo(v.Elem))
	case MapValue:
		return &Type{Kind: Map, Elem: paramGo(v.Elem)}
	case ObjectValue:
		if v.Named != "" {
			return local(v.Named)
		}
		return &Type{Kind: Map, Elem: builtin("any")}
	}
	return builtin("any")
}

// declared is the type a field is declared with and its JSON omission option, by the rule that a
// call sends exactly the keys its caller set: no zero value the caller never wrote reaches the wire.
//   - need is a parameter the method cannot run without, at the top level of a method that takes
//     named parameters. When its zero value is never a real value (an ID, a text, a dialog, an
//     object, a list), it is a plain value with omitzero, and the call refuses to send it unset.
//   - Anything else (optional, nested at any depth, positional, or a number or flag whose 0 and
//     false are real values) is a pointer with omitempty, so that "set to zero" and "unset" differ;
//     slices and maps are nil when unset (omitzero: an empty one the caller made is sent), any is nil.
func declared(t *Type, v *Value, need bool) (*Type, string) {
	if need && zeroIsUnset(t, v) {
		return t, "omitzero"
	}
	if t.Kind == Slice || t.Kind == Map || isLang(t) {
		return t, "omitzero"
	}
	if t.IsAny() {
		return t, "omitempty"
	}
	return pointerTo(t), "omitempty"
}

// zeroIsUnset reports the values whose zero no caller means to send: structures, lists and maps
// carry nothing empty, and the scalars say for themselves.
func zeroIsUnset(t *Type, v *Value) bool {
	switch t.Kind {
	case Local, Slice, Map:
		return true
	}
	return v.Shape == ScalarValue && v.Scalar.ZeroUnset
}

// resultGo is the Go type of a method result or of a field of a result structure: scalars decode
// through the runtime's tolerant types (an ID may arrive as 5 or "5", a flag as true or "Y"),
// lists of them as slices, maps of them as b24.Map, everything else stays raw JSON for the caller
// to decode. Objects with documented fields are handled by the builder, which names their
// structures.
func resultGo(v *Value) *Type {
	switch v.Shape {
	case ScalarValue:
		return v.Scalar.Result
	case ListValue:
		if e := resultGo(v.Elem); !e.IsRaw() {
			return sliceOf(e)
		}
	case MapValue:
		if e := resultGo(v.Elem); !e.IsRaw() {
			return dataMapOf(e)
		}
	}
	return rawJSON()
}

// clikitObjectOrList is clikit's type of a structure with a short form: a JSON object or a list.
const clikitObjectOrList = "object|[]object"

// cliType is clikit's Param.Type: the scalar's, in lists and maps, with every object "object".
func cliType(v *Value) string {
	switch v.Shape {
	case ScalarValue:
		return v.Scalar.CLI
	case ListValue:
		return "[]" + cliType(v.Elem)
	case MapValue:
		return mapPrefix + cliType(v.Elem)
	case ObjectValue:
		return "object"
	}
	return "any"
}
