package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeCounts: every count the README gives of what the spec and the binary hold is what they
// hold, so that the README cannot drift from them: the methods, the namespaces b24 --help lists,
// the OpenIntegrations functions, the events, and what b24 --version says.
func TestReadmeCounts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	stubs := catalog().Stubs()
	namespaces := map[string]bool{}
	for _, s := range stubs {
		namespaces[s.Namespace] = true
	}
	events, _ := filepath.Glob("../../spec/_events/*.yaml")
	code, version, _ := runReal("--version")
	m := regexp.MustCompile(`(\d+) Bitrix24 REST methods, (\d+) OpenIntegrations functions`).FindStringSubmatch(version)
	if code != 0 || m == nil || m[1] != strconv.Itoa(len(stubs)) {
		t.Fatalf("--version: %q (%d methods in the catalog)", version, len(stubs))
	}
	opi, _ := strconv.Atoi(m[2])
	for _, c := range []struct {
		pattern string // the count is its first group, written with thousands commas or without
		want    int
	}{
		{"in `spec/`: ([0-9,]+) methods", len(stubs)},
		{`Every one of the\s+([0-9,]+) methods is called`, len(stubs)},
		{`lists the ([0-9,]+) namespaces`, len(namespaces)},
		{`knows all ([0-9,]+) of OPI's functions`, opi},
		{`runs each of the ([0-9,]+)\s+OpenIntegrations functions`, opi},
		{"Every documented event \\(([0-9,]+), `spec/_events/`\\)", len(events)},
	} {
		found := regexp.MustCompile(c.pattern).FindAllSubmatch(readme, -1)
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
