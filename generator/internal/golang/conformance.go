package golang

import (
	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

const examplecheckPath = model.ModulePath + "/b24test/examplecheck"

// Conformance prints generated/conformance/: the calls tests of every namespace (callsTest), a table
// of every method's Go function and the tests that send through them the docs' request examples
// (TestExamples) and one field at a time (TestInvariant), checking that a call sends exactly the keys
// its caller set.
func Conformance(m *model.Model, out Files) error {
	for _, ns := range m.Namespaces {
		if len(ns.Methods) > 0 {
			if err := callsTest(m.Root, ns, out); err != nil {
				return err
			}
		}
	}
	doc := jen.NewFilePathName(m.Root+"/conformance", "conformance")
	doc.HeaderComment(header("spec/"))
	doc.PackageComment("Package conformance holds the generated tests that every method's params arrive on the wire as the")
	doc.PackageComment("caller set them: the docs' request examples, and each documented field set alone.")
	if err := render(out, "conformance/doc.gen.go", doc); err != nil {
		return err
	}
	f := jen.NewFilePathName(m.Root+"/conformance_test", "conformance_test")
	f.HeaderComment(header("spec/"))
	f.ImportName(examplecheckPath, "examplecheck")
	for _, ns := range m.Namespaces {
		f.ImportName(ns.ImportPath, ns.Package)
	}
	f.Comment("byMethod maps every method of the spec to its generated function.")
	f.Var().Id("byMethod").Op("=").Map(jen.String()).Qual(examplecheckPath, "Method").Values(jen.DictFunc(func(d jen.Dict) {
		for _, mm := range m.Methods {
			d[jen.Lit(mm.Command)] = jen.Qual(examplecheckPath, "Of").Call(
				jen.Qual(mm.NS.ImportPath, "New"), jen.Parens(jen.Op("*").Qual(mm.NS.ImportPath, "Service")).Dot(mm.GoName))
		}
	}))
	f.Line()
	f.Comment("TestExamples sends every request example of the docs (upstream/b24-examples) through its method's")
	f.Comment("generated params and function to the fake portal: what arrives must be the example, leaf by leaf.")
	f.Comment("The known exceptions, each with its reason, are in b24test/examplecheck/failing.txt.")
	f.Func().Id("TestExamples").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(examplecheckPath, "Run").Call(jen.Id("t"), jen.Id("byMethod"), jen.Lit("../../b24test/examplecheck/failing.txt")),
	)
	f.Line()
	f.Comment("TestExamplesV3 does the same with the REST 3.0 examples (upstream/b24-v3): they must arrive at /rest/api/.")
	f.Comment("The known exceptions are in b24test/examplecheck/failing_v3.txt.")
	f.Func().Id("TestExamplesV3").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(examplecheckPath, "RunV3").Call(jen.Id("t"), jen.Id("byMethod"), jen.Lit("../../b24test/examplecheck/failing_v3.txt")),
	)
	f.Line()
	f.Comment("TestInvariant checks every params struct: left empty it sends nothing, and each documented field set")
	f.Comment("alone (to a value, and to its zero value where that is a value) sends exactly that one key.")
	f.Func().Id("TestInvariant").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(examplecheckPath, "Invariant").Call(jen.Id("t"), jen.Id("byMethod")),
	)
	return render(out, "conformance/conformance_gen_test.go", f)
}
