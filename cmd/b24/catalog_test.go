package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/clikit"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// reserved are the global flags; an option of an API command with one of these names would hide it.
var reserved = map[string]bool{"url": true, "token": true, "timeout": true, "sandbox": true, "verbose": true, "help": true}

// samples gives valid option texts for every type of the catalog, to drive every command; the files
// that base64 and file options read are made once.
type samples struct{ file string }

func newSamples(t *testing.T) *samples {
	p := filepath.Join(t.TempDir(), "f.png")
	if err := os.WriteFile(p, []byte("PNG"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &samples{file: p}
}

// rowField is a field of the first row of a REST 3.0 list's example answer, "id" without one.
func rowField(method string) string {
	fx, _ := fixtures.Lookup(method)
	var env struct {
		Result struct{ Items []map[string]json.RawMessage }
	}
	if json.Unmarshal([]byte(fx.Example), &env) == nil && len(env.Result.Items) > 0 {
		return slices.Sorted(maps.Keys(env.Result.Items[0]))[0]
	}
	return "id"
}

// text is an option text for typ: a bare value for scalars and arrays (an array takes one value),
// JSON for objects and maps.
func (s *samples) text(typ string) string {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		return s.text(elem)
	}
	if strings.HasPrefix(typ, "map[") {
		return s.json(typ)
	}
	switch typ {
	case "string":
		return "x"
	case "integer", "id", "number":
		return "1"
	case "boolean":
		return "true"
	case "dialog_id":
		return "chat1"
	case "date":
		return "2024-04-07"
	case "datetime":
		return "2024-04-07T13:34:42+03:00"
	case "base64", "file":
		return s.file
	case "any":
		return "1"
	}
	return "{'X': 1}"
}

// json is a JSON value of typ, for the values of a map option.
func (s *samples) json(typ string) string {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		return "[" + s.json(elem) + "]"
	}
	if rest, ok := strings.CutPrefix(typ, "map["); ok {
		_, elem, _ := strings.Cut(rest, "]")
		return "{'K': " + s.json(elem) + "}"
	}
	switch typ {
	case "string", "dialog_id", "date", "datetime", "base64", "file":
		b, _ := json.Marshal(s.text(typ))
		return string(b)
	case "integer", "id", "number", "any":
		return "1"
	case "boolean":
		return "true"
	}
	return "{'X': 1}"
}

