package golang

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// exampleURL is the webhook the docs examples use; obviously not a real one.
const exampleURL = "https://example.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx"

// Decl is the Go API of a method as the docs show it: the params struct, the result alias and the
// method signature, without comments (the page has them in its table).
func Decl(m *model.Method) (string, error) {
	f := jen.NewFilePathName(m.NS.ImportPath, m.NS.Package)
	f.ImportName(model.RuntimePath, "b24")
	parts := []*jen.Statement{
		jen.Type().Id(m.ParamsType).StructFunc(func(g *jen.Group) {
			for _, p := range m.Params {
				g.Add(fieldDecl(p))
			}
		}),
	}
	for _, st := range m.Structs {
		parts = append(parts, declOnly(st))
	}
	parts = append(parts,
		jen.Type().Id(m.ResponseType).Op("=").Qual(model.RuntimePath, "Response").Types(typ(m.Result.Go)),
		signature(jen.Func(), m),
	)
	if m.List != nil {
		parts = append(parts, listSignature(jen.Func(), m))
	}
	var out []string
	for _, p := range parts {
		var buf bytes.Buffer
		if err := p.RenderWithFile(&buf, f); err != nil {
			return "", fmt.Errorf("%s: %w", m.SpecFile, err)
		}
		out = append(out, strings.TrimSpace(buf.String()))
	}
	return strings.Join(out, "\n\n"), nil
}

// declOnly is a structure's declaration without comments or methods, as the docs show it.
func declOnly(st *model.Struct) *jen.Statement {
	return jen.Type().Id(st.Name).StructFunc(func(g *jen.Group) {
		for _, f := range st.Fields {
			g.Add(fieldDecl(f))
		}
		if st.Extra != "" {
			g.Id(st.Extra).Map(jen.String()).Any().Tag(map[string]string{"json": "-"})
		}
	})
}

// values prints sample values as Go expressions of the example program; base64 and file values
// become variables read from files before the call.
type values struct {
	nsPath string
	reads  []read
	inline bool // tests: binary values are literal bytes, not files read first
}

type read struct{ name, file string }

func (v *values) readVar(hint, file string) string {
	name := lowerFirst(hint)
	if name == "" || name == "client" || name == "err" || name == "res" {
		name = "data"
	}
	base := name
	for i := 2; slices.ContainsFunc(v.reads, func(r read) bool { return r.name == name }); i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	v.reads = append(v.reads, read{name, file})
	return name
}

// content is the bytes of a sample file: a variable read before the call, or a literal in tests.
func (v *values) content(hint, file string) jen.Code {
	if v.inline {
		return jen.Index().Byte().Call(jen.Lit(file))
	}
	return jen.Id(v.readVar(hint, file))
}

func lowerFirst(s string) string {
	rs := []rune(s)
	// An initialism at the start is lowered whole: ID → id, URLPath → urlPath.
	i := 0
	for i < len(rs) && unicode.IsUpper(rs[i]) && (i+1 >= len(rs) || unicode.IsUpper(rs[i+1]) || i == 0) {
		rs[i] = unicode.ToLower(rs[i])
		i++
	}
	return string(rs)
}

func (v *values) local(name string) jen.Code { return jen.Qual(v.nsPath, name) }

// expr is a sample as a Go expression of type t.
func (v *values) expr(t *model.Type, s *model.Sample, hint string) jen.Code {
	switch t.Kind {
	case model.Pointer:
		inner := v.expr(t.Elem, s, hint)
		if t.Elem.Kind == model.Local {
			return jen.Op("&").Add(inner)
		}
		if t.Elem.Kind == model.Qual && t.Elem.Name != "DialogID" && t.Elem.Name != "File" && t.Elem.Name != "FileData" {
			inner = jen.Qual(t.Elem.Path, t.Elem.Name).Call(inner) // untyped constants need the named type
		}
		return jen.Qual(model.RuntimePath, "Ptr").Call(inner)
	case model.Slice:
		if t.Elem.Kind == model.Builtin && t.Elem.Name == "byte" {
			return v.content(hint, s.File)
		}
		return jen.Index().Add(v.elemType(t.Elem)).ValuesFunc(func(g *jen.Group) {
			for _, it := range s.Items {
				g.Add(v.expr(t.Elem, it, hint))
			}
		})
	case model.Map:
		return jen.Map(jen.String()).Add(v.elemType(t.Elem)).ValuesFunc(func(g *jen.Group) {
			for _, f := range s.Fields {
				if t.Elem.IsAny() {
					g.Lit(f.Key).Op(":").Add(scalar(f.Value.Scalar))
					continue
				}
				g.Lit(f.Key).Op(":").Add(v.expr(t.Elem, f.Value, hint))
			}
		})
	case model.Local:
		return jen.Qual(v.nsPath, t.Name).Add(v.fields(s.Fields))
	case model.Qual:
		switch t.Name {
		case "DialogID":
			str, _ := s.Scalar.(string)
			if n, ok := strings.CutPrefix(str, "chat"); ok {
				return jen.Qual(model.RuntimePath, "ChatDialog").Call(jen.Op(n))
			}
			return jen.Qual(model.RuntimePath, "UserDialog").Call(jen.Op(str))
		case "File", "FileData":
			return jen.Qual(model.RuntimePath, t.Name).Values(jen.Dict{
				jen.Id("Name"): jen.Lit(s.File), jen.Id("Content"): v.content(hint, s.File),
			})
		case "LangMap":
			return jen.Qual(model.RuntimePath, "LangMap").ValuesFunc(func(g *jen.Group) {
				for _, f := range s.Fields {
					g.Lit(f.Key).Op(":").Add(scalar(f.Value.Scalar))
				}
			})
		}
	}
	if t.Name == "int" {
		if b, ok := s.Scalar.(bool); ok { // a boolean sent as 1/0
			if b {
				return jen.Lit(1)
			}
			return jen.Lit(0)
		}
	}
	return scalar(s.Scalar)
}

