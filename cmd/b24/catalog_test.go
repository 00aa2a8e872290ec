package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/clikit"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// reserved are the global flags; an option of an API command with one of these names would hide it.
var reserved = map[string]bool{"url": true, "token": true, "timeout": true, "sandbox": true, "help": true}

// sample is a valid option text for a type, to drive every command of the real catalog.
func sample(t *testing.T, typ string) string {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		return sample(t, elem)
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
	case "date", "datetime":
		return "2024-04-07"
	case "base64", "file":
		p := filepath.Join(t.TempDir(), "f.png")
		os.WriteFile(p, []byte("PNG"), 0o600)
		return p
	case "any":
		return "1"
	}
	return "{}"
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

// TestRealCatalog runs every method and OPI function of the generated catalog: its help, and a call
// to a fake portal with every option filled with a sample value. Every call must succeed (the portal
// answers from the spec's examples) and send exactly one request, to the command's method; a helper
// must send none.
func TestRealCatalog(t *testing.T) {
	cat := catalog()
	if len(cat.Stubs()) == 0 || len(cat.OPI()) == 0 {
		t.Fatalf("catalog has %d methods and %d OPI functions; it is not wired to generated/cli", len(cat.Stubs()), len(cat.OPI()))
	}
	srv := b24test.New()
	defer srv.Close()
	// oneCall checks that a run sent exactly one request, to method; --sandbox would hide the calls in
	// a portal of its own, so the commands run against srv.
	oneCall := func(args []string, method string) {
		t.Helper()
		calls := srv.Calls()
		srv.ResetCalls()
		if len(calls) != 1 {
			t.Errorf("%v: %d calls, want 1", args, len(calls))
			return
		}
		if calls[0].Method != method {
			t.Errorf("%v: called %q, want %q", args, calls[0].Method, method)
		}
	}
	for _, s := range cat.Stubs() {
		if code, _, stderr := runReal(s.Name, "--help"); code != 0 {
			t.Errorf("%s --help: exit %d: %s", s.Name, code, stderr)
		}
		var m *clikit.Method
		for _, x := range cat.Methods(s.Namespace) {
			if x.Name == s.Name {
				m = &x
			}
		}
		if m == nil {
			t.Errorf("%s: in Stubs, not in Methods(%q)", s.Name, s.Namespace)
			continue
		}
		args := []string{"--url", srv.WebhookURL(), m.Name}
		for _, p := range m.Params {
			if reserved[p.Flag] {
				t.Errorf("%s: option --%s hides the global flag", m.Name, p.Flag)
			}
			v := sample(t, p.Type)
			if len(p.Enum) > 0 {
				v = p.Enum[0]
			}
			args = append(args, "--"+p.Flag, v)
		}
		// The portal answers from the spec's examples, so every call with every option filled succeeds.
		code, stdout, stderr := runReal(args...)
		if code != 0 {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
		}
		oneCall(args, m.Name)
	}
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
			v := sample(t, o.Type)
			if o.Spread {
				v = spreadSample(t, f)
			}
			args = append(args, "--"+o.Flag, v)
		}
		code, stdout, stderr := runReal(args...)
		if code != 0 {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
		}
		if f.Method != "" {
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
