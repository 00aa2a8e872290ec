package importer

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
)

// The rules the event import applies, counted in its summary.
const (
	ruleEventPlaceholder = "a path segment that is data ({BOT_ID}) → its parent is a map keyed by it, its fields those of each value"
	ruleEventRecordID    = "a field typed as another record's ID (sale_order.id) → id"
	ruleEventTimestamp   = "a timestamp (unix seconds) → integer"
	ruleEventDocType     = "a field typed as a docs structure (Chat, User, Message) → object, its keys kept as they come"
	ruleEventUndefined   = "a field typed undefined|object (the portal sends the text undefined when there is none) → any, kept as it comes"
	ruleEventYN          = "a string field whose example values are all Y or N → a Y/N boolean"
	ruleEventExampleKey  = "a key of data the payload example sends that the fields lack → a field typed from the example"
	ruleEventGoName      = "an event the docs name in one case (ONIMBOTV2MESSAGEADD) → its Go name split into the words of the camel-case events and the docs pages (OnImbotV2MessageAdd)"
	ruleEventNoAuth      = "a payload example's auth (the docs' sample tokens) → left out: a handler's example shows its data"
)

// catalogEvent is one line of upstream/b24-events/events.jsonl.
type catalogEvent struct {
	Event      string   `json:"event"`
	Wire       string   `json:"wire_name"`
	Doc        string   `json:"doc"`
	Scope      []string `json:"scope"`
	Deprecated bool     `json:"deprecated"`
	Fields     []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"fields"`
	DataType     string          `json:"data_type"`
	Example      json.RawMessage `json:"payload_example"`
	ExampleScope string          `json:"payload_example_scope"`
}

// EventSummary is what an event import did.
type EventSummary struct {
	Added, Updated []string
	Unchanged      int
	Applied        map[string]int // rule → times applied

	Unsummarized []string // events the summary tables do not know: a summary to write by hand

	vocab map[string]bool // the words of the events named in camel case, to split the others
}

// ImportEvents writes spec/_events/<event>.yaml for each event of the catalog: its wire name, scope,
// docs link, the fields of data typed by the rules above, and its payload example. A summary
// written in an existing file is kept, and its data when it says why (fix); the rest follows the
// catalog.
func ImportEvents(catalog, specDir string, dryRun bool) (*EventSummary, error) {
	b, err := os.ReadFile(catalog)
	if err != nil {
		return nil, err
	}
	sum := &EventSummary{Applied: map[string]int{}}
	dir := filepath.Join(specDir, spec.EventsDir)
	if !dryRun {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	var events []*catalogEvent
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 16<<20)
	seen := map[string]string{}
	for n := 1; sc.Scan(); n++ {
		var e catalogEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Event == "" || e.Wire == "" {
			return nil, fmt.Errorf("%s:%d: not an event: %v", catalog, n, err)
		}
		if prev := seen[strings.ToLower(e.Event)]; prev != "" {
			return nil, fmt.Errorf("%s:%d: event %s twice (also %s)", catalog, n, e.Event, prev)
		}
		seen[strings.ToLower(e.Event)] = e.Event
		events = append(events, &e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	sum.vocab = eventWords(events)
	for _, e := range events {
		file := filepath.Join(dir, e.Event+".yaml")
		old, err := os.ReadFile(file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		out, err := sum.eventFile(e, old)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Event, err)
		}
		rel := path.Join(spec.EventsDir, e.Event+".yaml")
		switch {
		case bytes.Equal(old, out):
			sum.Unchanged++
			continue
		case old == nil:
			sum.Added = append(sum.Added, rel)
		default:
			sum.Updated = append(sum.Updated, rel)
		}
		if !dryRun {
			if err := os.WriteFile(file, out, 0o644); err != nil {
				return nil, err
			}
		}
	}
	return sum, nil
}

// Write prints the summary: files added and updated, and each rule with the times it applied.
func (s *EventSummary) Write(w io.Writer) {
	fmt.Fprintf(w, "events: %d added, %d updated, %d unchanged\n", len(s.Added), len(s.Updated), s.Unchanged)
	if len(s.Unsummarized) > 0 {
		fmt.Fprintf(w, "events without a summary (write one in the file): %s\n", strings.Join(s.Unsummarized, ", "))
	}
	for _, r := range slices.Sorted(maps.Keys(s.Applied)) {
		fmt.Fprintf(w, "event rule %d: %s\n", s.Applied[r], r)
	}
}

// eventFile is the YAML of one event; old is its file as it is, nil for none.
func (s *EventSummary) eventFile(e *catalogEvent, old []byte) ([]byte, error) {
	top := &yaml.Node{Kind: yaml.MappingNode}
	set := func(k string, v *yaml.Node) { top.Content = append(top.Content, str(k), v) }
	set("spec", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
	set("event", str(e.Event))
	set("wire", str(e.Wire))
	goName := model.Camel(e.Event)
	if strings.ToUpper(e.Event) == e.Event {
		s.Applied[ruleEventGoName]++
		goName = s.goName(e.Event)
		set("go_name", str(goName))
	}
	if len(e.Scope) > 0 {
		set("scope", str(e.Scope[0]))
	}
	if sm := keptKey(old, "summary"); sm != nil {
		set("summary", sm)
	} else if t, ok := eventSummary(goName); ok {
		s.Applied[ruleEventSummary]++
		set("summary", &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("en"), str(t.EN), str("ru"), str(t.RU)}})
	} else {
		s.Unsummarized = append(s.Unsummarized, e.Event)
	}
	page := strings.TrimSuffix(e.Doc, ".md")
	set("docs", str("https://apidocs.bitrix24.com/"+page+".html"))
	if e.Deprecated {
		set("deprecated", boolNode(true))
	}
	data, example := s.payload(e)
	if d := keptKey(old, "data"); d != nil && mappingHas(d, "fix") {
		set("data", d) // curated: the fix says why it differs from the catalog
	} else if d := s.dataNode(e, data); d != nil {
		set("data", d)
	}
	if example != nil {
		set("example", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.LiteralStyle, Value: string(example) + "\n"})
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(top); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// keptKey is the value of a top-level key of an existing file, nil when none.
func keptKey(old []byte, key string) *yaml.Node {
	var doc yaml.Node
	if yaml.Unmarshal(old, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mappingHas reports a key of a mapping node.
func mappingHas(n *yaml.Node, key string) bool {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

var reCamelWord = regexp.MustCompile(`[A-Z]?[a-z]+|[A-Z]+[0-9]*|[0-9]+`)

// eventWords are the words of the events the docs name in camel case (onCrmDealAdd: on, crm,
// deal, add) and of the events' docs pages (on-external-call-start), lower case.
func eventWords(events []*catalogEvent) map[string]bool {
	words := map[string]bool{}
	for _, e := range events {
		page, _, _ := strings.Cut(e.Doc, "#") // an anchor runs the words together
		for _, w := range reDocWord.FindAllString(page, -1) {
			words[w] = true
		}
		if strings.ToUpper(e.Event) == e.Event {
			continue
		}
		for _, w := range reCamelWord.FindAllString(e.Event, -1) {
			words[strings.ToLower(w)] = true
		}
	}
	return words
}

var reDocWord = regexp.MustCompile(`[a-z]+`)

// goName makes a Go name of a name written in one case: dotted parts (CATALOG.PRICE.ON.ADD) are
// words; a run of letters is split into the fewest words the camel-case events use, a version
// like V2 kept apart (ONIMBOTV2MESSAGEADD → OnImbotV2MessageAdd); what no word covers stays one.
func (s *EventSummary) goName(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(name), ".") {
		for _, run := range regexp.MustCompile(`[a-z]+|[0-9]+`).FindAllString(part, -1) {
			for _, w := range splitWords(run, s.vocab) {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
	}
	return b.String()
}

// splitWords splits s into the fewest words of vocab (a trailing version letter v joins the digits
// after it by the caller's run split); s whole when no split covers it.
func splitWords(s string, vocab map[string]bool) []string {
	best := make([][]string, len(s)+1)
	best[0] = []string{}
	for i := 1; i <= len(s); i++ {
		for j := 0; j < i; j++ {
			w := s[j:i]
			if best[j] == nil || !vocab[w] && w != "v" {
				continue
			}
			if best[i] == nil || len(best[j])+1 < len(best[i]) {
				best[i] = append(slices.Clone(best[j]), w)
			}
		}
	}
	if best[len(s)] == nil {
		return []string{s}
	}
	return best[len(s)]
}

// payload is the example's data and the example to keep: the whole payload without auth, or one
// made around data when the docs show data alone.
func (s *EventSummary) payload(e *catalogEvent) (data json.RawMessage, example []byte) {
	if len(e.Example) == 0 || string(e.Example) == "null" {
		return nil, nil
	}
	var full map[string]json.RawMessage
	if e.ExampleScope != "full" || json.Unmarshal(e.Example, &full) != nil || full["data"] == nil && full["event"] == nil {
		full = map[string]json.RawMessage{"event": mustJSON(e.Wire), "data": e.Example}
	}
	if _, ok := full["auth"]; ok {
		s.Applied[ruleEventNoAuth]++
		delete(full, "auth")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	ordered := orderedPayload(full)
	if enc.Encode(ordered) != nil {
		return nil, nil
	}
	return full["data"], bytes.TrimSpace(b.Bytes())
}

// orderedPayload writes a payload's keys in the portal's order.
func orderedPayload(m map[string]json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	keys := []string{"event", "event_handler_id", "data", "ts"}
	for k := range m {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys[4:])
	first := true
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(mustJSON(k))
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v) // strings always marshal
	return b
}

// eField is a field of an event's data as the import builds it.
type eField struct {
	name   string
	typ    string // a spec type; "map[string]object" for a map keyed by data
	bool   string // YN for a Y/N boolean
	fields []*eField
}

func (f *eField) child(name string) *eField {
	for _, c := range f.fields {
		if c.name == name {
			return c
		}
	}
	c := &eField{name: name}
	f.fields = append(f.fields, c)
	return c
}

// dataNode is the "data" of an event file: the documented fields by the rules, then the keys the
// example adds; nil when neither says anything.
func (s *EventSummary) dataNode(e *catalogEvent, example json.RawMessage) *yaml.Node {
	root := &eField{typ: "object"}
	switch e.DataType {
	case "array":
		root.typ = "[]any"
	case "integer":
		root.typ = "integer"
	}
	for _, f := range e.Fields {
		at := root
		segs := strings.Split(f.Name, ".")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") {
				if at.typ != "map[string]object" {
					s.Applied[ruleEventPlaceholder]++
				}
				at.typ = "map[string]object"
				if i == len(segs)-1 && f.Type != "object" {
					at.typ = "map[string]" + s.eventType(f.Type)
				}
				continue
			}
			at = at.child(seg)
			if i == len(segs)-1 {
				at.typ = s.eventType(f.Type)
			} else if at.typ == "" {
				at.typ = "object"
			}
		}
	}
	var ex any
	if json.Unmarshal(example, &ex) == nil && ex != nil {
		s.fromExample(root, ex)
	}
	if len(root.fields) == 0 && root.typ == "object" && len(e.Fields) == 0 && ex == nil {
		return nil
	}
	return root.node(true)
}

// eventType maps a docs type to a spec type.
func (s *EventSummary) eventType(t string) string {
	switch t {
	case "string", "integer", "datetime":
		return t
	case "double":
		return "number"
	case "timestamp":
		s.Applied[ruleEventTimestamp]++
		return "integer"
	case "object":
		return "object"
	case "object[]":
		return "[]object"
	case "string[]":
		return "[]string"
	case "array", "array|null", "":
		return "any"
	case "Chat", "User", "Message":
		s.Applied[ruleEventDocType]++
		return "object"
	case "undefined|object":
		s.Applied[ruleEventUndefined]++
		return "any"
	}
	if strings.Contains(t, ".id") {
		s.Applied[ruleEventRecordID]++
		return "id"
	}
	return "any"
}

// fromExample adds the keys the example sends that the fields lack, and marks as Y/N booleans the
// string fields the example fills with Y or N.
func (s *EventSummary) fromExample(f *eField, v any) {
	switch t := v.(type) {
	case map[string]any:
		if strings.HasPrefix(f.typ, "map[string]") {
			for _, k := range slices.Sorted(maps.Keys(t)) {
				s.fromExample(&eField{typ: strings.TrimPrefix(f.typ, "map[string]"), fields: f.fields}, t[k])
			}
			return
		}
		if f.typ != "object" && f.typ != "[]object" {
			return
		}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			c := f.find(k)
			if c == nil {
				s.Applied[ruleEventExampleKey]++
				c = f.child(k)
				c.typ = exampleType(t[k])
			}
			s.fromExample(c, t[k])
			if c.typ == "object" && len(c.fields) > 0 && allNumeric(c.fields) {
				// keys that are IDs: a map of them
				c.typ, c.fields = "map[string]any", nil
			}
		}
	case []any:
		if f.typ == "[]object" {
			for _, x := range t {
				s.fromExample(&eField{typ: "object", fields: f.fields}, x)
			}
		}
	case string:
		if f.typ == "string" && (t == "Y" || t == "N") {
			s.Applied[ruleEventYN]++
			f.typ, f.bool = "boolean", "YN"
		}
	}
}

func (f *eField) find(name string) *eField {
	for _, c := range f.fields {
		if c.name == name {
			return c
		}
	}
	return nil
}

func allNumeric(fs []*eField) bool {
	for _, f := range fs {
		if !reDigits.MatchString(f.name) {
			return false
		}
	}
	return true
}

// exampleType types a value the example sends, as the portal's form sends it (every value a string).
func exampleType(v any) string {
	switch t := v.(type) {
	case map[string]any:
		return "object"
	case []any:
		for _, x := range t {
			if _, ok := x.(map[string]any); !ok {
				return "any"
			}
		}
		return "[]object"
	case string:
		if reDigits.MatchString(t) && (t == "0" || t[0] != '0') && len(t) < 16 {
			return "integer"
		}
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "any"
}

// node writes the field as spec YAML: {name, type, fields}; the root as {type, fields}.
func (f *eField) node(root bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if !root {
		n.Content = append(n.Content, str("name"), str(f.name))
	}
	n.Content = append(n.Content, str("type"), str(cmp.Or(f.typ, "any")))
	if f.bool != "" {
		n.Content = append(n.Content, str("bool"), str(f.bool))
	}
	if len(f.fields) > 0 && (strings.HasSuffix(f.typ, "object")) {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		seen := map[string]bool{}
		for _, c := range f.fields {
			cn := c.node(false)
			// a key that differs from an earlier one only in case (CONNECTOR, connector) would get
			// its Go name: the later one is <Name>2, as the method import names it
			if key := model.Camel(c.name); seen[key] {
				cn.Content = append(cn.Content[:2], append([]*yaml.Node{str("go_name"), str(model.SecondName(key))}, cn.Content[2:]...)...)
			} else {
				seen[key] = true
			}
			list.Content = append(list.Content, cn)
		}
		n.Content = append(n.Content, str("fields"), list)
	}
	return n
}
