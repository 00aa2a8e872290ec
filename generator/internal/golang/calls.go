package golang

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// b24testPath is the fake portal the generated tests call.
const b24testPath = model.ModulePath + "/b24test"

// callsTest prints generated/<package>/calls_gen_test.go: one table row per method that calls it
// through its Go function with its required parameters (the samples the docs show) against the
// fake portal, then checks the request that arrived: the method name and every required parameter
// under its wire name (positional methods: the array index) with the JSON value the sample must
// become. The fake portal answers with the spec's example, so the row also proves that the example
// decodes into the method's result type.
func callsTest(ns *model.Namespace, out Files) error {
	f := jen.NewFilePathName(ns.ImportPath+"_test", ns.Package+"_test")
	f.HeaderComment(header("spec/" + ns.Name + "/"))
	f.ImportName(model.RuntimePath, "b24")
	f.ImportName(b24testPath, "b24test")
	f.ImportName(ns.ImportPath, ns.Package)
	v := &values{nsPath: ns.ImportPath, inline: true}
	f.Comment("TestCalls calls every method of the package against the fake portal and checks what arrived.")
	f.Func().Id("TestCalls").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("s").Op(":=").Qual(b24testPath, "New").Call(),
		jen.Defer().Id("s").Dot("Close").Call(),
		jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(model.RuntimePath, "New").Call(jen.Id("s").Dot("WebhookURL").Call(), jen.Lit(""), noPacing()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.Id("svc").Op(":=").Qual(ns.ImportPath, "New").Call(jen.Id("c")),
		noExample(ns),
		jen.Id("ctx").Op(":=").Qual("context", "Background").Call(),
		jen.For(jen.List(jen.Id("_"), jen.Id("tc")).Op(":=").Range().Index().Struct(
			jen.Id("method").String(),
			jen.Id("required").Index().Index(jen.Lit(2)).String(),
			jen.Id("call").Func().Params().Error(),
		).ValuesFunc(func(g *jen.Group) {
			for _, m := range ns.Methods {
				g.Line().Add(callCase(v, m))
			}
			g.Line()
		})).Block(
			// Every row is checked even when one fails, so that one run lists every broken method.
			jen.Id("n").Op(":=").Len(jen.Id("s").Dot("Calls").Call()),
			jen.Err().Op(":=").Id("tc").Dot("call").Call(),
			jen.Id("calls").Op(":=").Id("s").Dot("Calls").Call(),
			jen.If(jen.Len(jen.Id("calls")).Op("!=").Id("n").Op("+").Lit(1)).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %d calls arrived, want 1 (error: %v)"), jen.Id("tc").Dot("method"), jen.Len(jen.Id("calls")).Op("-").Id("n"), jen.Err()),
				jen.Continue(),
			),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %v"), jen.Id("tc").Dot("method"), jen.Err()),
			),
			jen.Id("got").Op(":=").Id("calls").Index(jen.Id("n")),
			jen.If(jen.Id("got").Dot("Method").Op("!=").Id("tc").Dot("method")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("called %s, %s arrived"), jen.Id("tc").Dot("method"), jen.Id("got").Dot("Method")),
			),
			jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("tc").Dot("required")).Block(
				jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("got").Dot("Params").Index(jen.Id("r").Index(jen.Lit(0))),
				jen.If(jen.Op("!").Id("ok")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: required parameter %s did not arrive: %v"), jen.Id("tc").Dot("method"), jen.Id("r").Index(jen.Lit(0)), jen.Id("got").Dot("Params")),
					jen.Continue(),
				),
				jen.If(
					jen.List(jen.Id("b"), jen.Id("_")).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("v")),
					jen.String().Call(jen.Id("b")).Op("!=").Id("r").Index(jen.Lit(1)),
				).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %s arrived as %s, want %s"), jen.Id("tc").Dot("method"), jen.Id("r").Index(jen.Lit(0)), jen.Id("b"), jen.Id("r").Index(jen.Lit(1))),
				),
			),
		),
	)
	allTest(f, ns, v)
	resultsTest(f, ns)
	return render(out, ns.Package+"/calls_gen_test.go", f)
}

