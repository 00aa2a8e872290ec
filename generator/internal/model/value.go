package model

import (
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// Shape is what a value is.
type Shape int

const (
	ScalarValue Shape = iota // one of the closed set of Scalars
	ListValue                // a list of Elem
	MapValue                 // an object keyed by data (IDs, codes), its values Elem
	ObjectValue              // an object; Struct documents its fields, nil for a free one
	AnyValue                 // any JSON value
)

// Value is the type of a parameter, a field or a result as every output sees it. The model settles
// it once, from the spec's type expression; the Go, CLI, docs, MCP and OpenAPI emitters print it.
type Value struct {
	Shape  Shape
	Scalar *Scalar // ScalarValue
	Elem   *Value  // ListValue, MapValue
	// Struct holds an object's documented fields: a named structure of _types.yaml (Named set) or
	// one generated from the field's own documented fields; nil for an object of free keys.
	Struct *Struct
	Named  string
}

// Spec is the value in the spec's notation, as the docs show it: "[]id", "map[string]object",
// "AttachBlock".
func (v *Value) Spec() string {
	switch v.Shape {
	case ScalarValue:
		return v.Scalar.Name
	case ListValue:
		return "[]" + v.Elem.Spec()
	case MapValue:
		return mapPrefix + v.Elem.Spec()
	case ObjectValue:
		if v.Named != "" {
			return v.Named
		}
		return "object"
	}
	return "any"
}

// Inner is the value inside the lists and maps of v: what an item is.
func (v *Value) Inner() *Value {
	for v.Shape == ListValue || v.Shape == MapValue {
		v = v.Elem
	}
	return v
}

// Is reports whether v is the scalar s, or a list of it.
func (v *Value) Is(s *Scalar) bool {
	if v.Shape == ListValue {
		v = v.Elem
	}
	return v.Shape == ScalarValue && v.Scalar == s
}

// Binary reports a file or base64 content, also inside a list: the CLI takes a path or a URL.
func (v *Value) Binary() bool {
	in := v.Inner()
	return in.Shape == ScalarValue && (in.Scalar == Base64 || in.Scalar == FileValue || in.Scalar == FileData)
}

const mapPrefix = "map[string]"

// valueOf reads a spec type expression; a named structure is looked up by name when the namespace's
// structures are all known (see resolve).
func valueOf(expr, boolMode string) *Value {
	switch {
	case strings.HasPrefix(expr, "[]"):
		return &Value{Shape: ListValue, Elem: valueOf(expr[2:], boolMode)}
	case strings.HasPrefix(expr, mapPrefix):
		return &Value{Shape: MapValue, Elem: valueOf(expr[len(mapPrefix):], boolMode)}
	case expr == "object":
		return &Value{Shape: ObjectValue}
	case expr == "any" || expr == "":
		return &Value{Shape: AnyValue}
	case expr[0] >= 'A' && expr[0] <= 'Z':
		return &Value{Shape: ObjectValue, Named: expr}
	}
	if expr == "boolean" {
		switch boolMode {
		case spec.BoolYN:
			return &Value{Shape: ScalarValue, Scalar: FlagYN}
		case spec.Bool10:
			return &Value{Shape: ScalarValue, Scalar: Flag10}
		}
	}
	return &Value{Shape: ScalarValue, Scalar: scalars[expr]}
}

// Scalar is one kind of the closed set of plain values the spec names. It decides, for every
// output, the value's Go type sent and received, its JSON Schema, its CLI option type and its
// example; no emitter decides any of these from the spec's words.
type Scalar struct {
	Name   string // the spec's word, as the docs show it
	Param  *Type  // Go type of a value sent
	Result *Type  // Go type of a value received: the runtime's tolerant decoding, raw JSON for none
	CLI    string // clikit's option type
	// ZeroUnset: no caller means to send its zero value (a record ID, a text, a dialog, a file), so a
	// required parameter of it is a plain value, unset when zero.
	ZeroUnset bool
	Note      string // what a Go doc comment adds about how it goes on the wire
	// Tagged: its JSON Schema type does not say it all (an ID, a dialog, texts by language, a file),
	// so OpenAPI names it in x-b24-type.
	Tagged  bool
	schema  func() jsonobj.Ordered
	sample  func(lowerWire string) *Sample
	literal func(text string) (any, bool)
}

// Literal is a value the spec writes as text (a default, an enum value) as a JSON value of the
// scalar; false when the text is not one.
func (s *Scalar) Literal(text string) (any, bool) {
	if s.literal == nil {
		return nil, false
	}
	return s.literal(text)
}

// Literal is Scalar.Literal for any value: text for any, none for objects, lists and maps.
func (v *Value) Literal(text string) (any, bool) {
	switch v.Shape {
	case ScalarValue:
		return v.Scalar.Literal(text)
	case AnyValue:
		return text, true
	}
	return nil, false
}

func textLiteral(t string) (any, bool) { return t, true }

func intLiteral(t string) (any, bool) {
	n, err := strconv.Atoi(t)
	return n, err == nil
}

func numberLiteral(t string) (any, bool) {
	n, err := strconv.ParseFloat(t, 64)
	return n, err == nil
}

func boolLiteral(t string) (any, bool) {
	b, err := strconv.ParseBool(t)
	return b, err == nil
}

// Schema is the value's JSON Schema, as the portal takes and sends it.
func (s *Scalar) Schema() jsonobj.Ordered { return s.schema() }

func schemaOf(kv ...any) func() jsonobj.Ordered {
	return func() jsonobj.Ordered { return jsonobj.Of(kv...) }
}

func scalarSample(v any) func(string) *Sample {
	return func(string) *Sample { return &Sample{Scalar: v} }
}

// The closed set. A boolean is one of three, by how the portal writes it.
var (
	String = &Scalar{literal: textLiteral, Name: "string", Param: builtin("string"), Result: runtime("String"), CLI: "string", ZeroUnset: true,
		schema: schemaOf("type", "string"), sample: textSample}
	Date = &Scalar{literal: textLiteral, Name: "date", Param: builtin("string"), Result: runtime("String"), CLI: "date", ZeroUnset: true,
		schema: schemaOf("type", "string", "format", "date"), sample: scalarSample("2024-04-07")}
	DateTime = &Scalar{literal: textLiteral, Name: "datetime", Param: builtin("string"), Result: runtime("String"), CLI: "datetime", ZeroUnset: true,
		schema: schemaOf("type", "string", "format", "date-time"), sample: scalarSample("2024-04-07T13:34:42+03:00")}
	Integer = &Scalar{literal: intLiteral, Name: "integer", Param: builtin("int"), Result: runtime("Int"), CLI: "integer",
		schema: schemaOf("type", "integer"), sample: scalarSample(10)}
	ID = &Scalar{literal: intLiteral, Name: "id", Tagged: true, Param: builtin("int"), Result: runtime("Int"), CLI: "id", ZeroUnset: true,
		schema: schemaOf("type", "integer"), sample: idSample}
	Number = &Scalar{literal: numberLiteral, Name: "number", Param: builtin("float64"), Result: runtime("Float"), CLI: "number",
		schema: schemaOf("type", "number"), sample: scalarSample(1.5)}
	Boolean = &Scalar{literal: boolLiteral, Name: "boolean", Param: builtin("bool"), Result: runtime("Bool"), CLI: "boolean",
		schema: schemaOf("type", "boolean"), sample: scalarSample(true)}
	FlagYN = &Scalar{literal: textLiteral, Name: "boolean", Param: runtime("YesNo"), Result: runtime("YesNo"), CLI: "boolean",
		schema: schemaOf("type", "string", "enum", []string{"Y", "N"}), sample: scalarSample(true)}
	Flag10 = &Scalar{literal: intLiteral, Name: "boolean", Param: builtin("int"), Result: runtime("Bool"), CLI: "boolean",
		Note:   "Bitrix24 wants 1 for true and 0 for false here.",
		schema: schemaOf("type", "integer", "enum", []any{1, 0}), sample: scalarSample(true)}
	DialogID = &Scalar{literal: textLiteral, Name: "dialog_id", Tagged: true, Param: runtime("DialogID"), Result: runtime("String"), CLI: "dialog_id", ZeroUnset: true,
		schema: schemaOf("type", "string", "description", "A dialog: chatN for a chat, a user ID for a private dialog."),
		sample: scalarSample("chat872")}
	Lang = &Scalar{Name: "lang", Tagged: true, Param: runtime("LangMap"), Result: runtime("LangMap"), CLI: "lang", ZeroUnset: true,
		schema: schemaOf(
			"description", `Texts by language code: {"en": "...", "ru": "..."}, or one text for every language.`,
			"oneOf", []any{jsonobj.Of("type", "object", "additionalProperties", jsonobj.Of("type", "string")), jsonobj.Of("type", "string")}),
		sample: func(string) *Sample {
			return &Sample{Fields: []*SampleField{{Key: "en", Value: &Sample{Scalar: "Example"}}, {Key: "ru", Value: &Sample{Scalar: "Пример"}}}}
		}}
	Base64 = &Scalar{literal: textLiteral, Name: "base64", Param: sliceOf(builtin("byte")), Result: rawJSON(), CLI: "base64", ZeroUnset: true,
		schema: schemaOf("type", "string", "format", "byte", "contentEncoding", "base64"),
		sample: func(string) *Sample { return &Sample{File: "picture.png"} }}
	FileValue = &Scalar{Name: "file", Tagged: true, Param: runtime("File"), Result: rawJSON(), CLI: "file", ZeroUnset: true,
		schema: schemaOf("type", "array", "description", `A file: ["name.ext", "<base64 content>"].`,
			"prefixItems", []any{
				jsonobj.Of("type", "string", "description", "File name."),
				jsonobj.Of("type", "string", "contentEncoding", "base64", "description", "Content, base64."),
			},
			"items", jsonobj.Of("type", "string"), "minItems", 2, "maxItems", 2),
		sample: func(string) *Sample { return &Sample{File: "document.pdf"} }}
	FileData = &Scalar{Name: "file_data", Tagged: true, Param: runtime("FileData"), Result: rawJSON(), CLI: "file_data", ZeroUnset: true,
		schema: func() jsonobj.Ordered {
			return jsonobj.Of("type", "object", "description", `A file as CRM and the catalog take it: {"fileData": ["name.ext", "<base64 content>"]}.`,
				"properties", jsonobj.Of("fileData", FileValue.schema()), "required", []string{"fileData"})
		},
		sample: func(string) *Sample { return &Sample{File: "picture.png"} }}
)

// scalars are the closed set by the spec's word (booleans by their wire form in valueOf).
var scalars = func() map[string]*Scalar {
	m := map[string]*Scalar{}
	for _, s := range []*Scalar{String, Date, DateTime, Integer, ID, Number, Boolean, DialogID, Lang, Base64, FileValue, FileData} {
		m[s.Name] = s
	}
	return m
}()

// textSample is a text that reads as what the field holds.
func textSample(lw string) *Sample {
	switch {
	case strings.Contains(lw, "url") || strings.Contains(lw, "link"):
		return &Sample{Scalar: "https://example.com/file.png"}
	case strings.Contains(lw, "title") || strings.Contains(lw, "name"):
		return &Sample{Scalar: "Example"}
	case strings.Contains(lw, "message") || strings.Contains(lw, "text"):
		return &Sample{Scalar: "Hello"}
	}
	return &Sample{Scalar: "text"}
}

// idSample is an ID that reads as what it names (chat 872, message 15660).
func idSample(lw string) *Sample {
	switch {
	case strings.Contains(lw, "chat"):
		return &Sample{Scalar: 872}
	case strings.Contains(lw, "message"):
		return &Sample{Scalar: 15660}
	}
	return &Sample{Scalar: 1}
}
