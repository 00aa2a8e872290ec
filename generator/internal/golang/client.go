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
		for _, r := range ns.Records {
			if r.File == e {
				structDecl(f.Group, r.Struct)
			}
		}
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
			structDecl(f.Group, s)
		}
		if err := render(out, dir+"types.gen.go", f); err != nil {
			return err
		}
	}
	return nil
}

func docFile(ns *model.Namespace) *jen.File {
	f := newFile(ns.ImportPath, ns.Package, "spec/"+ns.Name+"/")
	// A few lines and a pointer to the docs' index: go doc lists the methods anyway, and a list
	// here would repeat hundreds of lines in every package's overview.
	lines := []string{
		fmt.Sprintf("Package %s calls the Bitrix24 REST methods of the %s namespace: build a [Service] with [New] over", ns.Package, ns.Name),
		"a [b24.Client] and call its methods. A method X takes a context, its XParams and per-call options, and",
		"returns its XResponse: the result (of type XResult when the docs list its fields) with the envelope's",
		"Total, Next and Time.",
	}
	if len(ns.Methods) > 0 {
		m := ns.Methods[0]
		lines = append(lines, "//",
			"	client, err := b24.New(\"https://portal.bitrix24.com/rest/1/<webhook-secret>\", \"\")",
			"	if err != nil { … }",
			fmt.Sprintf("	res, err := %s.New(client).%s(ctx, &%s.%s{…})", ns.Package, m.GoName, ns.Package, m.ParamsType))
	}
	lines = append(lines, "//",
		fmt.Sprintf("Every method with its parameters, result and examples: generated/docs/en/%s/README.md in", ns.Name),
		fmt.Sprintf("the repository (in Russian: generated/docs/ru/%s/README.md).", ns.Name))
	for _, l := range lines {
		f.PackageComment(l)
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
	call := fmt.Sprintf("the REST method %s (HTTP POST, scope %s, %s)", m.Wire, m.Scope, m.Kind)
	lines := []string{sentence(m.GoName, m.Summary.EN), "", "It calls " + call + "."}
	if m.Summary.EN == "" {
		lines = []string{m.GoName + " calls the Bitrix24 " + strings.TrimPrefix(call, "the ") + "."}
	}
	if m.Positional {
		lines = append(lines, "The parameters go as a JSON array, in the order of the fields of "+m.ParamsType+".")
	}
	if m.Docs != "" {
		lines = append(lines, "Official docs: "+m.Docs)
	}
	if m.Result.Summary.EN != "" {
		lines = append(lines, "", "Result: "+m.Result.Summary.EN)
	}
	if len(m.Upload) > 0 {
		lines = append(lines, "", "A large file: called with "+model.Enumerate(model.Wires(m.Upload), "and")+" alone, the method answers an upload URL, and "+
			"[Service."+m.UploadFunc+"] streams the file there without base64.")
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
	case m.SuccessorM != nil:
		// A doc link to another package needs its import path: this package does not import it.
		return fmt.Sprintf("Bitrix24 replaced %s with %s; use [%s.Service.%s].", m.Wire, m.Successor, m.SuccessorM.NS.ImportPath, m.SuccessorM.GoName)
	case m.Successor != "":
		return fmt.Sprintf("Bitrix24 replaced %s with %s; use that method instead.", m.Wire, m.Successor)
	}
	return fmt.Sprintf("Bitrix24 no longer supports %s.", m.Wire)
}

// methodDecls prints the params struct, the result alias and the method.
func methodDecls(g *jen.Group, m *model.Method) {
	doc := fmt.Sprintf("%s are the parameters of [Service.%s].", m.ParamsType, m.GoName)
	switch {
	case m.ParamsAlias != nil:
		comment(g, doc, fmt.Sprintf("They are the same structure as [%s], the parameters of [Service.%s].", m.ParamsAlias.ParamsType, m.ParamsAlias.GoName))
		g.Type().Id(m.ParamsType).Op("=").Id(m.ParamsAlias.ParamsType)
		g.Line()
	case m.Positional:
		comment(g, doc)
		g.Type().Id(m.ParamsType).StructFunc(func(g *jen.Group) { structFields(g, m.Params) })
		g.Line()
	default:
		// Extra at the top level too: a parameter the docs forgot, or a key spelled in another case
		structDecl(g, &model.Struct{Name: m.ParamsType, Doc: doc, Fields: m.Params, Free: "any", Extra: m.Extra})
	}
	if len(m.Required) > 0 && m.ParamsAlias == nil {
		comment(g, fmt.Sprintf("RequiredParams names the parameters %s cannot run without: a call that leaves one unset fails before sending.", m.Wire))
		g.Func().Params(jen.Op("*").Id(m.ParamsType)).Id("RequiredParams").Params().Index().String().Block(
			jen.Return(jen.Index().String().ValuesFunc(func(g *jen.Group) {
				for _, r := range m.Required {
					g.Lit(r)
				}
			})),
		)
		g.Line()
	}
	if m.Positional && m.ParamsAlias == nil {
		comment(g, "MarshalJSON sends the parameters as a JSON array, in order; unset ones at the end are left out.")
		g.Func().Params(jen.Id("p").Id(m.ParamsType)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Return(jen.Qual(model.RuntimePath, "MarshalPositional").CallFunc(func(g *jen.Group) {
				for _, f := range m.Params {
					g.Id("p").Dot(f.GoName)
				}
			})),
		)
		g.Line()
	}
	for _, st := range m.Structs {
		structDecl(g, st)
	}
	comment(g, fmt.Sprintf("%s is the response of [Service.%s]: the result and the envelope metadata.", m.ResponseType, m.GoName))
	g.Type().Id(m.ResponseType).Op("=").Qual(model.RuntimePath, "Response").Types(typ(m.Result.Go))
	g.Line()
	comment(g, methodDoc(m)...)
	signature(g.Func(), m).Block(
		jen.Return(jen.Qual(model.RuntimePath, "Call").Types(typ(m.Result.Go)).Call(
			jen.Id("ctx"), jen.Id("s").Dot("client"), jen.Lit(m.Wire), jen.Id("p"), callOpts(m.Reads(), m.API3),
		)),
	)
	g.Line()
	cmdDecl(g, m)
	if m.List != nil {
		listDecl(g, m)
	}
	if m.UploadFunc != "" {
		uploadDecl(g, m)
	}
}

// uploadDecl prints the function of a two-step upload: the first step's params as arguments (the
// one naming the file filled with name), the file streamed from r.
func uploadDecl(g *jen.Group, m *model.Method) {
	var args []jen.Code
	params := jen.Dict{}
	for _, f := range m.Upload {
		if f == m.UploadName {
			params[jen.Lit(f.Wire)] = jen.Id("name")
			continue
		}
		arg := lowerFirst(f.GoName)
		args = append(args, jen.Id(arg).Add(typ(f.Value.Scalar.Param)))
		params[jen.Lit(f.Wire)] = jen.Id(arg)
	}
	lines := []string{
		fmt.Sprintf("%s uploads a file by the two-step upload of %s:", m.UploadFunc, m.Wire),
		fmt.Sprintf("called with %s alone, the method answers an upload URL, and the file read", model.Enumerate(model.Wires(m.Upload), "and")),
		"from r goes there under name in one multipart POST, streamed and without base64, up to the",
		"portal's limit (2 GB in the cloud). The upload is not repeated: an answer lost after the file",
		"was sent is [b24.ErrMaybeRan].",
	}
	if m.UploadName != nil {
		lines = append(lines, m.UploadName.Wire+" is sent as name.")
	}
	comment(g, lines...)
	args = append(args, jen.Id("name").String(), jen.Id("r").Qual("io", "Reader"), jen.Id("opts").Op("...").Qual(model.RuntimePath, "CallOption"))
	g.Func().Params(jen.Id("s").Op("*").Id("Service")).Id(m.UploadFunc).Params(
		append([]jen.Code{jen.Id("ctx").Qual("context", "Context")}, args...)...,
	).Params(jen.Op("*").Id(m.ResponseType), jen.Error()).Block(
		jen.Return(jen.Qual(model.RuntimePath, "Upload").Types(typ(m.Result.Go)).Call(
			jen.Id("ctx"), jen.Id("s").Dot("client"), jen.Lit(m.Wire), jen.Map(jen.String()).Any().Values(params),
			jen.Id("name"), jen.Id("r"), jen.Id("opts").Op("..."),
		)),
	)
	g.Line()
}

// callOpts is the caller's options, led by b24.Read() for a method that only reads (so that a call
// that may have run is sent again only then) and b24.API3() for a REST 3.0 method. Ours go first
// in a new slice: appending them to opts could write into the caller's array.
func callOpts(read, api3 bool) jen.Code {
	var own []jen.Code
	if read {
		own = append(own, jen.Qual(model.RuntimePath, "Read").Call())
	}
	if api3 {
		own = append(own, jen.Qual(model.RuntimePath, "API3").Call())
	}
	if len(own) == 0 {
		return jen.Id("opts").Op("...")
	}
	return jen.Append(jen.Index().Qual(model.RuntimePath, "CallOption").Values(own...), jen.Id("opts").Op("...")).Op("...")
}

// cmdDecl prints the function that adds the method to a b24.Batch as a typed command. The Service
// receiver only makes it easy to find next to the method; the command runs on the batch's client.
func cmdDecl(g *jen.Group, m *model.Method) {
	lines := []string{
		fmt.Sprintf("%s adds %s to the batch b under key (see [b24.Batch]); p is checked when the batch is", m.Cmd, m.Wire),
		fmt.Sprintf("sent, as [Service.%s] checks it. After [b24.Client.Batch], the command's Result decodes what it returned.", m.GoName),
	}
	if m.Reads() {
		lines = append(lines, "The method only reads: a request of reads alone may be sent again when it may have run.")
	}
	if m.API3 {
		lines = append(lines, "A REST 3.0 method: b holds REST 3.0 commands only, sent to the 3.0 batch method all or nothing.")
	}
	if m.Deprecated {
		lines = append(lines, "", "Deprecated: "+deprecation(m))
	}
	comment(g, lines...)
	args := []jen.Code{jen.Id("b"), jen.Id("key"), jen.Lit(m.Wire), jen.Id("p")}
	if m.Reads() {
		args = append(args, jen.Qual(model.RuntimePath, "Read").Call())
	}
	if m.API3 {
		args = append(args, jen.Qual(model.RuntimePath, "API3").Call())
	}
	g.Func().Params(jen.Op("*").Id("Service")).Id(m.Cmd).Params(
		jen.Id("b").Op("*").Qual(model.RuntimePath, "Batch"),
		jen.Id("key").String(),
		jen.Id("p").Op("*").Id(m.ParamsType),
	).Qual(model.RuntimePath, "Cmd").Types(typ(m.Result.Go)).Block(
		jen.Return(jen.Qual(model.RuntimePath, "AddCmd").Types(typ(m.Result.Go)).Call(args...)),
	)
	g.Line()
}

// listDecl prints the method that returns every row of a list method through b24.All.
func listDecl(g *jen.Group, m *model.Method) {
	l := m.List
	how, pace := "page by page with start", "up to 2,500 a request"
	switch {
	case l.Cursor != "":
		how, pace = "by its cursor "+l.Cursor+" (see [b24.All])", fmt.Sprintf("%d a request", l.Page())
	case l.Seek != "":
		how, pace = "by "+l.ID+", the last one sent in "+l.Seek+" (see [b24.All])", fmt.Sprintf("%d a request", l.Page())
	case l.API3 && l.ID != "":
		how, pace = "by "+l.ID+" (see [b24.All]) unless p sets an order, else by pagination offsets in 3.0 batches", fmt.Sprintf("%d a request", l.Page())
	case l.API3:
		how, pace = "by pagination offsets, in 3.0 batches of up to 50 pages", fmt.Sprintf("%d a page", l.Page())
	case l.ID != "":
		how = "by " + l.ID + " (see [b24.All]) unless p sets an order, else page by page with start"
	}
	row := "Each row is the raw JSON object"
	if l.Row.Kind == model.Local {
		row = "Each row decodes leniently into " + l.Row.Name
	}
	lines := []string{
		fmt.Sprintf("%s returns every row of %s, %s, walked %s.", l.GoName, m.Wire, pace, how),
		row + "; the sequence stops at the first error, which it yields.",
	}
	if m.Deprecated {
		lines = append(lines, "", "Deprecated: "+deprecation(m))
	}
	comment(g, lines...)
	// A walk only reads, whatever kind the schema gives the method (a few searches say write).
	listSignature(g.Func(), m).Block(
		jen.Return(jen.Qual(model.RuntimePath, "All").Types(typ(l.Row)).Call(
			jen.Id("ctx"), jen.Id("s").Dot("client"), jen.Lit(m.Wire), jen.Id("p"),
			listShape(l), callOpts(true, false), // All sends a 3.0 list to /rest/api/
		)),
	)
	g.Line()
}

func listSignature(s *jen.Statement, m *model.Method) *jen.Statement {
	return s.Params(jen.Id("s").Op("*").Id("Service")).Id(m.List.GoName).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("p").Op("*").Id(m.ParamsType),
		jen.Id("opts").Op("...").Qual(model.RuntimePath, "CallOption"),
	).Qual("iter", "Seq2").Types(typ(m.List.Row), jen.Error())
}

func signature(s *jen.Statement, m *model.Method) *jen.Statement {
	return s.Params(jen.Id("s").Op("*").Id("Service")).Id(m.GoName).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("p").Op("*").Id(m.ParamsType),
		jen.Id("opts").Op("...").Qual(model.RuntimePath, "CallOption"),
	).Params(jen.Op("*").Id(m.ResponseType), jen.Error())
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