// allTest prints TestAll when the package has list methods: each is walked through its All function
// against the fake portal, which pages the example's rows as the portal would, and every row must
// come back exactly once (b24.All fails on a repeated ID, the count catches a lost row).
func allTest(f *jen.File, ns *model.Namespace, v *values) {
	var cases []jen.Code
	for _, m := range ns.Methods {
		if m.List == nil {
			continue
		}
		var params []*model.SampleField
		for _, p := range m.Params {
			if p.Required || (len(p.OneOf) > 0 && p.OneOf[0] == p.Wire) {
				params = append(params, &model.SampleField{Key: p.Wire, Field: p, Value: p.Sample})
			}
		}
		seq := jen.Qual("iter", "Seq2").Types(jen.Qual(model.JSONPath, "RawMessage"), jen.Error())
		cases = append(cases, jen.Line().Values(jen.Lit(m.Wire), jen.Func().Params().Add(seq).Block(
			jen.Return(jen.Id("svc").Dot(m.List.GoName).Call(jen.Id("ctx"), jen.Op("&").Qual(m.NS.ImportPath, m.ParamsType).Add(v.fields(params)))),
		)))
	}
	if len(cases) == 0 {
		return
	}
	cases = append(cases, jen.Line())
	f.Line()
	f.Comment("TestAll walks every list method through its All function against the fake portal, which pages")
	f.Comment("the example's rows as the portal would: each row must come back exactly once.")
	f.Func().Id("TestAll").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("s").Op(":=").Qual(b24testPath, "New").Call(),
		jen.Defer().Id("s").Dot("Close").Call(),
		jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(model.RuntimePath, "New").Call(jen.Id("s").Dot("WebhookURL").Call(), jen.Lit(""), noPacing()),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.Id("svc").Op(":=").Qual(ns.ImportPath, "New").Call(jen.Id("c")),
		jen.Id("ctx").Op(":=").Qual("context", "Background").Call(),
		jen.For(jen.List(jen.Id("_"), jen.Id("tc")).Op(":=").Range().Index().Struct(
			jen.Id("method").String(),
			jen.Id("all").Func().Params().Qual("iter", "Seq2").Types(jen.Qual(model.JSONPath, "RawMessage"), jen.Error()),
		).Values(cases...)).Block(
			jen.Id("want").Op(":=").Id("s").Dot("ListRows").Call(jen.Id("tc").Dot("method")),
			jen.If(jen.Id("want").Op("<").Lit(0)).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: the fake portal has no example rows for it"), jen.Id("tc").Dot("method")),
				jen.Continue(),
			),
			jen.Id("n").Op(":=").Lit(0),
			jen.For(jen.List(jen.Id("_"), jen.Err()).Op(":=").Range().Id("tc").Dot("all").Call()).Block(
				jen.If(jen.Err().Op("!=").Nil()).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %v"), jen.Id("tc").Dot("method"), jen.Err()),
					jen.Break(),
				),
				jen.Id("n").Op("++"),
			),
			jen.If(jen.Id("n").Op("!=").Id("want")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("%s: %d rows, want %d"), jen.Id("tc").Dot("method"), jen.Id("n"), jen.Id("want")),
			),
		),
	)
}

// resultsTest prints TestResults when a method of the package has an example answer and a typed
// result: the example must decode into it whole (see examplecheck.Results).
func resultsTest(f *jen.File, ns *model.Namespace) {
	var rows []jen.Code
	for _, m := range ns.Methods {
		if m.Compact == "" || untyped(m.Result.Go) {
			continue
		}
		rows = append(rows, jen.Line().Lit(m.Wire).Op(":").New(qualified(m.Result.Go, ns.ImportPath)))
	}
	if len(rows) == 0 {
		return
	}
	f.ImportName(examplecheckPath, "examplecheck")
	f.Line()
	f.Comment("TestResults decodes every example answer into its method's result type: nothing the type declares")
	f.Comment("may be lost or changed.")
	f.Func().Id("TestResults").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(examplecheckPath, "Results").Call(jen.Id("t"), jen.Map(jen.String()).Any().Values(append(rows, jen.Line())...)),
	)
}

// untyped reports a result decoded as raw JSON or any: it takes every answer as it is.
func untyped(t *model.Type) bool {
	return t == nil || (t.Kind == model.Qual && t.Path == model.JSONPath && t.Name == "RawMessage") || t.Name == "any"
}

// qualified is t as a test package outside the namespace's package spells it.
func qualified(t *model.Type, nsPath string) jen.Code {
	switch t.Kind {
	case model.Local:
		return jen.Qual(nsPath, t.Name)
	case model.Slice:
		return jen.Index().Add(qualified(t.Elem, nsPath))
	case model.Map:
		return jen.Map(jen.String()).Add(qualified(t.Elem, nsPath))
	case model.Pointer:
		return jen.Op("*").Add(qualified(t.Elem, nsPath))
	}
	return typ(t)
}

