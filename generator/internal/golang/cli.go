package golang

import (
	"github.com/dave/jennifer/jen"

	"github.com/b24gen/b24gen/generator/internal/model"
)

func kit(name string) *jen.Statement { return jen.Qual(model.ClikitPath, name) }

// nsFunc is the unexported function of generated/cli that builds a namespace's commands.
func nsFunc(ns *model.Namespace) string { return ns.Package + "Methods" }

// CLI prints generated/cli/: cli.gen.go (the catalog; no namespace package is called cli) and one <package>.gen.go per namespace.
func CLI(m *model.Model, out Files, only func(*model.Namespace) bool) error {
	for _, ns := range m.Namespaces {
		if only != nil && !only(ns) {
			continue
		}
		f := newFile(m.Root+"/cli", "cli", "spec/"+ns.Name+"/")
		comment(f.Group, nsFunc(ns)+" describes the "+ns.Name+" methods as CLI commands; built only when asked for.")
		f.Func().Id(nsFunc(ns)).Params().Index().Add(kit("Method")).Block(
			jen.Return(jen.Index().Add(kit("Method")).ValuesFunc(func(g *jen.Group) {
				for _, mm := range ns.Methods {
					g.Add(cliMethod(mm))
				}
			})),
		)
		if err := render(out, "cli/"+ns.Package+".gen.go", f); err != nil {
			return err
		}
	}
	return render(out, "cli/cli.gen.go", catalog(m))
}

// dict is a keyed composite literal in field order that drops zero values, so that the literals
// stay short and read like the struct declaration.
type dict struct{ items *[]jen.Code }

func newDict() dict { return dict{items: new([]jen.Code)} }

func (d dict) set(k string, v jen.Code) { *d.items = append(*d.items, jen.Id(k).Op(":").Add(v)) }

func (d dict) str(k, v string) {
	if v != "" {
		d.set(k, jen.Lit(v))
	}
}
func (d dict) flag(k string, v bool) {
	if v {
		d.set(k, jen.True())
	}
}
func (d dict) strs(k string, v []string) {
	if len(v) > 0 {
		d.set(k, jen.Index().String().ValuesFunc(func(g *jen.Group) {
			for _, s := range v {
				g.Lit(s)
			}
		}))
	}
}

// values prints the literal; with more than two keys one per line, as gofmt users write them.
func (d dict) values() *jen.Statement {
	items := *d.items
	if len(items) <= 2 {
		return jen.Values(items...)
	}
	return jen.ValuesFunc(func(g *jen.Group) {
		for _, it := range items {
			g.Line().Add(it)
		}
		g.Line()
	})
}

func cliMethod(m *model.Method) jen.Code {
	d := newDict()
	d.str("Name", m.Command)
	if m.Command != m.Wire {
		d.str("Wire", m.Wire)
	}
	d.str("SummaryEN", m.Summary.EN)
	d.str("SummaryRU", m.Summary.RU)
	d.str("Kind", m.Kind)
	d.flag("API3", m.API3)
	d.flag("Deprecated", m.Deprecated)
	d.str("Successor", m.Successor)
	d.str("Docs", m.Docs)
	d.flag("Positional", m.Positional)
	if m.List != nil {
		d.set("List", jen.Op("&").Add(listShape(m.List)))
	}
	d.strs("Upload", model.Wires(m.Upload))
	if len(m.Params) > 0 {
		d.set("Params", jen.Index().Add(kit("Param")).ValuesFunc(func(g *jen.Group) {
			for _, p := range m.Params {
				pd := newDict()
				pd.str("Flag", p.Flag)
				pd.str("Wire", p.Wire)
				pd.str("Type", p.CLIType)
				pd.str("Bool", p.Bool)
				pd.flag("Required", p.Required)
				pd.flag("Documented", p.Documented)
				pd.flag("Names", p.Names)
				pd.strs("OneOf", oneOfFlags(m, p))
				pd.str("Usage", p.Summary.EN)
				pd.strs("Enum", p.Enum)
				if p.Struct != nil {
					pd.strs("Keys", structKeys(p.Struct))
					pd.str("Free", p.Struct.Free)
					if keys := fileKeys(p.Struct, "", 0); len(keys) > 0 {
						pd.set("Files", jen.Index().Add(kit("FileKey")).Values(keys...))
					}
				}
				if p.FileName != nil {
					pd.str("FileName", p.FileName.Flag)
				}
				g.Add(pd.values())
			}
		}))
	}
	return d.values()
}

