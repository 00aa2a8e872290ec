package importer

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// Options of one import run.
type Options struct {
	SchemaDir string // holds index.json and methods/
	DocsDir   string // the methods the docs pages document and the schema lacks, same format; "" for none
	Examples  string // the docs' request examples (requests.jsonl), for the shape rules; "" for none
	V3        string // the REST 3.0 methods (b24-v3/methods.jsonl): marked api 3, the missing ones added; "" for none
	SpecDir   string // the spec tree: <namespace>/<method>.yaml
	DryRun    bool   // compute everything, write nothing
}

// Summary is what a run did; Write prints it.
type Summary struct {
	Added     []string // spec paths (namespace/method.yaml)
	Updated   []string
	Unchanged int
	Missing   []string  // spec files whose method the schema no longer has: reported, kept
	Skips     []Skip    // schema items left out, with the reason
	Applied   []Applied // shape rules applied
	Notes     []Note    // changes to curated files worth a look (a type replaced, a param removed, ...)
	Compounds int       // names in _words.yaml
	Words     bool      // _words.yaml was rewritten
}

// Run imports the schema into the spec tree.
func Run(opt Options) (*Summary, error) {
	ms, err := readSchema(opt.SchemaDir)
	if err != nil {
		return nil, err
	}
	if opt.DocsDir != "" {
		docs, err := readSchema(opt.DocsDir)
		if err != nil {
			return nil, err
		}
		ms, err = withDocs(ms, docs)
		if err != nil {
			return nil, err
		}
	}
	var v3 map[string]*v3Method
	if opt.V3 != "" {
		if v3, err = readV3(opt.V3); err != nil {
			return nil, err
		}
		ms = withV3(ms, v3)
	}
	c := newConverter(ms)
	if opt.Examples != "" {
		if c.examples, err = readExamples(opt.Examples); err != nil {
			return nil, err
		}
		c.nsFiles = namespaceFileForms(c.examples)
	}
	nsScope := namespaceScopes(ms)
	s := &Summary{}
	inSchema := map[string]bool{}
	type write struct {
		path string
		body []byte
	}
	var writes []write
	for _, sm := range ms {
		if !reMethod.MatchString(sm.Method) {
			c.skip(sm.Method, "", "the method name is not a valid wire name")
			continue
		}
		file := sm.Method
		if sm.Twin {
			file += spec.TwinSuffix // beside the 2.0 method of the name
		}
		inSchema[file] = true
		rel := filepath.ToSlash(filepath.Join(namespaceOf(sm.Method), file+".yaml"))
		path := filepath.Join(opt.SpecDir, filepath.FromSlash(rel))
		old, err := os.ReadFile(path)
		var doc *yaml.Node
		switch {
		case err == nil:
			var d yaml.Node
			if err := yaml.Unmarshal(old, &d); err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			if len(d.Content) > 0 {
				doc = d.Content[0]
			}
			if doc != nil && doc.Kind != yaml.MappingNode {
				// rewriting it would throw away whatever a person wrote there
				return nil, fmt.Errorf("%s:%d:%d: a method file must be a YAML mapping", path, doc.Line, doc.Column)
			}
		case !os.IsNotExist(err):
			return nil, err
		}
		m := c.convert(sm, summaryEN(doc))
		if m.Scope == "" {
			m.Scope = nsScope[namespaceOf(m.Name)] // "" when the namespace has none or several
		}
		g := &merger{method: m.Name}
		b, err := g.render(m, doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		s.Notes = append(s.Notes, g.notes...)
		switch {
		case doc == nil && old == nil:
			s.Added = append(s.Added, rel)
		case bytes.Equal(old, b):
			s.Unchanged++
			continue
		default:
			s.Updated = append(s.Updated, rel)
		}
		writes = append(writes, write{path, b})
	}
	// written only once every file merged: a broken file stops the run before anything changes
	for _, w := range writes {
		if opt.DryRun {
			break
		}
		if err := os.MkdirAll(filepath.Dir(w.path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(w.path, w.body, 0o644); err != nil {
			return nil, err
		}
	}
	if !opt.DryRun {
		var note *Note
		if s.Compounds, s.Words, note, err = writeWords(opt.SpecDir); err != nil {
			return nil, err
		}
		if note != nil {
			s.Notes = append(s.Notes, *note)
		}
	}
	s.Skips = c.skips
	s.Applied = c.applied
	sortSkips(s.Skips)
	s.Missing, err = missing(opt.SpecDir, inSchema)
	return s, err
}

// withDocs adds the docs-only methods to the schema's. They exist because the schema lacks them, so
// a name in both means the inputs are out of step: refused rather than one silently winning.
func withDocs(schema, docs []*schemaMethod) ([]*schemaMethod, error) {
	have := map[string]bool{}
	for _, m := range schema {
		have[strings.ToLower(m.Method)] = true
	}
	for _, m := range docs {
		if have[strings.ToLower(m.Method)] {
			return nil, fmt.Errorf("%s is in the schema and in the docs-only methods; drop it from one", m.Method)
		}
		m.FromDocs = true
	}
	return append(schema, docs...), nil
}

// withV3 marks the methods the REST 3.0 docs list as 3.0 and adds those the schema lacks; a 3.0
// page of a name 2.0 also has (a twin) is added as a method of its own, beside the 2.0 one.
func withV3(ms []*schemaMethod, v3 map[string]*v3Method) []*schemaMethod {
	have := map[string]bool{}
	for _, m := range ms {
		key := strings.ToLower(m.Method)
		have[key] = true
		if v := v3[key]; v != nil && !v.twin() {
			m.API = spec.API3
		}
	}
	var names []string
	for key, v := range v3 {
		if (!have[key] || v.twin()) && v.Method != "batch" {
			names = append(names, key)
		}
	}
	sort.Strings(names)
	for _, key := range names {
		sm := v3[key].schemaOf()
		sm.API, sm.FromV3, sm.Twin = spec.API3, true, have[key]
		ms = append(ms, sm)
	}
	return ms
}

// namespaceScopes gives each namespace the scope all its methods with a scope agree on ("" when
// they disagree): the scope of a method the schema left without one (placement.get).
func namespaceScopes(ms []*schemaMethod) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		sc := scopeOf(m)
		if sc == "" {
			continue
		}
		ns := namespaceOf(m.Method)
		if prev, ok := out[ns]; ok && prev != sc {
			sc = ""
		}
		out[ns] = sc
	}
	return out
}

// namespaceOf is the folder of a method: the first segment of its wire name, lower case.
func namespaceOf(method string) string {
	ns, _, _ := strings.Cut(method, ".")
	return strings.ToLower(ns)
}

// reMethod is a REST method name: dot-separated segments, each an identifier or a number (v1); a few
// methods are one word (profile, scope, methods, events).
var reMethod = regexp.MustCompile(`^[A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|\d+))*$`)

// byHand reports whether a spec file says source: hand: its method is in neither source, on purpose.
func byHand(file string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	var top struct {
		Source string `yaml:"source"`
	}
	return yaml.Unmarshal(b, &top) == nil && top.Source == "hand"
}

// missing lists method files of the spec whose method the schema does not have.
func missing(specDir string, inSchema map[string]bool) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(specDir, "*", "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasPrefix(base, "_") || filepath.Base(filepath.Dir(f)) == spec.EventsDir {
			continue
		}
		if !inSchema[strings.TrimSuffix(base, ".yaml")] && !byHand(f) {
			rel, _ := filepath.Rel(specDir, f)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Write prints the summary: totals, skips counted by reason, then every missing method and note
// (what needs a person's look), one a line; verbose adds every skipped item.
func (s *Summary) Write(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "import: %d added, %d updated, %d unchanged; %d in the spec but not in the schema; %d schema items skipped; %d notes\n",
		len(s.Added), len(s.Updated), s.Unchanged, len(s.Missing), len(s.Skips), len(s.Notes))
	for _, m := range s.Missing {
		fmt.Fprintf(w, "not in the schema (kept): %s\n", m)
	}
	if s.Compounds > 0 {
		state := "unchanged"
		if s.Words {
			state = "rewritten"
		}
		fmt.Fprintf(w, "words: %d compound names in %s (%s)\n", s.Compounds, spec.WordsFile, state)
	}
	reasons := map[string]int{}
	var order []string
	for _, k := range s.Skips {
		if reasons[k.Reason] == 0 {
			order = append(order, k.Reason)
		}
		reasons[k.Reason]++
	}
	sort.Strings(order)
	for _, r := range order {
		fmt.Fprintf(w, "skipped %d: %s\n", reasons[r], r)
	}
	if verbose {
		for _, k := range s.Skips {
			fmt.Fprintf(w, "skip %s %s: %s\n", k.Method, k.Item, k.Reason)
		}
	}
	rules := map[string]int{}
	var names []string
	for _, a := range s.Applied {
		if rules[a.Rule] == 0 {
			names = append(names, a.Rule)
		}
		rules[a.Rule]++
	}
	sort.Strings(names)
	for _, r := range names {
		fmt.Fprintf(w, "rule %d: %s\n", rules[r], r)
	}
	if verbose {
		for _, a := range s.Applied {
			fmt.Fprintf(w, "rule %s %s: %s\n", a.Method, a.Item, a.Rule)
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "note %s %s: %s\n", n.Method, n.Item, n.Text)
	}
}
