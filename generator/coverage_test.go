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

	"github.com/b24gen/b24gen/generator/internal/model"
)

// TestEveryDocumentedMethod takes the methods of both upstream indexes (the official schema and the
// docs pages) and finds, in what the generator renders from spec/ (TestGeneratedIsFresh proves it is
// what generated/ holds), each one's spec file, Go function, CLI command and RU and EN pages.
func TestEveryDocumentedMethod(t *testing.T) {
	var want []string
	for _, index := range []string{"../upstream/b24-schema/index.json", "../upstream/b24-docs-methods/index.json"} {
		b, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		// the schema's index lists objects ({"method": …}), the docs pages' index names
		var idx struct {
			Methods []json.RawMessage `json:"methods"`
		}
		if err := json.Unmarshal(b, &idx); err != nil {
			t.Fatalf("%s: %v", index, err)
		}
		for _, raw := range idx.Methods {
			var entry struct {
				Method string `json:"method"`
			}
			if json.Unmarshal(raw, &entry.Method) != nil && json.Unmarshal(raw, &entry) != nil || entry.Method == "" {
				t.Fatalf("%s: an entry without a method name: %s", index, raw)
			}
			want = append(want, entry.Method)
		}
	}
	if len(want) != 1562+97 {
		t.Errorf("the indexes list %d methods, want 1,659", len(want))
	}
	r, err := realSpec()
	if err != nil {
		t.Fatal(err)
	}
	files, m := r.files, r.model
	byWire := map[string]*model.Method{}
	for _, ns := range m.Namespaces {
		for _, mm := range ns.Methods {
			byWire[mm.Wire] = mm
		}
	}
	var cli []byte
	for name, body := range files {
		if strings.HasPrefix(name, "cli/") {
			cli = append(cli, body...)
		}
	}
	missing := 0
	for _, wire := range want {
		mm := byWire[wire]
		var gaps []string
		switch {
		case mm == nil:
			gaps = append(gaps, "spec file")
		default:
			if _, err := os.Stat(filepath.Join("..", mm.SpecFile)); err != nil {
				gaps = append(gaps, "spec file")
			}
			if !inPackage(files, mm.NS.Package, "func (s *Service) "+mm.GoName+"(") {
				gaps = append(gaps, "Go function")
			}
			if !regexp.MustCompile(`Name:\s+` + regexp.QuoteMeta(strconv.Quote(wire)) + `,`).Match(cli) {
				gaps = append(gaps, "CLI command")
			}
			for _, lang := range []string{"en", "ru"} {
				if files["docs/"+lang+"/"+mm.NS.Name+"/"+wire+".md"] == nil {
					gaps = append(gaps, lang+" page")
				}
			}
		}
		if len(gaps) > 0 {
			missing++
			t.Errorf("%s: no %s", wire, strings.Join(gaps, ", "))
		}
	}
	t.Logf("%d documented methods, %d missing something", len(want), missing)
}

// inPackage reports whether a rendered Go file of package pkg contains s.
func inPackage(files map[string][]byte, pkg, s string) bool {
	for name, body := range files {
		if strings.HasPrefix(name, pkg+"/") && strings.HasSuffix(name, ".gen.go") && bytes.Contains(body, []byte(s)) {
			return true
		}
	}
	return false
}