func (v *values) elemType(t *model.Type) jen.Code {
	if t.Kind == model.Local {
		return v.local(t.Name)
	}
	return typ(t)
}

func (v *values) fields(fs []*model.SampleField) *jen.Statement {
	var items []jen.Code
	for _, f := range fs {
		items = append(items, jen.Line().Id(f.Field.GoName).Op(":").Add(v.expr(f.Field.Type, f.Value, f.Field.GoName)))
	}
	if len(items) > 0 {
		items = append(items, jen.Line())
	}
	return jen.Values(items...)
}

func scalar(x any) jen.Code {
	switch x := x.(type) {
	case nil:
		return jen.Nil()
	case string, int, int64, float64, bool:
		return jen.Lit(x)
	}
	return jen.Lit(fmt.Sprint(x))
}

// UploadCall is the call that uploads report.pdf by the method's two-step upload function, with
// the samples of its first step's params.
func UploadCall(m *model.Method) string {
	args := []jen.Code{jen.Id("ctx")}
	for _, f := range m.Upload {
		if f != m.UploadName {
			args = append(args, scalar(f.Sample.Scalar))
		}
	}
	args = append(args, jen.Lit("report.pdf"), jen.Id("f"))
	call := jen.Qual(m.NS.ImportPath, "New").Call(jen.Id("client")).Dot(m.UploadFunc).Call(args...)
	return strings.ReplaceAll(fmt.Sprintf("%#v", call), m.NS.ImportPath, m.NS.Package) // qualified as the program imports it
}