// spreadSample is an object for a spread option: it holds every required field of f's method that
// no other option fills, so that the portal accepts the call.
func spreadSample(t *testing.T, f clikit.OPIFunc) string {
	t.Helper()
	fx, ok := fixtures.Lookup(f.Method)
	if !ok {
		t.Errorf("%s: method %q has no fixture", f.EN, f.Method)
		return "{}"
	}
	filled := map[string]bool{}
	for _, o := range f.Options {
		if !o.Spread {
			filled[o.Wire] = true
		}
	}
	obj := map[string]any{}
	for _, k := range fx.Required {
		if !filled[k] {
			obj[k] = 1
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func runReal(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), args, command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	return code, out.String(), errOut.String()
}

// TestRealCatalog runs every method and OPI function of the generated catalog against a fake portal
// (by --url, so that its calls can be checked; --sandbox would hide them in a portal of its own):
//   - its --help, which must list every flag with its type, the required marks, the summaries, the
//     docs link and the deprecation;
//   - a call with only the required options, each given a sample value of its type: exit 0 (the portal
//     answers from the spec's examples), exactly one request, to the command's method at its
//     generation's endpoint (/rest/api/ for REST 3.0, /rest/ for 2.0), carrying every required wire name (positional methods: the keys "0".."N-1" the portal sees for a JSON array);
//   - a call with every option filled, which must succeed too: every parser meets every type.
//
// A helper must send nothing and print JSON.
func TestRealCatalog(t *testing.T) {
	start := time.Now()
	cat := catalog()
	stubs := cat.Stubs()
	if len(stubs) == 0 || len(cat.OPI()) == 0 {
		t.Fatalf("catalog has %d methods and %d OPI functions; it is not wired to generated/cli", len(stubs), len(cat.OPI()))
	}
	if cat.Methods("no-such-namespace") != nil {
		t.Error("Methods of an unknown namespace is not nil")
	}
	smp := newSamples(t)
	srv := b24test.New()
	defer srv.Close()
	// oneCall checks that a run sent exactly one request, to method, and returns it.
	oneCall := func(args []string, method string) (b24test.Call, bool) {
		t.Helper()
		calls := srv.Calls()
		srv.ResetCalls()
		if len(calls) != 1 {
			t.Errorf("%v: %d calls, want 1", args, len(calls))
			return b24test.Call{}, false
		}
		if calls[0].Method != method {
			t.Errorf("%v: called %q, want %q", args, calls[0].Method, method)
		}
		return calls[0], true
	}
	value := func(m *clikit.Method, p clikit.Param) string {
		switch {
		case len(p.Enum) > 0:
			return p.Enum[0]
		case m.API3 && m.List != nil && p.Wire == m.List.Filter:
			return "[]" // a list of conditions; the portal refuses anything else
		case m.API3 && m.List != nil && p.Wire == m.List.Select:
			return rowField(m.Name) // the portal refuses a field its rows do not have
		}
		return smp.text(p.Type)
	}

	// Methods(ns) must describe exactly the stubs of ns.
	byName := map[string]*clikit.Method{}
	nsCount := map[string]int{}
	for _, s := range stubs {
		nsCount[s.Namespace]++
	}
	for ns, n := range nsCount {
		ms := cat.Methods(ns)
		if len(ms) != n {
			t.Errorf("Methods(%q) has %d methods, Stubs %d", ns, len(ms), n)
		}
		for i := range ms {
			byName[ms[i].Name] = &ms[i]
		}
	}

	calls, lists := 0, 0
	for _, s := range stubs {
		m := byName[s.Name]
		if m == nil {
			t.Errorf("%s: in Stubs, not in Methods(%q)", s.Name, s.Namespace)
			continue
		}
		checkMethodHelp(t, m)

		auth := []string{"--url", srv.WebhookURL()}
		required := append(slices.Clone(auth), m.Name)
		if m.Name == "event.bind" { // the portal binds events for an app only, online ones to a handler (protocol reference §8)
			auth = []string{"--url", srv.URL(), "--token", srv.Token()}
			required = append(slices.Clone(auth), m.Name, "--handler", "https://example.com/h")
		}
		all := append(slices.Clone(auth), m.Name)
		for _, p := range m.Params {
			if reserved[p.Flag] {
				t.Errorf("%s: option --%s hides the global flag", m.Name, p.Flag)
			}
			if p.Required || p.Documented || (len(p.OneOf) > 0 && p.OneOf[0] == p.Flag) {
				required = append(required, "--"+p.Flag, value(m, p))
			}
			all = append(all, "--"+p.Flag, value(m, p))
		}
		for _, args := range [][]string{required, all} {
			code, stdout, stderr := runReal(args...)
			calls++
			if code != 0 {
				t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
			}
			if m.Deprecated != strings.Contains(stderr, "warning: "+m.Name+" is deprecated") {
				t.Errorf("%v: deprecated %v, stderr %q", args, m.Deprecated, stderr)
			}
			c, ok := oneCall(args, m.WireName())
			if !ok {
				continue
			}
			if c.API3 != m.API3 {
				// a REST 3.0 method goes to /rest/api/ only, a 2.0 one never does
				t.Errorf("%v: sent to %s; the method is REST 3.0: %v", args, c.Path, m.API3)
			}
			for i, p := range m.Params {
				if !p.Required {
					continue
				}
				key := p.Wire
				if m.Positional {
					key = strconv.Itoa(i)
				}
				if v, ok := c.Params[key]; !ok || v == nil {
					t.Errorf("%v: required %s (%s) not sent; params %v", args, p.Wire, key, c.Params)
				}
			}
		}
		if m.List != nil {
			// --all walks the rows the fake portal pages from the example: each once
			code, stdout, stderr := runReal(append(required, "--all")...)
			lines := strings.Count(stdout, "\n")
			if code != 0 || lines != srv.ListRows(m.Name) {
				t.Errorf("%s --all: exit %d, %d lines, want %d\nstderr: %s", m.Name, code, lines, srv.ListRows(m.Name), stderr)
			}
			lists++
			srv.ResetCalls()
		}
	}
	t.Logf("%d methods: %d help runs and %d calls; %d list methods with --all; in %v", len(stubs), len(stubs), calls, lists, time.Since(start).Round(time.Millisecond))

	for _, f := range cat.OPI() {
		for _, name := range append([]string{f.RU, f.EN, strings.ToLower(f.EN)}, f.Aliases...) {
			if code, _, stderr := runReal("bitrix24", name, "--help"); code != 0 {
				t.Errorf("bitrix24 %s --help: exit %d: %s", name, code, stderr)
			}
		}
		args := []string{"bitrix24", f.RU}
		if f.Method != "" {
			args = append(args, "--url", srv.WebhookURL())
		}
		for _, o := range f.Options {
			if reserved[o.Flag] && !(f.Method == "" && o.Flag == "url") {
				t.Errorf("%s: option --%s hides the global flag", f.EN, o.Flag)
			}
			v := smp.text(o.Type)
			if o.Spread {
				v = spreadSample(t, f)
			}
			args = append(args, "--"+o.Flag, v)
		}
		code, stdout, stderr := runReal(args...)
		if code != 0 {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
		}
		if f.Uploads() { // the method's first step, then the file posted to its upload URL
			calls := srv.Calls()
			srv.ResetCalls()
			if len(calls) != 2 || calls[0].Method != f.Method || calls[1].Method != "upload" {
				t.Errorf("%v: %d calls (%v), want %s and the upload", args, len(calls), calls, f.Method)
			}
		} else if f.Method != "" {
			oneCall(args, f.Method)
		} else if n := len(srv.Calls()); n != 0 {
			t.Errorf("%v: a helper sent %d calls", args, n)
			srv.ResetCalls()
		}
		if f.Method == "" && !strings.HasPrefix(stdout, "{") && !strings.HasPrefix(stdout, "[") && !strings.HasPrefix(stdout, `"`) {
			t.Errorf("%s: helper output: %s", f.EN, stdout)
		}
	}
}

// checkMethodHelp runs `b24 <method> --help` and checks it shows what the spec says of the method.
func checkMethodHelp(t *testing.T, m *clikit.Method) {
	t.Helper()
	code, stdout, stderr := runReal(m.Name, "--help")
	if code != 0 {
		t.Errorf("%s --help: exit %d: %s", m.Name, code, stderr)
		return
	}
	want := []string{"b24 " + m.Name + " [flags]"}
	for _, s := range []string{m.SummaryEN, m.SummaryRU} {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			want = append(want, s)
		}
	}
	if m.Docs != "" {
		want = append(want, "Docs: "+m.Docs)
	}
	if m.Deprecated {
		want = append(want, "DEPRECATED: "+m.Name+" is deprecated")
		if m.Successor != "" {
			want = append(want, "use "+m.Successor+" instead")
		}
	}
	required := 0
	for _, p := range m.Params {
		want = append(want, "--"+p.Flag+" "+p.Type+" ")
		if p.Required {
			required++
		}
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("%s --help lacks %q:\n%s", m.Name, w, stdout)
		}
	}
	// the documented keys of object options, in order (the help folds long lines)
	unfolded := strings.Join(strings.Fields(stdout), " ")
	for _, p := range m.Params {
		if w := "Keys of --" + p.Flag + ": " + strings.Join(p.Keys, ", "); len(p.Keys) > 0 && !strings.Contains(unfolded, w) {
			t.Errorf("%s --help lacks %q:\n%s", m.Name, w, stdout)
		}
	}
	if n := strings.Count(stdout, "(required)"); n != required {
		t.Errorf("%s --help: %d required marks, want %d:\n%s", m.Name, n, required, stdout)
	}
}

