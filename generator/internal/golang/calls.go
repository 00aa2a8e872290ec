package golang

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// calltestPath runs the tables of the generated calls tests.
const calltestPath = model.ModulePath + "/b24test/calltest"

// callsTest prints conformance/<package>_gen_test.go: the tables that b24test/calltest runs
// against the fake portal, in the conformance test package, so that one test binary holds the tests
// of every namespace (a binary per package took most of go test's time linking them).
// TestCalls_<package> has one row per method that calls it through its Go function with its required
// parameters (the samples the docs show) and lists each required parameter under its wire name
// (positional methods: the array index) with the JSON value the sample must become; TestAll_<package>
// one row per list method that walks it through its All function.
func callsTest(root string, ns *model.Namespace, out Files) error {
	f := jen.NewFilePathName(root+"/conformance_test", "conformance_test")
	f.HeaderComment(header("spec/" + ns.Name + "/"))
	f.ImportName(model.RuntimePath, "b24")
	f.ImportName(calltestPath, "calltest")
	f.ImportName(ns.ImportPath, ns.Package)
	v := &values{nsPath: ns.ImportPath, inline: true}
	var rows []jen.Code
	for _, m := range ns.Methods {
		rows = append(rows, jen.Line().Add(callCase(v, m)))
	}
	f.Comment("TestCalls_" + ns.Package + " calls every method of package " + ns.Package + " against the fake portal and checks what arrived.")
	f.Func().Id("TestCalls_" + ns.Package).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		table(ns, "Calls", "Call", rows),
	)
	allTest(f, ns, v)
	resultsTest(f, ns)
	return render(out, "conformance/"+ns.Package+"_gen_test.go", f)
}

// table is calltest.<run>(t, func(c *b24.Client) []calltest.<row> { svc, ctx := …; return …{rows} }):
// the rows call the Service over the client of the fake portal that calltest starts.
func table(ns *model.Namespace, run, row string, rows []jen.Code) jen.Code {
	return jen.Qual(calltestPath, run).Call(jen.Id("t"), jen.Func().Params(jen.Id("c").Op("*").Qual(model.RuntimePath, "Client")).Index().Qual(calltestPath, row).Block(
		jen.List(jen.Id("svc"), jen.Id("ctx")).Op(":=").List(jen.Qual(ns.ImportPath, "New").Call(jen.Id("c")), jen.Id("t").Dot("Context").Call()),
		jen.Return(jen.Index().Qual(calltestPath, row).Values(append(rows, jen.Line())...)),
	))
}

// allTest prints TestAll when the package has list methods.
func allTest(f *jen.File, ns *model.Namespace, v *values) {
	var rows []jen.Code
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
		rows = append(rows, jen.Line().Values(jen.Id("Method").Op(":").Lit(m.Command), jen.Id("Count").Op(":").Func().Params().Params(jen.Int(), jen.Error()).Block(
			jen.Return(jen.Qual(calltestPath, "Count").Call(jen.Id("svc").Dot(m.List.GoName).Call(jen.Id("ctx"), jen.Op("&").Qual(m.NS.ImportPath, m.ParamsType).Add(v.fields(params))))),
		)))
	}
	if len(rows) == 0 {
		return
	}
	f.Line()
	f.Comment("TestAll_" + ns.Package + " walks every list method through its All function against the fake portal, which pages")
	f.Comment("the example's rows as the portal would: each row must come back exactly once.")
	f.Func().Id("TestAll_" + ns.Package).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		table(ns, "All", "List", rows),
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
		rows = append(rows, jen.Line().Lit(m.Command).Op(":").New(qualified(m.Result.Go, ns.ImportPath)))
	}
	if len(rows) == 0 {
		return
	}
	f.ImportName(examplecheckPath, "examplecheck")
	f.Line()
	f.Comment("TestResults_" + ns.Package + " decodes every example answer into its method's result type: nothing the type declares")
	f.Comment("may be lost or changed.")
	f.Func().Id("TestResults_" + ns.Package).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(examplecheckPath, "Results").Call(jen.Id("t"), jen.Map(jen.String()).Any().Values(append(rows, jen.Line())...)),
	)
}

// untyped reports a result decoded as raw JSON or any: it takes every answer as it is.
func untyped(t *model.Type) bool {
	return t == nil || t.IsRaw() || t.IsAny()
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
	case model.Generic:
		return jen.Qual(t.Path, t.Name).Types(qualified(t.Elem, nsPath))
	}
	return typ(t)
}

// callCase is one row: {Method: "crm.deal.add", Required: [][2]string{{"fields", `{…}`}}, Call: func() error { _, err := svc.DealAdd(ctx, &crm.DealAddParams{…}); return err }}.
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
	// keyed: vet wants the fields of another package's structure named
	row := []jen.Code{jen.Id("Method").Op(":").Lit(m.Wire)}
	if len(required) > 0 {
		row = append(row, jen.Id("Required").Op(":").Index().Index(jen.Lit(2)).String().Values(required...))
	}
	return jen.Values(append(row,
		jen.Id("Call").Op(":").Func().Params().Error().Block(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("svc").Dot(m.GoName).Call(
				jen.Id("ctx"), jen.Op("&").Qual(m.NS.ImportPath, m.ParamsType).Add(v.fields(params))),
			jen.Return(jen.Err()),
		),
	)...)
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
			if t.Elem.IsAny() {
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
		case "FileData":
			return map[string]any{"fileData": []string{s.File, base64.StdEncoding.EncodeToString([]byte(s.File))}}
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
