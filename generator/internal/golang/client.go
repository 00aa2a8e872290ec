package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// Client prints generated/<package>/: doc.gen.go, one file per entity and types.gen.go.
func Client(ns *model.Namespace, out Files) error {
	dir := ns.Package + "/"
	if err := render(out, dir+"doc.gen.go", docFile(ns)); err != nil {
		return err
	}
	for _, e := range ns.Entities {
		f := newFile(ns.ImportPath, ns.Package, e.Source)
		for _, m := range e.Methods {
			methodDecls(f.Group, m)
		}
		if err := render(out, dir+e.File, f); err != nil {
			return err
		}
	}
	if len(ns.Types) > 0 {
		f := newFile(ns.ImportPath, ns.Package, ns.TypesFile)
		for _, s := range ns.Types {
			comment(f.Group, typeSentence(s.Name, s.Summary.EN))
			f.Type().Id(s.Name).StructFunc(func(g *jen.Group) { structFields(g, s.Fields) })
		}
		if err := render(out, dir+"types.gen.go", f); err != nil {
			return err
		}
	}
	return nil
}

func docFile(ns *model.Namespace) *jen.File {
	f := newFile(ns.ImportPath, ns.Package, "spec/"+ns.Name+"/")
	f.PackageComment(fmt.Sprintf("Package %s calls the Bitrix24 REST methods of the %s namespace: build a [Service] with", ns.Package, ns.Name))
	f.PackageComment("[New] over a [b24.Client] and call its methods.")
	f.PackageComment("//")
	f.PackageComment("Methods:")
	f.PackageComment("//")
	for _, m := range ns.Methods {
		line := fmt.Sprintf("  - [Service.%s] (%s): %s", m.GoName, m.Wire, m.Summary.EN)
		if m.Deprecated {
			line += " Deprecated."
		}
		f.PackageComment(line)
	}
	f.Comment(fmt.Sprintf("Service calls the %s methods through a [b24.Client].", ns.Name))
	f.Type().Id("Service").Struct(jen.Id("client").Op("*").Qual(model.RuntimePath, "Client"))
	f.Comment(fmt.Sprintf("New returns the %s methods bound to c.", ns.Name))
	f.Func().Id("New").Params(jen.Id("c").Op("*").Qual(model.RuntimePath, "Client")).Op("*").Id("Service").Block(
		jen.Return(jen.Op("&").Id("Service").Values(jen.Dict{jen.Id("client"): jen.Id("c")})),
	)
	return f
}

// methodDoc is the doc comment of a client method.
func methodDoc(m *model.Method) []string {
	lines := []string{sentence(m.GoName, m.Summary.EN), ""}
	lines = append(lines, fmt.Sprintf("It calls the REST method %s (HTTP POST, scope %s, %s).", m.Wire, m.Scope, m.Kind))
	if m.Docs != "" {
		lines = append(lines, "Official docs: "+m.Docs)
	}
	if m.Result.Summary.EN != "" {
		lines = append(lines, "", "Result: "+m.Result.Summary.EN)
	}
	if m.Deprecated {
		lines = append(lines, "", "Deprecated: "+deprecation(m))
	}
	return lines
}

func deprecation(m *model.Method) string {
	switch {
	case m.SuccessorM != nil && m.SuccessorM.NS == m.NS:
		return fmt.Sprintf("Bitrix24 replaced %s with %s; use [Service.%s].", m.Wire, m.Successor, m.SuccessorM.GoName)
	case m.Successor != "":
		return fmt.Sprintf("Bitrix24 replaced %s with %s; use that method instead.", m.Wire, m.Successor)
	}
	return fmt.Sprintf("Bitrix24 no longer supports %s.", m.Wire)
}

// methodDecls prints the params struct, the result alias and the method.
func methodDecls(g *jen.Group, m *model.Method) {
	comment(g, fmt.Sprintf("%s are the parameters of [Service.%s].", m.ParamsType, m.GoName))
	g.Type().Id(m.ParamsType).StructFunc(func(g *jen.Group) { structFields(g, m.Params) })
	g.Line()
	comment(g, fmt.Sprintf("%s is the response of [Service.%s]: the result and the envelope metadata.", m.ResultType, m.GoName))
	g.Type().Id(m.ResultType).Op("=").Qual(model.RuntimePath, "Response").Types(typ(m.Result.Go))
	g.Line()
	comment(g, methodDoc(m)...)
	signature(g.Func(), m).Block(
		jen.Return(jen.Qual(model.RuntimePath, "Call").Types(typ(m.Result.Go)).Call(
			jen.Id("ctx"), jen.Id("s").Dot("client"), jen.Lit(m.Wire), jen.Id("p"), jen.Id("opts").Op("..."),
		)),
	)
	g.Line()
}

func signature(s *jen.Statement, m *model.Method) *jen.Statement {
	return s.Params(jen.Id("s").Op("*").Id("Service")).Id(m.GoName).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("p").Op("*").Id(m.ParamsType),
		jen.Id("opts").Op("...").Qual(model.RuntimePath, "CallOption"),
	).Params(jen.Op("*").Id(m.ResultType), jen.Error())
}

// typeSentence starts a type's doc with its name: "Contact" + "A contact of…" → "Contact is a
// contact of…"; a summary without an article reads "Contact holds …".
func typeSentence(name, summary string) string {
	if summary == "" {
		return name + " has no summary in the spec."
	}
	for _, art := range []string{"A ", "An ", "The ", "One "} {
		if strings.HasPrefix(summary, art) {
			return name + " is " + strings.ToLower(art[:1]) + summary[1:]
		}
	}
	return sentence(name+" holds", summary)
}