// Example is a complete program calling the method with its sample parameters.
func Example(m *model.Method) (string, error) {
	v := &values{nsPath: m.NS.ImportPath}
	var params []*model.SampleField
	for _, p := range m.ExampleParams() {
		params = append(params, &model.SampleField{Key: p.Wire, Field: p, Value: p.Sample})
	}
	call := jen.Op("&").Qual(m.NS.ImportPath, m.ParamsType).Add(v.fields(params))
	f := jen.NewFile("main")
	f.ImportName(model.RuntimePath, "b24")
	f.ImportName(m.NS.ImportPath, m.NS.Package)
	print := jen.Id("res").Dot("Result")
	if m.Result.Go.Kind == model.Qual && m.Result.Go.Name == "RawMessage" {
		print = jen.String().Call(print)
	}
	f.Func().Id("main").Params().BlockFunc(func(g *jen.Group) {
		g.List(jen.Id("client"), jen.Err()).Op(":=").Qual(model.RuntimePath, "New").Call(jen.Lit(exampleURL), jen.Lit(""))
		fatal(g)
		for _, r := range v.reads {
			g.List(jen.Id(r.name), jen.Err()).Op(":=").Qual("os", "ReadFile").Call(jen.Lit(r.file))
			fatal(g)
		}
		g.List(jen.Id("res"), jen.Err()).Op(":=").Qual(m.NS.ImportPath, "New").Call(jen.Id("client")).Dot(m.GoName).Call(
			jen.Qual("context", "Background").Call(), call)
		fatal(g)
		g.Qual("fmt", "Println").Call(print)
	})
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return "", fmt.Errorf("%s: example: %w", m.SpecFile, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

func fatal(g *jen.Group) {
	g.If(jen.Err().Op("!=").Nil()).Block(jen.Qual("log", "Fatal").Call(jen.Err()))
}

// HelperLiteral is the Go value a helper builds: its template as a struct literal, with each
// "$option" placeholder shown as a variable named after the option.
func HelperLiteral(h *model.Helper) (string, error) {
	if h.Result == nil {
		return "", fmt.Errorf("%s: helper %s has no result structure", h.SpecFile, h.OPI.EN)
	}
	var tmpl map[string]json.RawMessage
	if err := json.Unmarshal([]byte(h.Template), &tmpl); err != nil {
		return "", fmt.Errorf("%s: helper %s: template: %w", h.SpecFile, h.OPI.EN, err)
	}
	c := &converter{ns: h.NS, vars: map[string]string{}}
	for _, o := range h.OPI.Options {
		c.vars["$"+o.Flag] = lowerFirst(model.Camel(o.Flag))
	}
	lit, err := c.structLit(h.Result, tmpl)
	if err != nil {
		return "", fmt.Errorf("%s: helper %s: template: %w", h.SpecFile, h.OPI.EN, err)
	}
	f := jen.NewFilePathName(h.NS.ImportPath, h.NS.Package)
	f.ImportName(model.RuntimePath, "b24")
	var buf bytes.Buffer
	st := jen.Id("value").Op(":=").Qual(h.NS.ImportPath, h.Result.Name).Add(lit)
	if err := st.RenderWithFile(&buf, jen.NewFile("main")); err != nil {
		return "", fmt.Errorf("%s: helper %s: %w", h.SpecFile, h.OPI.EN, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

type converter struct {
	ns   *model.Namespace
	vars map[string]string
}

func (c *converter) structLit(st *model.Struct, obj map[string]json.RawMessage) (*jen.Statement, error) {
	var items []jen.Code
	for _, f := range st.Fields { // struct order, not map order: deterministic
		raw, ok := obj[f.Wire]
		if !ok {
			continue
		}
		e, err := c.value(f.Type, raw)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", st.Name, f.Wire, err)
		}
		items = append(items, jen.Line().Id(f.GoName).Op(":").Add(e))
	}
	for k := range obj {
		if !slices.ContainsFunc(st.Fields, func(f *model.Field) bool { return f.Wire == k }) {
			return nil, fmt.Errorf("%s has no field %s", st.Name, k)
		}
	}
	if len(items) > 0 {
		items = append(items, jen.Line())
	}
	return jen.Values(items...), nil
}

func (c *converter) value(t *model.Type, raw json.RawMessage) (jen.Code, error) {
	var str string
	if json.Unmarshal(raw, &str) == nil {
		if name, ok := c.vars[str]; ok {
			if t.Kind == model.Pointer {
				return jen.Op("&").Id(name), nil
			}
			return jen.Id(name), nil
		}
	}
	switch t.Kind {
	case model.Pointer:
		e, err := c.value(t.Elem, raw)
		if err != nil {
			return nil, err
		}
		if t.Elem.Kind == model.Local {
			return jen.Op("&").Add(e), nil
		}
		if t.Elem.Kind == model.Qual {
			e = jen.Qual(t.Elem.Path, t.Elem.Name).Call(e)
		}
		return jen.Qual(model.RuntimePath, "Ptr").Call(e), nil
	case model.Local:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("want an object: %w", err)
		}
		st := c.find(t.Name)
		if st == nil {
			return nil, fmt.Errorf("unknown structure %s", t.Name)
		}
		lit, err := c.structLit(st, obj)
		if err != nil {
			return nil, err
		}
		return jen.Qual(c.ns.ImportPath, t.Name).Add(lit), nil
	case model.Slice:
		if t.Elem.Kind == model.Builtin && t.Elem.Name == "byte" {
			data, err := base64.StdEncoding.DecodeString(str)
			if err != nil {
				return nil, fmt.Errorf("want base64 text: %w", err)
			}
			return jen.Index().Byte().Call(jen.Lit(string(data))), nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("want an array: %w", err)
		}
		var codes []jen.Code
		for _, it := range items {
			e, err := c.value(t.Elem, it)
			if err != nil {
				return nil, err
			}
			codes = append(codes, e)
		}
		return jen.Index().Add(c.elemType(t.Elem)).Values(codes...), nil
	case model.Map, model.Qual:
		return nil, fmt.Errorf("cannot show a %s value from a template", t)
	}
	var x any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case json.Number:
		if t.Name == "float64" {
			f, err := x.Float64()
			return jen.Lit(f), err
		}
		n, err := x.Int64()
		return jen.Lit(int(n)), err
	case string, bool:
		return jen.Lit(x), nil
	}
	return nil, fmt.Errorf("cannot show %s as %s", raw, t)
}

func (c *converter) elemType(t *model.Type) jen.Code {
	if t.Kind == model.Local {
		return jen.Qual(c.ns.ImportPath, t.Name)
	}
	return typ(t)
}

func (c *converter) find(name string) *model.Struct {
	for _, s := range c.ns.Types {
		if s.Name == name {
			return s
		}
	}
	return nil
}