// TestRealCatalogHelp checks the listings at full size: the root help names every namespace with its
// method count and stays short, every namespace lists all its methods, and a typo gets suggestions.
func TestRealCatalogHelp(t *testing.T) {
	stubs := catalog().Stubs()
	count := map[string]int{}
	alone := map[string]bool{} // a method named as its namespace (profile, scope)
	for _, s := range stubs {
		count[s.Namespace]++
		alone[s.Namespace] = alone[s.Namespace] || s.Name == s.Namespace
	}
	code, stdout, stderr := runReal("--help")
	if code != 0 {
		t.Fatalf("--help: exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n > 70 {
		t.Errorf("root help has %d lines; it should list namespaces, not methods:\n%s", n, stdout)
	}
	if want := fmt.Sprintf("Namespaces (%d methods in %d namespaces;", len(stubs), len(count)); !strings.Contains(stdout, want) {
		t.Errorf("root help lacks %q", want)
	}
	listing := map[string]string{}
	for ns, n := range count {
		re := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(ns) + `\*?\s+` + strconv.Itoa(n) + `(\s|$)`)
		if !re.MatchString(stdout) {
			t.Errorf("root help lacks %s with %d methods", ns, n)
		}
		if alone[ns] {
			continue // profile, scope, ...: a method alone in its namespace; help shows the method
		}
		code, out, stderr := runReal("help", ns)
		if code != 0 {
			t.Errorf("help %s: exit %d: %s", ns, code, stderr)
			continue
		}
		listing[ns] = out
		if want := fmt.Sprintf("Methods of %s (%d;", ns, n); !strings.Contains(out, want) {
			t.Errorf("help %s lacks %q", ns, want)
		}
		if lines := strings.Count(out, "\n"); lines != n+1 {
			t.Errorf("help %s: %d lines, want %d", ns, lines, n+1)
		}
	}
	for _, s := range stubs {
		if s.Name == s.Namespace {
			continue
		}
		if !strings.Contains(listing[s.Namespace], "\n  "+s.Name+" ") {
			t.Errorf("help %s does not list %s", s.Namespace, s.Name)
		}
	}
	code, _, stderr = runReal("crm.deal.ad")
	if code != 2 || !strings.Contains(stderr, "did you mean crm.deal.add") {
		t.Errorf("crm.deal.ad: exit %d: %s", code, stderr)
	}
}