func catalog(m *model.Model) *jen.File {
	f := newFile(m.Root+"/cli", "cli", "spec/")
	f.PackageComment("Package cli describes every generated method and OpenIntegrations function as plain clikit")
	f.PackageComment("values. Nothing is built at init time: the CLI asks for the stubs first and builds one")
	f.PackageComment("namespace's commands only when it runs one of them.")

	f.Comment("Stubs lists every method, sorted by wire name.")
	f.Func().Id("Stubs").Params().Index().Add(kit("Stub")).Block(
		jen.Return(jen.Index().Add(kit("Stub")).ValuesFunc(func(g *jen.Group) {
			for _, mm := range m.Methods {
				d := jen.Dict{jen.Id("Name"): jen.Lit(mm.Command), jen.Id("Namespace"): jen.Lit(mm.NS.Name), jen.Id("Summary"): jen.Lit(mm.Summary.EN)}
				if mm.Scope != "" {
					d[jen.Id("Scope")] = jen.Lit(mm.Scope)
				}
				g.Values(d)
			}
		})),
	)
	f.Comment("Methods describes the methods of one namespace (\"im\"); nil for an unknown namespace.")
	f.Func().Id("Methods").Params(jen.Id("namespace").String()).Index().Add(kit("Method")).Block(
		jen.Switch(jen.Id("namespace")).BlockFunc(func(g *jen.Group) {
			for _, ns := range m.Namespaces {
				g.Case(jen.Lit(ns.Name)).Block(jen.Return(jen.Id(nsFunc(ns)).Call()))
			}
		}),
		jen.Return(jen.Nil()),
	)
	f.Comment("OPI lists every OpenIntegrations function, API ones and helpers, sorted by English name.")
	f.Func().Id("OPI").Params().Index().Add(kit("OPIFunc")).Block(
		jen.Return(jen.Index().Add(kit("OPIFunc")).ValuesFunc(func(g *jen.Group) {
			for _, o := range m.OPI {
				g.Add(opiFunc(o))
			}
		})),
	)
	return f
}

func opiFunc(o *model.OPIFunc) jen.Code {
	d := newDict()
	d.str("RU", o.RU)
	d.str("EN", o.EN)
	d.strs("Aliases", o.Aliases)
	if o.Method != nil {
		d.str("Method", o.Method.Wire)
	}
	if len(o.Options) > 0 {
		d.set("Options", jen.Index().Add(kit("Option")).ValuesFunc(func(g *jen.Group) {
			for _, opt := range o.Options {
				od := newDict()
				od.str("Flag", opt.Flag)
				od.str("Wire", opt.Wire)
				od.str("Key", opt.Key)
				od.flag("Spread", opt.Spread)
				od.str("Type", opt.Type)
				od.str("Bool", opt.Bool)
				od.flag("Required", opt.Required)
				od.strs("Keys", opt.Keys)
				od.strs("Lists", opt.Lists)
				od.str("Default", opt.Default)
				od.flag("Invert", opt.Invert)
				od.str("Upload", opt.Upload)
				od.str("Usage", opt.Usage)
				g.Add(od.values())
			}
		}))
	}
	if len(o.Fixed) > 0 {
		d.set("Fixed", jen.Index().Add(kit("Field")).ValuesFunc(func(g *jen.Group) {
			for _, fx := range o.Fixed {
				g.Values(jen.Dict{jen.Id("Key"): jen.Lit(fx.Key), jen.Id("Value"): jen.Lit(fx.Value)})
			}
		}))
	}
	if o.Helper != nil {
		d.str("Template", o.Helper.Template)
		d.str("Clear", o.Helper.Clear)
	}
	return d.values()
}

// fileKeys are the keys of a structure, and of the structures inside it, that take a file.
func fileKeys(st *model.Struct, prefix string, depth int) []jen.Code {
	var out []jen.Code
	for _, f := range st.Fields {
		switch {
		case f.Binary:
			d := newDict()
			d.str("Path", prefix+f.Wire)
			d.str("Type", f.CLIType)
			if f.FileName != nil {
				d.str("Name", f.FileName.Wire)
			}
			out = append(out, d.values())
		case f.Struct != nil && depth < 4:
			out = append(out, fileKeys(f.Struct, prefix+f.Wire+".", depth+1)...)
		}
	}
	return out
}

// structKeys are the wire names of a structure's fields, required ones marked with "*".
func structKeys(st *model.Struct) []string {
	keys := make([]string, len(st.Fields))
	for i, f := range st.Fields {
		keys[i] = f.Wire
		if f.Required {
			keys[i] += "*"
		}
	}
	return keys
}

// listShape is the b24.ListShape literal of a list method.
func listShape(l *model.List) *jen.Statement {
	d := newDict()
	d.str("Rows", l.Rows)
	d.str("ID", l.ID)
	d.str("Start", l.Start)
	d.str("Filter", l.Filter)
	d.str("Order", l.Order)
	d.str("Select", l.Select)
	d.flag("API3", l.API3)
	d.str("Cursor", l.Cursor)
	d.str("Seek", l.Seek)
	if l.Limit > 0 {
		d.set("Limit", jen.Lit(l.Limit))
	}
	return jen.Qual(model.RuntimePath, "ListShape").Add(d.values())
}

// oneOfFlags are the options of p's either-or group, nil when it has none.
func oneOfFlags(m *model.Method, p *model.Field) []string {
	var out []string
	for _, w := range p.OneOf {
		for _, q := range m.Params {
			if q.Wire == w {
				out = append(out, q.Flag)
			}
		}
	}
	return out
}
