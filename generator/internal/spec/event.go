package spec

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// EventsDir is the folder of the event files, at the root of the tree: spec/_events/<event>.yaml.
// Its name cannot be a namespace's.
const EventsDir = "_events"

// Event is one spec/_events/<event>.yaml file: an event the portal posts to a handler URL.
type Event struct {
	Pos        Pos
	File       string // path inside the tree: "_events/onCrmDealAdd.yaml"
	Name       string // as the docs write it, and the file's name: onCrmDealAdd
	Wire       string // as the handler receives it in "event": ONCRMDEALADD
	GoName     string // the Go name when the name does not give it (ONIMBOTMESSAGEADD); "" otherwise
	Scope      string // the scope event.bind needs; "" when the docs name none
	Summary    Text
	Docs       string
	Deprecated bool
	Data       *Result // the type of the payload's data; nil when the docs say nothing
	Example    string  // a payload as a handler receives it, as JSON ({"event": …, "data": …}); "" when none
}

var eventKeys = []string{"spec", "event", "wire", "go_name", "scope", "summary", "docs", "deprecated", "data", "example"}

var (
	reEvent   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]*$`)
	ruleEvent = "letters, digits, _ and ., starting with a letter (onCrmDealAdd, CATALOG.PRICE.ON.ADD)"
)

// parseEvent reads an event file.
func (p *parsed) parseEvent(root *yaml.Node) {
	f := p.f
	top := f.mapping(root, "event file", eventKeys...)
	top.require("spec", "event", "wire")
	top.version()
	e := &Event{Pos: f.pos(root), File: f.rel}
	p.event = e
	e.Name = top.str("event")
	if v := top.get("event"); v != nil && e.Name != "" {
		e.Pos = f.pos(v)
		switch want := strings.TrimSuffix(path.Base(f.rel), ".yaml"); {
		case !reEvent.MatchString(e.Name):
			f.errf(v, "invalid event name %q: %s", e.Name, ruleEvent)
		case e.Name != want:
			f.errf(v, "event %q must be in a file named after it: %s.yaml, not %s.yaml", e.Name, e.Name, want)
		}
	}
	e.Wire = top.str("wire")
	if v := top.get("wire"); v != nil && e.Wire != "" && !reEvent.MatchString(e.Wire) {
		f.errf(v, "invalid wire name %q: %s", e.Wire, ruleEvent)
	}
	e.GoName = p.goName(top)
	e.Scope = top.str("scope")
	e.Summary = top.text("summary")
	e.Docs = top.url("docs")
	e.Deprecated = top.boolean("deprecated")
	if v := top.get("data"); v != nil {
		r := f.mapping(v, "\"data\"", "type", "summary", "fields", "fix")
		r.require("type")
		e.Data = &Result{Type: r.str("type"), Summary: r.text("summary"), Fix: r.str("fix")}
		if t := r.get("type"); t != nil && e.Data.Type != "" {
			f.checkType(t, e.Data.Type, &p.refs, "data type")
		}
		e.Data.Fields = p.nestedFields(r, e.Data.Type, "data")
	}
	if v := top.get("example"); v != nil {
		e.Example = top.str("example")
		var payload struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		switch err := json.Unmarshal([]byte(e.Example), &payload); {
		case err != nil:
			f.jsonErr(v, "example", err)
		case !strings.EqualFold(payload.Event, e.Wire):
			f.errf(v, "\"example\" must be a payload of %s: a JSON object whose \"event\" is it, found %q", e.Wire, payload.Event)
		}
	}
}
