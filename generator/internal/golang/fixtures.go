package golang

import (
	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// Fixtures prints fixtures/fixtures.gen.go: what the fake portal needs per method. This repository's
// declares its Method type, which b24test builds in; a module's own is b24test.Fixture, which
// b24test.WithFixtures takes.
func Fixtures(m *model.Model, out Files) error {
	f := newFile(m.Root+"/fixtures", "fixtures", "spec/")
	f.PackageComment("Package fixtures tells the fake portal (b24test) about every method of the spec: its kind, its")
	f.PackageComment("required parameters, the example response it answers with and, for list methods, their rows.")
	method := jen.Id("Method")
	if m.Own {
		f.Comment("Method is what the fake portal needs to know about one REST method.")
		f.Type().Id("Method").Struct(
			jen.Id("Name").String().Comment("wire name"),
			jen.Id("Kind").String().Comment("\"read\" or \"write\""),
			jen.Id("API3").Bool().Comment("a REST 3.0 method: served at /rest/api/ only"),
			jen.Id("Required").Index().String().Comment("wire names of the required parameters"),
			jen.Id("Example").String().Comment("the whole example envelope as JSON, \"\" when the spec has none"),
			jen.Id("List").Op("*").Qual(model.RuntimePath, "ListShape").Comment("list methods: where the rows are and how they are walked"),
		)
	} else {
		f.PackageComment("")
		f.PackageComment("\tsrv := b24test.New(b24test.WithFixtures(fixtures.Lookup))")
		method = jen.Qual(model.B24testPath, "Fixture")
	}
	f.Comment("Lookup finds a method by wire name, case-insensitively; the REST 3.0 twin of a 2.0 name by the name and \"@3\".")
	f.Func().Id("Lookup").Params(jen.Id("method").String()).Params(method, jen.Bool()).Block(
		jen.Switch(jen.Qual("strings", "ToLower").Call(jen.Id("method"))).BlockFunc(func(g *jen.Group) {
			for _, mm := range m.Methods {
				d := newDict()
				d.str("Name", mm.Wire)
				d.str("Kind", mm.Kind)
				d.flag("API3", mm.API3)
				d.strs("Required", mm.Required)
				d.str("Example", mm.Compact)
				if mm.List != nil {
					d.set("List", jen.Op("&").Add(listShape(mm.List)))
				}
				g.Case(jen.Lit(lower(mm.Command))).Block(jen.Return(jen.Add(method).Add(d.values()), jen.True()))
			}
		}),
		jen.Return(jen.Add(method).Values(), jen.False()),
	)
	return render(out, "fixtures/fixtures.gen.go", f)
}
