package docs

import (
	"bytes"
	"encoding/json"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// EventsDir is the folder of the event pages in each language's docs: docs/<lang>/_events/ (a name no
// namespace can have).
const EventsDir = "_events"

type eventPage struct {
	Name, Wire, GoType, Package, Scope, Summary, Docs, Marker, Example string
	Deprecated                                                         bool
	Data                                                               []eventRow
}

type eventRow struct{ Key, Type, Note string }

type eventsIndex struct {
	Marker, Package string
	Events          []eventPage
}

// renderEvents writes a page per event and their index.
func renderEvents(m *model.Model, lang string, out map[string][]byte) error {
	if len(m.Events) == 0 {
		return nil
	}
	dir := "docs/" + lang + "/" + EventsDir + "/"
	idx := eventsIndex{Marker: marker("spec/_events/"), Package: m.Root + "/" + model.EventsPackage}
	for _, e := range m.Events {
		p := eventPage{Name: e.Name, Wire: e.Wire, GoType: model.EventsPackage + "." + e.GoName, Package: idx.Package,
			Scope: e.Scope, Summary: cell(pick(e.Summary, lang)), Docs: e.Docs, Deprecated: e.Deprecated, Marker: marker(e.SpecFile)}
		if e.Data != nil {
			p.Data = dataRows(e.Data, "", lang)
		}
		if e.Example != "" {
			var b bytes.Buffer
			if json.Indent(&b, []byte(e.Example), "", "  ") == nil {
				p.Example = b.String()
			}
		}
		if err := exec(out, dir+e.Wire+".md", "event."+lang+".md.tmpl", p); err != nil {
			return err
		}
		idx.Events = append(idx.Events, p)
	}
	return exec(out, dir+"README.md", "events."+lang+".md.tmpl", idx)
}

// dataRows lists the documented keys of data, nested ones as dot paths.
func dataRows(st *model.Struct, prefix, lang string) []eventRow {
	var rows []eventRow
	for _, f := range st.Fields {
		r := eventRow{Key: prefix + f.Wire, Type: f.Value.Spec()}
		if f.Bool == "YN" {
			r.Note = pick(model.Text{EN: "Y/N, decoded as a boolean", RU: "Y/N, декодируется в boolean"}, lang)
		}
		rows = append(rows, r)
		if in := f.Value.Inner(); in.Struct != nil {
			sub := in.Struct
			for sub.Alias != nil {
				sub = sub.Alias
			}
			key := prefix + f.Wire + "."
			if f.Value.Shape == model.MapValue {
				key = prefix + f.Wire + ".{key}."
			}
			rows = append(rows, dataRows(sub, key, lang)...)
		}
	}
	return rows
}
