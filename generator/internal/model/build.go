package model

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

type builder struct {
	errs      spec.ErrorList
	compounds map[string][]string // spec.Spec.Compounds
	root      string              // Model.Root
	nsName    string
	structs   map[string]*Struct // "<namespace>.<Name>"
	short     map[string]bool    // the namespace's structures with a short form (spec: short), by name
	methods   map[string]*Method // wire name
}

func (b *builder) errf(pos spec.Pos, format string, args ...any) {
	b.errs = append(b.errs, &spec.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// specPath is how generated files name a spec file: one of the base spec as spec/<file>, whatever
// folder it was read from, so that the output does not depend on where the generator ran; one of a
// later folder (a module's own) by that folder's name as given to the generator.
func specPath(folder, file string) string {
	if folder == "" {
		return "spec/" + file
	}
	return filepath.ToSlash(folder) + "/" + file
}

// Build makes the model of a loaded spec whose packages go under the import path root. Name
// collisions and anything else the emitters could not print are reported as a spec.ErrorList naming
// the spec files involved.
func Build(s *spec.Spec, root string) (*Model, error) {
	b := &builder{structs: map[string]*Struct{}, methods: map[string]*Method{}, compounds: s.Compounds, root: root}
	m := &Model{Root: root, Own: root == GeneratedPath}
	pkgs := map[string]*spec.Namespace{}
	lower := map[string]*spec.Method{}
	for _, sn := range s.Namespaces {
		ns := b.namespace(sn)
		if prev, ok := pkgs[ns.Package]; ok {
			b.errf(firstPos(sn), "namespace %s gets Go package %s, as namespace %s (spec/%s/) does; rename one folder",
				sn.Name, ns.Package, prev.Name, prev.Name)
		}
		pkgs[ns.Package] = sn
		for _, sm := range sn.Methods {
			// The fake portal and case-insensitive file systems see methods case-insensitively.
			key := strings.ToLower(sm.Name)
			if sm.Twin {
				key += spec.TwinSuffix
			}
			if prev, ok := lower[key]; ok {
				b.errf(sm.Pos, "method %s differs from %s (%s) only in case", sm.Name, prev.Name, specPath(prev.Folder, prev.File))
			}
			lower[key] = sm
		}
		m.Namespaces = append(m.Namespaces, ns)
		m.Methods = append(m.Methods, ns.Methods...)
		m.OPI = append(m.OPI, ns.OPI...)
	}
	for _, mm := range m.Methods {
		if mm.Successor != "" {
			mm.SuccessorM = b.methods[mm.Successor]
		}
	}
	m.Events = b.events(s.Events)
	slices.SortFunc(m.Methods, func(x, y *Method) int { return cmp.Compare(x.Command, y.Command) })
	slices.SortFunc(m.OPI, func(x, y *OPIFunc) int { return cmp.Compare(x.EN, y.EN) })
	if len(b.errs) > 0 {
		slices.SortStableFunc(b.errs, func(x, y *spec.Error) int {
			return cmp.Or(cmp.Compare(x.Pos.File, y.Pos.File), cmp.Compare(x.Pos.Line, y.Pos.Line), cmp.Compare(x.Pos.Col, y.Pos.Col))
		})
		return nil, b.errs
	}
	return m, nil
}

func firstPos(sn *spec.Namespace) spec.Pos {
	switch {
	case len(sn.Methods) > 0:
		return spec.Pos{File: sn.Methods[0].Pos.File}
	case len(sn.Types) > 0:
		return spec.Pos{File: sn.Types[0].Pos.File}
	case len(sn.Helpers) > 0:
		return spec.Pos{File: sn.Helpers[0].Pos.File}
	}
	return spec.Pos{File: "spec/" + sn.Name}
}

// goNames tracks the Go names declared at package level, to report a clash with both origins.
type goNames map[string]string // name → "<what> (<spec file>)"

// claim reserves names for one spec item; on the first clash it reports it and stops, so one
// clash is one error.
func (b *builder) claim(names goNames, pos spec.Pos, what string, name ...string) {
	for _, n := range name {
		if prev, ok := names[n]; ok {
			b.errf(pos, "Go name %s of %s is already used by %s; set go_name on one of them", n, what, prev)
			return
		}
	}
	for _, n := range name {
		names[n] = what
	}
}

func (b *builder) namespace(sn *spec.Namespace) *Namespace {
	b.nsName = sn.Name
	ns := &Namespace{Name: sn.Name, Package: packageName(sn.Name)}
	ns.ImportPath = b.root + "/" + ns.Package
	names := goNames{"Service": "the generated Service type", "New": "the generated New function"}
	b.short = map[string]bool{}
	for _, st := range sn.Types {
		b.short[st.Name] = st.Short != ""
	}
	for _, st := range sn.Types {
		s := &Struct{Name: st.Name, Summary: st.Summary, SpecFile: specPath(st.Folder, st.File), Free: st.Free, Short: st.Short}
		what := "structure " + st.Name + " (" + s.SpecFile + ")"
		b.claim(names, st.Pos, what, st.Name)
		var nested []*Struct
		s.Fields = b.fields(st.Fields, what, &nest{prefix: st.Name, names: names, what: what, specFile: s.SpecFile, out: &nested})
		b.extra(s, st.Pos, what)
		b.structs[sn.Name+"."+st.Name] = s
		ns.Types = append(ns.Types, s)
		ns.Types = append(ns.Types, nested...)
		ns.TypesFile = s.SpecFile
	}
	for _, s := range ns.Types {
		for _, f := range s.Fields {
			b.resolve(f.Value) // a structure written later than the one that refers to it
			f.Sample = b.sampleField(f, 1)
		}
	}

	entities := map[string]*Entity{}
	for _, sm := range sn.Methods {
		mm := b.method(ns, sm, names)
		ns.Methods = append(ns.Methods, mm)
		b.methods[mm.Command] = mm
		stem := fileStem(entityOf(sm.Name, sn.Name))
		e := entities[stem]
		if e == nil {
			e = &Entity{Name: stem, File: stem + ".gen.go"}
			entities[stem] = e
			ns.Entities = append(ns.Entities, e)
		}
		mm.Entity = e
		e.Methods = append(e.Methods, mm)
		e.Sources = append(e.Sources, mm.SpecFile)
	}
	slices.SortFunc(ns.Entities, func(x, y *Entity) int { return cmp.Compare(x.Name, y.Name) })
	slices.SortFunc(ns.Methods, func(x, y *Method) int { return cmp.Compare(x.Command, y.Command) })
	for _, e := range ns.Entities {
		slices.Sort(e.Sources)
		e.Source = glob(e.Sources)
	}

	for _, sh := range sn.Helpers {
		ns.OPI = append(ns.OPI, b.helper(ns, sh))
	}
	b.records(ns, names)
	fold(ns)
	slices.SortFunc(ns.Helpers, func(x, y *Helper) int { return cmp.Compare(x.OPI.EN, y.OPI.EN) })
	slices.SortFunc(ns.OPI, func(x, y *OPIFunc) int { return cmp.Compare(x.EN, y.EN) })
	return ns
}

func (b *builder) method(ns *Namespace, sm *spec.Method, names goNames) *Method {
	mm := &Method{
		Wire: sm.Name, Command: sm.Name, NS: ns, SpecFile: specPath(sm.Folder, sm.File), Scope: sm.Scope, Kind: sm.Kind, API3: sm.API == spec.API3,
		Summary: sm.Summary, Docs: sm.Docs, Example: strings.TrimSpace(sm.Example),
	}
	if sm.Twin {
		mm.Command += spec.TwinSuffix
	}
	mm.GoName = sm.GoName
	if mm.GoName == "" {
		mm.GoName = methodGoName(sm.Name, b.compounds)
		if sm.Twin {
			mm.GoName += "V3" // beside the 2.0 method of the name: TaskGetV3
		}
	}
	mn := namesOf(mm.GoName)
	mm.ParamsType, mm.ResponseType, mm.Cmd = mn.params, mn.response, mn.cmd
	result := mn.result
	what := "method " + sm.Name + " (" + mm.SpecFile + ")"
	reserved := []string{mm.GoName, mm.ParamsType, mm.ResponseType, mm.Cmd}
	documented := sm.Result != nil && len(sm.Result.Fields) > 0 && documentsFields(valueOf(sm.Result.Type, ""))
	if !documented {
		// Reserved even without fields, so that documenting the result later renames nothing; a
		// documented result's structure claims the name itself.
		reserved = append(reserved, result)
	}
	b.claim(names, sm.Pos, what, reserved...)
	if sm.Deprecated != nil {
		mm.Deprecated = true
		mm.Successor = sm.Deprecated.Successor
	}
	mm.Positional = sm.Positional
	mm.Destructive = sm.Kind == spec.KindWrite && destructive(sm.Name)
	for _, p := range sm.Params {
		if sm.API == spec.API3 && strings.EqualFold(p.Name, "filter") && valueOf(p.Type, "").Shape == ListValue {
			mm.Conditions = p.Name
		}
	}
	if sm.List != nil {
		mm.List = &List{GoName: mn.all, Rows: sm.List.Rows, ID: sm.List.ID, API3: sm.API == spec.API3, Limit: sm.List.Limit, Cursor: sm.List.Cursor, Seek: sm.List.Seek}
		for _, p := range sm.Params {
			switch strings.ToLower(p.Name) {
			case "start":
				mm.List.Start = p.Name
			case "filter":
				// a REST 3.0 walk adds its condition to a list of conditions only, and leaves a
				// filter object of the method's own (call.followup.list) alone
				if sm.API != spec.API3 || mm.Conditions != "" {
					mm.List.Filter = p.Name
				}
			case "order":
				mm.List.Order = p.Name
			case "select":
				mm.List.Select = p.Name
			}
		}
		b.claim(names, sm.List.Pos, what, mm.List.GoName)
	}
	if len(sm.Upload) > 0 {
		mm.UploadFunc = mm.GoName + "From"
		b.claim(names, sm.Pos, what, mm.UploadFunc)
	}
	// A nested structure never takes one of the method's own type names, the result's included.
	own := map[string]bool{mm.GoName: true, mm.ParamsType: true, mm.ResponseType: true, mm.Cmd: true, result: true}
	n := &nest{prefix: mm.GoName, own: own, names: names, what: what, specFile: mm.SpecFile, method: mm.GoName, wire: sm.Name, positional: sm.Positional, out: &mm.Structs}
	mm.Params = b.fields(sm.Params, what, n)
	if !mm.Positional {
		mm.Extra = "Extra"
		for _, f := range mm.Params {
			if f.GoName == "Extra" {
				mm.Extra = "ExtraKeys"
			}
		}
	}
	mm.OneOf = sm.OneOf
	grouped := map[string][]string{}
	for _, grp := range sm.OneOf {
		for _, n := range grp {
			grouped[n] = grp
		}
	}
	for _, f := range mm.Params {
		f.Sample = b.sampleField(f, 1)
		f.OneOf = grouped[f.Wire]
		if slices.Contains(sm.Upload, f.Wire) {
			mm.Upload = append(mm.Upload, f)
		}
		if f.FileName != nil && slices.Contains(sm.Upload, f.FileName.Wire) {
			mm.UploadName = f.FileName // the name the file goes by is also the first step's
		}
		switch {
		case f.Required:
			mm.Required = append(mm.Required, f.Wire)
		case len(f.OneOf) > 0 && f.OneOf[0] == f.Wire:
			mm.Required = append(mm.Required, strings.Join(f.OneOf, "|"))
		}
	}
	mm.Result = Result{Value: valueOf("any", "")}
	if sm.Result != nil {
		mm.Result = Result{Value: b.resolve(valueOf(sm.Result.Type, sm.Result.Bool)), Summary: sm.Result.Summary}
	}
	mm.Result.Go = resultGo(mm.Result.Value)
	if documented {
		rn := *n
		rn.result = true
		doc := fmt.Sprintf("%s is the result of [Service.%s]; its fields decode leniently (an ID as 5 or \"5\"; a value that does not fit leaves its field zero, is kept in Extra and named in Response.Unfit).", result, mm.GoName)
		if mm.Result.Value.Shape != ObjectValue {
			doc = fmt.Sprintf("%s is one item of the result of [Service.%s]; its fields decode leniently (an ID as 5 or \"5\"; a value that does not fit leaves its field zero, is kept in Extra and named in Response.Unfit).", result, mm.GoName)
		}
		st := b.nested(sm.Pos, result, doc, sm.Result.Fields, "", &rn)
		mm.ResultType = result
		mm.Result.Struct = st
		mm.Result.Value.Inner().Struct = st
		mm.Result.Go = local(result)
		switch mm.Result.Value.Shape {
		case ListValue:
			mm.Result.Go = sliceOf(local(result))
		case MapValue:
			mm.Result.Go = dataMapOf(local(result))
		}
	}
	if mm.List != nil {
		mm.List.Row = rowType(mm)
	}
	if mm.Example != "" {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(mm.Example)); err != nil {
			b.errf(sm.Pos, "example is not JSON: %v", err)
		}
		mm.Compact = buf.String()
	}
	for _, so := range sm.OPI {
		mm.OPI = append(mm.OPI, b.opi(mm, so))
	}
	ns.OPI = append(ns.OPI, mm.OPI...)
	return mm
}

// nest is where the structures of nested fields go and how they are named: the parent's Go name
// followed by the field's (DealAdd + Fields → DealAddFields, then DealAddFields + Phone).
type nest struct {
	prefix   string
	own      map[string]bool // the method's own type names: a structure taking one gets "Object" appended
	names    goNames
	what     string // the spec item, for clash messages
	specFile string
	method   string // Go name of the method, "" inside _types.yaml
	wire     string // wire name of the method
	parent   string // Go name of the enclosing generated structure, "" at the top
	result   bool   // fields of a result: tolerant types, no pointers
	// positional methods send every param by its place, so even required ones are pointers: an
	// unset one must be null, not a zero that looks like a value
	positional bool
	out        *[]*Struct
}

// fields converts params or structure fields; two wire names with the same Go name fail. Objects
// with documented fields become structures, added to n.out.
func (b *builder) fields(ps []*spec.Param, what string, n *nest) []*Field {
	seen := map[string]string{}
	var out []*Field
	for _, p := range ps {
		v := b.resolve(valueOf(p.Type, p.Bool))
		f := &Field{
			Wire: p.Name, GoName: p.GoName, Flag: p.CLI, Value: v, Required: p.Required, Bool: p.Bool,
			CLIType: cliType(v), Binary: v.Binary(), Default: p.Default, Enum: p.Enum,
			Summary: p.Summary, Fix: p.Fix,
		}
		if b.short[p.Type] {
			f.CLIType = clikitObjectOrList // a structure with a short form takes either
		}
		if f.GoName == "" {
			f.GoName = camel(p.Name, b.compounds)
		}
		if prev, ok := seen[f.GoName]; ok {
			b.errf(p.Pos, "parameters %s and %s of %s both get the Go field name %s; set go_name on one of them",
				prev, p.Name, what, f.GoName)
		}
		seen[f.GoName] = p.Name
		var t *Type
		switch {
		case len(p.Fields) > 0 && documentsFields(v):
			name := nestedName(n.prefix, f.GoName, n.own)
			f.Struct = b.nested(p.Pos, name, structDoc(name, v, p.Name, n), p.Fields, p.Free, n)
			v.Inner().Struct = f.Struct
			t = local(name)
			switch {
			case v.Shape == ListValue:
				t = sliceOf(t)
			case v.Shape == MapValue && n.result:
				t = dataMapOf(t)
			case v.Shape == MapValue:
				t = &Type{Kind: Map, Elem: t}
			}
		case n.result:
			t = resultGo(v)
		default:
			t = paramGo(v)
		}
		if n.result {
			// The portal sends what it has: a result field is never required, only decoded.
			f.Type, f.Required = t, false
		} else {
			f.Top = n.parent == "" && n.method != ""
			f.Names = f.Top && strings.EqualFold(p.Name, "select") && v.Shape == ListValue && v.Is(String)
			f.Type, f.Omit = declared(t, v, p.Required && f.Top && !n.positional)
			if f.Required && f.Top && !n.positional && !surelyRequired(n.wire, p.Name) {
				f.Required, f.Documented = false, true
			}
			if v.Is(Flag10) {
				f.Note = Flag10.Note
			}
		}
		out = append(out, f)
	}
	for i, p := range ps {
		if p.FileName != "" {
			j := slices.IndexFunc(ps, func(o *spec.Param) bool { return o.Name == p.FileName })
			out[i].FileName = out[j] // the loader checked it is there
		}
	}
	return out
}

// surelyRequired reports a parameter the portal surely refuses a call without, by its method: the
// record's ID (id, or the entity's: taskId, CHAT_ID) of a method that gets, updates or deletes one
// record, and the fields of one that adds or updates one. The schema marks other parameters
// required that the portal does without (calendar.event.add's ownerId): a call without one of
// those is sent, and the portal's own error comes back if it needs it.
func surelyRequired(wire, param string) bool {
	segs := strings.Split(wire, ".")
	last, entity := segs[len(segs)-1], ""
	if len(segs) > 1 {
		entity = strings.ToLower(segs[len(segs)-2])
	}
	name := strings.ToLower(strings.ReplaceAll(param, "_", ""))
	switch last {
	case "get", "update", "delete":
		if name == "id" || name == entity+"id" {
			return true
		}
	}
	return name == "fields" && (last == "add" || last == "update")
}

// structDoc is the first line of a generated structure's comment.
func structDoc(name string, v *Value, wire string, n *nest) string {
	item := ""
	if v.Shape == ListValue {
		item = "one item of "
	}
	if n.parent == "" && n.method != "" {
		return fmt.Sprintf("%s is %sthe %s parameter of [Service.%s].", name, item, wire, n.method)
	}
	return fmt.Sprintf("%s is %sthe %s field of [%s].", name, item, wire, n.prefix)
}

// documentsFields reports the values whose documented fields become a generated structure: an
// object, a list of objects or a map of them.
func documentsFields(v *Value) bool {
	if v.Shape == ListValue || v.Shape == MapValue {
		v = v.Elem
	}
	return v.Shape == ObjectValue && v.Named == ""
}

// resolve points the named structures inside v at the namespace's structures; those of _types.yaml
// that refer to one written later are resolved once all are made (see namespace).
func (b *builder) resolve(v *Value) *Value {
	if in := v.Inner(); in.Named != "" {
		in.Struct = b.structs[b.nsName+"."+in.Named]
	}
	return v
}

// nested makes the structure of documented fields: claimed at package level (a clash names both
// spec files), added to n.out before the structures of its own fields.
func (b *builder) nested(pos spec.Pos, name, doc string, ps []*spec.Param, free string, n *nest) *Struct {
	st := &Struct{Name: name, Doc: doc, SpecFile: n.specFile, Free: free, Result: n.result}
	what := "structure " + name + " of " + n.what
	b.claim(n.names, pos, what, name)
	*n.out = append(*n.out, st)
	child := *n
	child.prefix, child.parent = name, name
	st.Fields = b.fields(ps, what, &child)
	if n.result {
		st.Free = spec.FreeAny // a result keeps the keys it does not declare
	}
	b.extra(st, pos, what)
	return st
}

// extra names the map of a free structure's undocumented keys: Extra, or ExtraKeys when a
// documented field is already called Extra.
func (b *builder) extra(st *Struct, pos spec.Pos, what string) {
	if st.Free == "" {
		return
	}
	taken := map[string]bool{}
	for _, f := range st.Fields {
		taken[f.GoName] = true
	}
	for _, name := range []string{"Extra", "ExtraKeys"} {
		if !taken[name] {
			st.Extra = name
			return
		}
	}
	b.errf(pos, "%s has fields named Extra and ExtraKeys: set go_name on one, the free keys need one of the names", what)
}

func (b *builder) opi(mm *Method, so *spec.OPIFunc) *OPIFunc {
	o := &OPIFunc{RU: so.RU, EN: so.EN, Aliases: so.Aliases, Region: so.Region, Method: mm}
	byWire := map[string]*Field{}
	for _, f := range mm.Params {
		byWire[f.Wire] = f
	}
	for _, sopt := range so.Options {
		opt := &OPIOption{Flag: sopt.CLI, RU: sopt.RU, EN: sopt.EN, Spread: sopt.Spread}
		switch {
		case sopt.Upload == "name":
			opt.Upload, opt.Type, opt.Sample = sopt.Upload, String.CLI, &Sample{Scalar: "report.pdf"}
			opt.Summary = Text{EN: "The file's name on the portal (default: the file's own).", RU: "Имя файла на портале (по умолчанию — собственное имя файла)."}
			opt.Usage = opt.Summary.EN
		case sopt.Upload == "content":
			opt.Upload, opt.Type, opt.Sample, opt.Required = sopt.Upload, FileValue.CLI, &Sample{File: "report.pdf"}, true
			opt.Summary = Text{EN: "The file: a path or an http(s) URL, streamed to the method's upload URL.", RU: "Файл: путь или http(s)-адрес; передаётся потоком по адресу загрузки метода."}
			opt.Usage = opt.Summary.EN
		case sopt.Spread:
			opt.Type = "object"
			opt.Required = true
			opt.Usage = "Request fields as a JSON object; its keys are sent at the top level."
			opt.Summary = Text{EN: opt.Usage, RU: "Поля запроса JSON-объектом; его ключи уходят на верхний уровень запроса."}
			opt.Sample = spreadSample(mm, so)
		default:
			head, key, nested := strings.Cut(sopt.Param, ".")
			f := byWire[head]
			if f == nil {
				b.errf(sopt.Pos, "OPI option %s fills %s, which is not a parameter of %s", sopt.CLI, sopt.Param, mm.Wire)
				continue
			}
			opt.Wire = f.Wire
			if nested {
				// one key of an object param (FIELDS.TITLE): its documented field gives the type
				opt.Key = key
				if f = structField(f, key); f == nil {
					b.errf(sopt.Pos, "OPI option %s fills %s, but %s documents no field %s", sopt.CLI, sopt.Param, head, key)
					continue
				}
			}
			opt.Param, opt.Type, opt.Bool, opt.Required = f, f.CLIType, f.Bool, f.Required
			opt.Usage, opt.Summary, opt.Sample, opt.GoType = f.Summary.EN, f.Summary, f.Sample, f.Type
		}
		if sopt.Required != nil {
			opt.Required = *sopt.Required
		}
		opt.Default, opt.Invert, opt.Keys = sopt.Default, sopt.Invert, sopt.Keys
		for _, k := range sopt.Keys {
			if f := byWire[k]; f != nil && f.Value.Shape == ListValue {
				opt.Lists = append(opt.Lists, k)
			}
		}
		o.Options = append(o.Options, opt)
	}
	for _, fx := range so.Fixed {
		v := fx.Value
		switch x := v.(type) {
		case int64:
			v = int(x) // printed as a plain constant in the CLI bindings
		case uint64:
			v = int(x)
		case string, int, float64, bool:
		default:
			b.errf(so.Pos, "fixed field %s of %s has a value of type %T; want a string, number or boolean", fx.Key, so.EN, fx.Value)
			continue
		}
		o.Fixed = append(o.Fixed, Fixed{Key: fx.Key, Value: v})
	}
	return o
}

// structField is the documented field key of an object param, or nil.
func structField(f *Field, key string) *Field {
	if f.Struct == nil {
		return nil
	}
	for _, nf := range f.Struct.Fields {
		if nf.Wire == key {
			return nf
		}
	}
	return nil
}

// spreadSample fills a spread option with the method's example parameters that no other option of
// the function fills.
func spreadSample(mm *Method, so *spec.OPIFunc) *Sample {
	filled := map[string]bool{}
	for _, o := range so.Options {
		head, _, _ := strings.Cut(o.Param, ".")
		filled[head] = true
	}
	var rest []*Field
	for _, f := range mm.Params {
		if !filled[f.Wire] {
			rest = append(rest, f)
		}
	}
	s := &Sample{Fields: []*SampleField{}}
	for _, f := range sampleFields(rest) {
		s.Fields = append(s.Fields, &SampleField{Key: f.Wire, Field: f, Value: f.Sample})
	}
	return s
}

func (b *builder) helper(ns *Namespace, sh *spec.Helper) *OPIFunc {
	h := &Helper{NS: ns, SpecFile: specPath("", sh.File), Summary: sh.Summary, Template: strings.TrimSpace(sh.Template), Clear: sh.Clear}
	h.Result = b.structs[ns.Name+"."+sh.Result]
	if h.Result == nil {
		b.errf(sh.Pos, "helper %s builds %s, which is not a structure of namespace %s", sh.EN, sh.Result, ns.Name)
	}
	o := &OPIFunc{RU: sh.RU, EN: sh.EN, Aliases: sh.Aliases, Region: sh.Region, Helper: h, DocsFile: sh.EN + ".md"}
	h.OPI = o
	for _, so := range sh.Options {
		v := b.resolve(valueOf(so.Type, spec.BoolJSON)) // helpers send nothing: a plain boolean
		opt := &OPIOption{
			Flag: so.CLI, RU: so.RU, EN: so.EN, Type: cliType(v), Required: so.Required,
			Usage: so.Summary.EN, Summary: so.Summary, GoType: paramGo(v), Bool: helperBool(v),
			Sample: b.sampleOf(v, so.CLI, nil, 1),
		}
		o.Options = append(o.Options, opt)
	}
	ns.Helpers = append(ns.Helpers, h)
	return o
}

// ExampleParams are the parameters the docs examples fill.
func (m *Method) ExampleParams() []*Field { return sampleFields(m.Params) }

// entityOf is the entity a method's file is named after: the second wire segment (im.dialog.unread
// → dialog), the namespace for two-segment names (user.get → user), and for versioned methods
// the version with the segment after it (booking.v1.booking.add → v1booking), so that a
// versioned API does not land in one file.
func entityOf(wire, ns string) string {
	segs := strings.Split(wire, ".")
	switch {
	case len(segs) <= 2:
		return ns
	case len(segs) > 3 && isVersion(segs[1]):
		return segs[1] + segs[2]
	}
	return segs[1]
}

func isVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// glob names a group of spec files in one header line: the file itself, or the common prefix of
// the names (cut after a dot) followed by *.yaml.
func glob(files []string) string {
	if len(files) == 1 {
		return files[0]
	}
	prefix := files[0]
	for _, f := range files[1:] {
		for !strings.HasPrefix(f, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix[:strings.LastIndex(prefix, ".")+1] + "*.yaml"
}

// helperBool is how a helper's boolean option is read: helpers send nothing, so a plain boolean.
func helperBool(v *Value) string {
	if v.Shape == ScalarValue && v.Scalar == Boolean {
		return spec.BoolJSON
	}
	return ""
}

// rowType is the type of one row of a list method: the item of a result that is a list of
// structures, or of its rows key (items, tasks); raw JSON when the rows are not documented.
func rowType(m *Method) *Type {
	rows := m.Result.Go
	if m.List.Rows != "" {
		rows = nil
		if st := m.Result.Struct; st != nil && m.Result.Go.Kind == Local {
			for _, f := range st.Fields {
				if f.Wire == m.List.Rows {
					rows = f.Type
				}
			}
		}
	}
	if rows != nil && rows.Kind == Slice && rows.Elem.Kind == Local {
		return rows.Elem
	}
	return rawJSON()
}

// destructiveWords begin the last word of a method that deletes or overwrites (crm.deal.delete,
// im.chat.updateTitle, user.userfield.set); adding, sending or starting takes nothing away.
var destructiveWords = []string{"delete", "remove", "clear", "reset", "unbind", "unregister", "uninstall", "update",
	"set", "replace", "revoke", "unlink", "detach", "erase", "purge", "drop", "rollback"}

func destructive(wire string) bool {
	last := strings.ToLower(wire[strings.LastIndexByte(wire, '.')+1:])
	return slices.ContainsFunc(destructiveWords, func(w string) bool { return strings.HasPrefix(last, w) })
}
