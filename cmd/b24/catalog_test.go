package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/clikit"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
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

func runReal(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), args, command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	return code, out.String(), errOut.String()
}

// TestRealCatalog runs every method and OPI function of the generated catalog: its help, and a call
// to the sandbox with every option filled with a sample value. Nothing may be a usage error or panic.
func TestRealCatalog(t *testing.T) {
	if !catalogWired {
		t.Skip("generated/cli is not wired into cmd/b24/catalog.go yet")
	}
	cat := catalog()
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
		args := []string{"--sandbox", m.Name}
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
		if code, _, stderr := runReal(args...); code == 2 {
			t.Errorf("%v: usage error: %s", args, stderr)
		}
	}
	for _, f := range cat.OPI() {
		for _, name := range append([]string{f.RU, f.EN, strings.ToLower(f.EN)}, f.Aliases...) {
			if code, _, stderr := runReal("bitrix24", name, "--help"); code != 0 {
				t.Errorf("bitrix24 %s --help: exit %d: %s", name, code, stderr)
			}
		}
		args := []string{"--sandbox", "bitrix24", f.RU}
		for _, o := range f.Options {
			if reserved[o.Flag] && !(f.Method == "" && o.Flag == "url") {
				t.Errorf("%s: option --%s hides the global flag", f.EN, o.Flag)
			}
			typ := o.Type
			if o.Spread {
				typ = "object"
			}
			args = append(args, "--"+o.Flag, sample(t, typ))
		}
		code, stdout, stderr := runReal(args...)
		if code == 2 || (f.Method == "" && code != 0) {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
		if f.Method == "" && !strings.HasPrefix(stdout, "{") && !strings.HasPrefix(stdout, "[") && !strings.HasPrefix(stdout, `"`) {
			t.Errorf("%s: helper output: %s", f.EN, stdout)
		}
	}
}
