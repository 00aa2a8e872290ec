package importer

import (
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
)

// TestFileRulesHoldOut judges the file rules on methods whose examples they never saw: the examples
// are split by method; the rules learn from one half (the forms each namespace sends), and each
// parameter of the other half whose example shows a file must get that form from the schema alone,
// and none whose example sends something else may become a file. Each half is held out in turn.
func TestFileRulesHoldOut(t *testing.T) {
	schema, err := readSchema("../../../upstream/b24-schema")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := readSchema("../../../upstream/b24-docs-methods")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := withDocs(schema, docs)
	if err != nil {
		t.Fatal(err)
	}
	all, err := readExamples("../../../upstream/b24-examples/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	checked, passed := 0, 0
	var misses []string
	for half := range uint32(2) { // each half held out in turn
		seen := examples{params: map[string][]any{}, keys: map[string][][]string{}}
		held := map[string][]any{}
		for method, objs := range all.params {
			h := fnv.New32a()
			h.Write([]byte(method))
			if h.Sum32()%2 == half {
				seen.params[method], seen.keys[method] = objs, all.keys[method]
			} else {
				held[method] = objs
			}
		}
		c := newConverter(ms)
		c.examples, c.nsFiles = seen, namespaceFileForms(seen)
		for _, sm := range ms {
			objs := held[strings.ToLower(sm.Method)]
			if len(objs) == 0 {
				continue
			}
			m := c.convert(sm, "")
			for _, o := range objs {
				walkFiles(m.Params, o, "", func(item string, p *iParam, want, wantName string) {
					checked++
					if p.Type == want && p.FileName == wantName {
						passed++
						return
					}
					misses = append(misses, fmt.Sprintf("%s %s: %s %q, the example sends %s %q", sm.Method, item, p.Type, p.FileName, want, wantName))
				})
			}
		}
	}
	t.Logf("file forms on methods the rules never saw: %d of %d", passed, checked)
	for _, m := range misses {
		t.Log("  " + m)
	}
	if checked < 10 || passed*10 < checked*9 {
		t.Errorf("%d of %d file parameters get the form their example shows; want 90%%", passed, checked)
	}
}

// walkFiles calls f for each parameter whose example value is a file (the form it shows, and the
// sibling holding the name for content sent apart from it) or that the rules made a file.
func walkFiles(ps []*iParam, obj any, path string, f func(item string, p *iParam, want, wantName string)) {
	o, ok := obj.(map[string]any)
	if !ok {
		return
	}
	for _, p := range ps {
		v, ok := o[p.Name]
		if !ok {
			continue
		}
		form := fileFormOf(p.Name, v)
		if s, ok := v.(string); ok && strings.HasPrefix(s, "@") {
			continue // curl's multipart upload of a local file: no inline form to judge
		}
		if l, ok := v.([]any); ok && len(l) == 0 && strings.HasPrefix(p.Type, "[]") {
			continue // no files: any list type takes it
		}
		if form == "" && isFileType(p.Type) {
			f(path+p.Name, p, "a value that is no file", "") // a file type where the docs send something else
			continue
		}
		if form != "" {
			name := ""
			if form == "base64" && contentName(strings.ToLower(p.Name)) {
				for _, s := range ps {
					if s != p && nameOfFile(strings.ToLower(s.Name)) && o[s.Name] != nil {
						name = s.Name
					}
				}
			}
			f(path+p.Name, p, form, name)
			continue
		}
		items := []any{v}
		if l, isList := v.([]any); isList {
			items = l
		}
		for _, it := range items {
			walkFiles(p.Fields, it, path+p.Name+".", f)
		}
	}
}

func isFileType(t string) bool {
	switch strings.TrimPrefix(t, "[]") {
	case "file", "file_data", "base64":
		return true
	}
	return false
}
