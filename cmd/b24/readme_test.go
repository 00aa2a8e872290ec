package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeCounts: every count the README and its pages (docs/*.md) give of what the spec and the
// binary hold is what they hold, so that they cannot drift from them: the methods, the namespaces
// b24 --help lists, the OpenIntegrations functions, the events, the REST 3.0 methods, the list
// methods, and what b24 --version says.
func TestReadmeCounts(t *testing.T) {
	pages, _ := filepath.Glob("../../docs/*.md")
	var readme []byte
	for _, p := range append([]string{"../../README.md"}, pages...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		readme = append(readme, b...)
	}
	cat := catalog()
	stubs := cat.Stubs()
	namespaces := map[string]bool{}
	for _, s := range stubs {
		namespaces[s.Namespace] = true
	}
	api3, lists := 0, 0
	for ns := range namespaces {
		for _, m := range cat.Methods(ns) {
			if m.API3 {
				api3++
			}
			if m.List != nil {
				lists++
			}
		}
	}
	events, _ := filepath.Glob("../../spec/_events/*.yaml")
	code, version, _ := runReal("--version")
	m := regexp.MustCompile(`(\d+) Bitrix24 REST methods, (\d+) OpenIntegrations functions`).FindStringSubmatch(version)
	if code != 0 || m == nil || m[1] != strconv.Itoa(len(stubs)) {
		t.Fatalf("--version: %q (%d methods in the catalog)", version, len(stubs))
	}
	opi, _ := strconv.Atoi(m[2])
	upstream := 0
	for _, idx := range []string{"../../upstream/b24-schema/index.json", "../../upstream/b24-docs-methods/index.json"} {
		b, err := os.ReadFile(idx)
		var index struct{ Methods []json.RawMessage }
		if err != nil || json.Unmarshal(b, &index) != nil {
			t.Fatalf("%s: %v", idx, err)
		}
		upstream += len(index.Methods)
	}
	examples, err := os.ReadFile("../../upstream/b24-examples/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pattern string // the count is its first group, written with thousands commas or without
		want    int
	}{
		{"in `spec/`: ([0-9,]+) methods", len(stubs)},
		{`Every one of the ([0-9,]+) methods is called`, len(stubs)},
		{`lists the ([0-9,]+) namespaces`, len(namespaces)},
		{`knows all ([0-9,]+) of OPI's functions`, opi},
		{`runs each of the ([0-9,]+) OpenIntegrations functions`, opi},
		{"Every documented event \\(([0-9,]+), `spec/_events/`\\)", len(events)},
		{`below, ([0-9,]+) in all\) is sent to`, api3},
		{"`list:` in its file, ([0-9,]+) so far", lists},
		{`each of the ([0-9,]+) methods of both upstream indexes`, upstream},
		{`docs \(([0-9,]+) lines of`, bytes.Count(examples, []byte("\n"))},
	} {
		// a space in a pattern is any run of blanks: a line may wrap anywhere
		found := regexp.MustCompile(strings.ReplaceAll(c.pattern, " ", `\s+`)).FindAllSubmatch(readme, -1)
		if len(found) == 0 {
			t.Errorf("the README no longer says %q: a count it gives is not checked", c.pattern)
		}
		for _, f := range found {
			if got := strings.ReplaceAll(string(f[1]), ",", ""); got != strconv.Itoa(c.want) {
				t.Errorf("the README says %q, the spec and the binary hold %d", f[0], c.want)
			}
		}
	}
	if opi < 179 {
		t.Errorf("--version counts %d OpenIntegrations functions", opi)
	}
}

// TestReadmeRecipesCLI runs every b24 command of the README's recipes against the sandbox portal (the
// files they name made first): each must exit 0. Commands that store credentials, serve, or need a
// link of a real portal (auth, mcp, listen, download) are left to their own tests.
func TestReadmeRecipesCLI(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Recipes\n")
	section, _, _ = strings.Cut(section, "\n## ")
	t.Chdir(t.TempDir())
	for _, f := range []string{"report.pdf", "ann.png", "notes.md"} {
		if err := os.WriteFile(f, []byte(f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ran := 0
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1) {
		for line := range strings.Lines(block[1]) {
			for _, cmd := range strings.Split(stripComment(line), ";") {
				args := shellWords(t, cmd)
				if len(args) < 2 || args[0] != "b24" {
					continue
				}
				switch args[1] {
				case "auth", "mcp", "listen", "download":
					continue
				}
				args = redirectionsOut(args)
				code, _, stderr := runReal(append([]string{"--sandbox"}, args[1:]...)...)
				if code != 0 {
					t.Errorf("%s: exit %d: %s", strings.TrimSpace(cmd), code, stderr)
				}
				ran++
			}
		}
	}
	if ran < 8 {
		t.Errorf("ran %d commands of the recipes", ran)
	}
}

// stripComment cuts a shell comment (" # …") off a line, outside quotes.
func stripComment(line string) string {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (i == 0 || line[i-1] == ' '):
			return line[:i]
		}
	}
	return line
}

// shellWords splits a command as sh does for the quoting the README uses: '…' and "…" without escapes.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", s)
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

// redirectionsOut drops "> file" and ">> file": the test reads the exit code only.
func redirectionsOut(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == ">" || args[i] == ">>" {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}