// noExample makes the fake portal answer null to the methods whose spec has no example response:
// its default answer (true or []) is no answer those methods are known to give, and null decodes
// into every result type.
func noExample(ns *model.Namespace) jen.Code {
	var names []jen.Code
	for _, m := range ns.Methods {
		if m.Compact == "" {
			names = append(names, jen.Lit(m.Wire))
		}
	}
	if len(names) == 0 {
		return jen.Null()
	}
	return jen.For(jen.List(jen.Id("_"), jen.Id("m")).Op(":=").Range().Index().String().Values(names...)).Block(
		jen.Id("s").Dot("Handle").Call(jen.Id("m"), jen.Func().Params(jen.Qual(b24testPath, "Call")).Params(jen.Any(), jen.Op("*").Qual(model.RuntimePath, "APIError")).Block(
			jen.Return(jen.Nil(), jen.Nil()),
		)),
	)
}

// callCase is one row: {"crm.deal.add", []string{"fields"}, func() error { _, err := svc.DealAdd(ctx, &crm.DealAddParams{…}); return err }}.
func callCase(v *values, m *model.Method) jen.Code {
	var params []*model.SampleField
	var required []jen.Code
	for i, p := range m.Params {
		if !p.Required && (len(p.OneOf) == 0 || p.OneOf[0] != p.Wire) {
			continue // an either-or group is sent with its first param
		}
		params = append(params, &model.SampleField{Key: p.Wire, Field: p, Value: p.Sample})
		key := p.Wire
		if m.Positional {
			key = strconv.Itoa(i)
		}
		want, _ := json.Marshal(wire(p.Type, p.Sample)) // strings, numbers, booleans, lists and maps of them
		required = append(required, jen.Values(jen.Lit(key), jen.Lit(string(want))))
	}
	req := jen.Nil()
	if len(required) > 0 {
		req = jen.Index().Index(jen.Lit(2)).String().Values(required...)
	}
	return jen.Values(
		jen.Lit(m.Wire),
		req,
		jen.Func().Params().Error().Block(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("svc").Dot(m.GoName).Call(
				jen.Id("ctx"), jen.Op("&").Qual(m.NS.ImportPath, m.ParamsType).Add(v.fields(params))),
			jen.Return(jen.Err()),
		),
	)
}

// wire is the JSON value the runtime sends for sample s of Go type t, as the generated call builds
// it (files in tests hold their own name as content), for the calls test to compare with what arrived.
func wire(t *model.Type, s *model.Sample) any {
	switch t.Kind {
	case model.Pointer:
		return wire(t.Elem, s)
	case model.Slice:
		if t.Elem.Kind == model.Builtin && t.Elem.Name == "byte" {
			return base64.StdEncoding.EncodeToString([]byte(s.File))
		}
		items := []any{}
		for _, it := range s.Items {
			items = append(items, wire(t.Elem, it))
		}
		return items
	case model.Map:
		obj := map[string]any{}
		for _, f := range s.Fields {
			if t.Elem.Kind == model.Builtin && t.Elem.Name == "any" {
				obj[f.Key] = f.Value.Scalar
			} else {
				obj[f.Key] = wire(t.Elem, f.Value)
			}
		}
		return obj
	case model.Local:
		obj := map[string]any{}
		for _, f := range s.Fields {
			obj[f.Key] = wire(f.Field.Type, f.Value)
		}
		return obj
	case model.Qual:
		switch t.Name {
		case "LangMap":
			obj := map[string]any{}
			for _, f := range s.Fields {
				obj[f.Key] = f.Value.Scalar
			}
			return obj
		case "File":
			return []string{s.File, base64.StdEncoding.EncodeToString([]byte(s.File))}
		case "YesNo":
			if b, _ := s.Scalar.(bool); b {
				return "Y"
			}
			return "N"
		}
	}
	if b, ok := s.Scalar.(bool); ok && t.Name == "int" { // a boolean sent as 1/0
		if b {
			return 1
		}
		return 0
	}
	return s.Scalar
}

// noPacing is the client option of the generated tests: the fake portal has no rate limit, and
// hundreds of calls would otherwise wait for the cloud's pace.
func noPacing() jen.Code {
	return jen.Qual(model.RuntimePath, "WithRateLimit").Call(jen.Lit(0), jen.Lit(0))
}
