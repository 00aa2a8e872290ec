package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/generator/internal/importer"
	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/phpform"
)

// TestEventRulesHoldOut judges the event import's rules on payloads they never saw: the events are
// split by name into two halves, the events are imported again with the first half's payload
// examples only, and each payload of the second half, as the portal's form carries it (every value
// a string), is held against the type the model then gives its data: a value that would not fit
// its field (a word where a number is, a list where an object is) fails the payload. Every key is
// kept either way (Extra); at least 95% of the payloads must fit whole.
func TestEventRulesHoldOut(t *testing.T) {
	raw, err := os.ReadFile("../upstream/b24-events/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var train bytes.Buffer
	held := map[string]json.RawMessage{} // wire name → the payload example held out
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		var name, wire string
		json.Unmarshal(e["event"], &name)
		json.Unmarshal(e["wire_name"], &wire)
		h := fnv.New32a()
		h.Write([]byte(strings.ToLower(name)))
		if ex := e["payload_example"]; h.Sum32()%2 == 1 && len(ex) > 0 && string(ex) != "null" {
			held[strings.ToUpper(wire)] = dataOf(t, ex, e["payload_example_scope"])
			delete(e, "payload_example")
		}
		line, _ := json.Marshal(e)
		train.Write(append(line, '\n'))
	}
	dir := t.TempDir()
	catalog := filepath.Join(dir, "events.jsonl")
	if err := os.WriteFile(catalog, train.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	specDir := filepath.Join(dir, "spec")
	if _, err := importer.ImportEvents(catalog, specDir, false); err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(specDir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(s, model.GeneratedPath)
	if err != nil {
		t.Fatal(err)
	}
	checked, whole := 0, 0
	for _, e := range m.Events {
		data, ok := held[e.Wire]
		if !ok {
			continue
		}
		checked++
		var v any
		json.Unmarshal(data, &v)
		var misfits []string
		if e.Data != nil {
			misfits = fitStruct(formValue(t, v), e.Data, "", nil)
		}
		if len(misfits) == 0 {
			whole++
		} else {
			t.Logf("%s: %v", e.Wire, misfits)
		}
	}
	t.Logf("held-out payloads: %d of %d fit their type whole (%.1f%%)", whole, checked, 100*float64(whole)/float64(checked))
	if checked < 30 || whole*100 < checked*95 {
		t.Errorf("%d of %d held-out payloads fit; want 95%%", whole, checked)
	}
}

// dataOf is the data of a payload example (the whole payload, or data alone).
func dataOf(t *testing.T, ex, scope json.RawMessage) json.RawMessage {
	var full map[string]json.RawMessage
	if string(scope) == `"full"` && json.Unmarshal(ex, &full) == nil && (full["data"] != nil || full["event"] != nil) {
		return full["data"]
	}
	return ex
}

// formValue is v as the portal's form carries it: every value a string, lists as lists.
func formValue(t *testing.T, v any) any {
	b, _ := json.Marshal(map[string]any{"data": v})
	form, err := phpform.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	values, _ := url.ParseQuery(string(form))
	return phpform.Listify(phpform.Decode(values)["data"])
}

// fitStruct lists the paths of v's values that do not fit the fields of st.
func fitStruct(v any, st *model.Struct, path string, out []string) []string {
	for st.Alias != nil {
		st = st.Alias
	}
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil || v == "" {
			return out
		}
		return append(out, path+" (not an object)")
	}
	for _, f := range st.Fields {
		if x, ok := obj[f.Wire]; ok {
			out = fitValue(x, f.Value, path+f.Wire, out)
		}
	}
	return out
}

func fitValue(v any, val *model.Value, path string, out []string) []string {
	switch val.Shape {
	case model.ObjectValue:
		if val.Struct != nil {
			return fitStruct(v, val.Struct, path+".", out)
		}
		if _, ok := v.(map[string]any); !ok && v != nil && v != "" {
			return append(out, path+" (not an object)")
		}
	case model.MapValue:
		m, ok := v.(map[string]any)
		if !ok {
			if l, isList := v.([]any); isList { // a map keyed 0..n-1 arrives as a list
				m = map[string]any{}
				for i, x := range l {
					m[strconv.Itoa(i)] = x
				}
			} else if v != nil && v != "" {
				return append(out, path+" (not a map)")
			}
		}
		for k, x := range m {
			out = fitValue(x, val.Elem, path+"."+k, out)
		}
	case model.ListValue:
		l, ok := v.([]any)
		if !ok && v != nil && v != "" {
			return append(out, path+" (not a list)")
		}
		for i, x := range l {
			out = fitValue(x, val.Elem, path+"."+strconv.Itoa(i), out)
		}
	case model.ScalarValue:
		s, isText := v.(string)
		if !isText {
			if v == nil {
				return out
			}
			return append(out, path+" (not a value)")
		}
		if !fitsText(s, val.Scalar) {
			return append(out, path+" ("+strconv.Quote(s)+" is no "+val.Spec()+")")
		}
	}
	return out
}

// fitsText reports whether a form's text decodes into the scalar as the runtime reads it.
func fitsText(s string, sc *model.Scalar) bool {
	if s == "" {
		return true
	}
	switch sc {
	case model.Integer, model.ID:
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	case model.Number:
		_, err := strconv.ParseFloat(s, 64)
		return err == nil
	case model.FlagYN, model.Boolean, model.Flag10:
		switch strings.ToUpper(s) {
		case "Y", "N", "1", "0", "TRUE", "FALSE":
			return true
		}
		return false
	}
	return true
}
