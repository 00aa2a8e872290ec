package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// Events prints eventdata/eventdata.gen.go: for every event the constant of its wire name and the Go type
// its data decodes into (a b24event.Data), and New, which makes the type of a wire name.
func Events(m *model.Model, out Files) error {
	if len(m.Events) == 0 {
		return nil
	}
	f := newFile(m.Root+"/"+model.EventsPackage, model.EventsPackage, "spec/_events/")
	f.ImportName(model.EventRuntime, "b24event")
	f.PackageComment("Package eventdata holds the Go type of each Bitrix24 event a handler receives: the structure its data")
	f.PackageComment("decodes into from the portal's form, leniently, keeping every key. Register a function for one with")
	f.PackageComment("b24event.On(h, func(ctx context.Context, ev *b24event.Event, d *eventdata.OnCrmDealAdd) error { … }).")
	g := f.Group
	for _, e := range m.Events {
		eventDecl(g, e)
	}
	comment(g, "New returns a new value of the data type of the event named wire (as the portal sends it, in any",
		"case), and false for an event the spec does not know.")
	g.Func().Id("New").Params(jen.Id("wire").String()).Params(jen.Qual(model.EventRuntime, "Data"), jen.Bool()).Block(
		jen.Switch(jen.Qual("strings", "ToUpper").Call(jen.Id("wire"))).BlockFunc(func(g *jen.Group) {
			for _, e := range m.Events {
				g.Case(jen.Id(e.Const)).Block(jen.Return(jen.New(jen.Id(e.GoName)), jen.True()))
			}
		}),
		jen.Return(jen.Nil(), jen.False()),
	)
	return render(out, model.EventsPackage+"/eventdata.gen.go", f)
}

// eventDecl prints an event's wire name, its data type with the EventName method, and the data's
// nested structures.
func eventDecl(g *jen.Group, e *model.Event) {
	comment(g, fmt.Sprintf("%s is the wire name of %s.", e.Const, e.Name))
	g.Const().Id(e.Const).Op("=").Lit(e.Wire)
	g.Line()
	if e.Data != nil {
		st := *e.Data
		st.Doc = eventDoc(e)
		structDecl(g, &st)
	} else {
		comment(g, eventDoc(e), "", "Its data is not an object: the type holds it as the JSON it came as.")
		g.Type().Id(e.GoName).Struct(jen.Qual(model.JSONPath, "RawMessage"))
		g.Line()
	}
	comment(g, "EventName is "+e.Wire+".")
	g.Func().Params(jen.Id(e.GoName)).Id("EventName").Params().String().Block(jen.Return(jen.Id(e.Const)))
	g.Line()
	for _, st := range e.Structs {
		structDecl(g, st)
	}
}

// eventDoc is the comment of an event's type: what it is, its summary, scope and docs.
func eventDoc(e *model.Event) string {
	doc := fmt.Sprintf("%s is the data of the event %s", e.GoName, e.Wire)
	if e.Summary.EN != "" {
		doc += ": " + e.Summary.EN
	} else {
		doc += "."
	}
	if e.Scope != "" {
		doc += " Binding it needs the scope " + e.Scope + "."
	}
	if e.Docs != "" {
		doc += " Official docs: " + e.Docs
	}
	if e.Deprecated {
		doc += "\n\nDeprecated: Bitrix24 no longer develops this event."
	}
	return doc
}
