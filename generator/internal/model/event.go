package model

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// EventsPackage is the Go package of the events' data types, under the output tree:
// generated/eventdata (generated/events is the package of the method events).
const EventsPackage = "eventdata"

// Event is one event the portal posts to a handler, and the Go type its data decodes into.
type Event struct {
	Name       string // as the docs write it: onCrmDealAdd
	Wire       string // upper case, as the portal sends it: ONCRMDEALADD
	GoName     string // the data's type: OnCrmDealAdd
	Const      string // the constant of the wire name: OnCrmDealAddName
	SpecFile   string
	Scope      string
	Summary    Text
	Docs       string
	Deprecated bool
	// Data is the structure data decodes into: its documented fields, leniently (an ID as "5", a
	// Y/N flag as a boolean), with every other key kept in its Extra. nil when data is not an
	// object: then the type holds data's JSON as it came.
	Data    *Struct
	Structs []*Struct // the structures of Data's nested objects
	Example string    // a payload as a handler receives it, compact JSON; "" when none
}

// events builds the events of the spec, sorted by wire name, in one package of their own.
func (b *builder) events(ses []*spec.Event) []*Event {
	names := goNames{}
	for _, n := range []string{"New"} { // the package's own declarations
		names[n] = "the events package"
	}
	byWire := map[string]*spec.Event{}
	var out []*Event
	for _, se := range ses {
		wire := strings.ToUpper(se.Wire)
		if prev := byWire[wire]; prev != nil {
			b.errf(se.Pos, "event %s is %s too (%s): the portal sends both in upper case", se.Name, prev.Name, prev.File)
			continue
		}
		byWire[wire] = se
		e := &Event{Name: se.Name, Wire: wire, SpecFile: specPath("", se.File), Scope: se.Scope, Summary: Text(se.Summary),
			Docs: se.Docs, Deprecated: se.Deprecated}
		e.GoName = cmp.Or(se.GoName, camel(se.Name, b.compounds))
		e.Const = e.GoName + "Name"
		what := "event " + se.Name
		b.claim(names, se.Pos, what, e.Const)
		if se.Data == nil || isObjectType(se.Data.Type) {
			var fields []*spec.Param
			if se.Data != nil {
				fields = se.Data.Fields
			}
			n := &nest{prefix: e.GoName, own: map[string]bool{e.GoName: true, e.Const: true}, names: names, what: what,
				specFile: e.SpecFile, result: true, out: &e.Structs}
			doc := fmt.Sprintf("%s is the data of %s; its fields decode leniently from the portal's form (an ID as \"5\", a Y/N flag as a boolean), and the keys it does not declare are kept in Extra.", e.GoName, wire)
			e.Data = b.nested(se.Pos, e.GoName, doc, fields, spec.FreeAny, n)
			e.Structs = slices.DeleteFunc(e.Structs, func(s *Struct) bool { return s == e.Data })
		} else {
			b.claim(names, se.Pos, what, e.GoName)
		}
		if se.Example != "" {
			var buf bytes.Buffer
			if err := json.Compact(&buf, []byte(se.Example)); err != nil {
				b.errf(se.Pos, "example is not JSON: %v", err)
			}
			e.Example = buf.String()
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y *Event) int { return cmp.Compare(x.Wire, y.Wire) })
	// the nested structures that repeat another event's are aliases of it; each event's own
	// type stays declared, for its EventName
	var nested []*Struct
	for _, e := range out {
		nested = append(nested, e.Structs...)
	}
	foldStructs(nested)
	return out
}

// isObjectType reports a data type the event's Go type is a structure for.
func isObjectType(t string) bool { return t == "object" || t == "" }
