package model

import "strings"

// Kind is the shape of a Go type.
type Kind int

const (
	Builtin Kind = iota // string, int, float64, bool, any, byte
	Qual                // a type of another package: b24.DialogID, json.RawMessage
	Local               // a named structure of the same package
	Slice
	Map     // map[string]Elem
	Pointer // *Elem
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
	}
	return t.Name
}

// Deref is the type without a pointer.
func (t *Type) Deref() *Type {
	if t.Kind == Pointer {
		return t.Elem
	}
	return t
}

func builtin(name string) *Type { return &Type{Kind: Builtin, Name: name} }
func runtime(name string) *Type { return &Type{Kind: Qual, Name: name, Path: RuntimePath} }
func sliceOf(e *Type) *Type     { return &Type{Kind: Slice, Elem: e} }
func pointerTo(e *Type) *Type   { return &Type{Kind: Pointer, Elem: e} }
func local(name string) *Type   { return &Type{Kind: Local, Name: name} }
func rawJSON() *Type            { return &Type{Kind: Qual, Name: "RawMessage", Path: JSONPath} }
func isNamed(expr string) bool  { return expr != "" && expr[0] >= 'A' && expr[0] <= 'Z' }
func elemOf(expr string) string { return strings.TrimPrefix(expr, "[]") }
func isSlice(expr string) bool  { return strings.HasPrefix(expr, "[]") }

// paramType is the Go type of a parameter or structure field value, before the optional pointer.
// A boolean sent as 1/0 has no runtime type, so it is an int the caller sets to 1 or 0.
func paramType(expr, boolMode string) *Type {
	if isSlice(expr) {
		return sliceOf(paramType(elemOf(expr), boolMode))
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
		case "YN":
			return runtime("YesNo")
		case "10":
			return builtin("int")
		}
		return builtin("bool")
	case "dialog_id":
		return runtime("DialogID")
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

// declared is the type a field is declared with, and whether it takes omitempty: required values
// are plain; optional ones are pointers with omitempty, except slices, maps and any, whose zero
// value already means "absent".
func declared(t *Type, required bool) (*Type, bool) {
	if required {
		return t, false
	}
	if t.Kind == Slice || t.Kind == Map || (t.Kind == Builtin && t.Name == "any") {
		return t, true
	}
	return pointerTo(t), true
}

// resultType is the Go type of a method result: the scalar types decode through the runtime's
// tolerant types, everything else stays raw JSON for the caller to decode.
func resultType(expr string) *Type {
	switch expr {
	case "boolean":
		return runtime("Bool")
	case "integer", "id":
		return runtime("Int")
	case "string":
		return builtin("string")
	case "number":
		return builtin("float64")
	case "[]id", "[]integer":
		return sliceOf(runtime("Int"))
	}
	return rawJSON()
}

// cliType is clikit's Param.Type: the spec type with named structures reduced to "object".
func cliType(expr string) string {
	if isSlice(expr) {
		return "[]" + cliType(elemOf(expr))
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
