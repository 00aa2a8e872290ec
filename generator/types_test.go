package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/generator/internal/mcp"
	"github.com/b24gen/b24gen/generator/internal/openapi"
	"github.com/b24gen/b24gen/internal/toolcatalog"
)

// typeSwitch finds a decision taken on a spec type's word: a case or a comparison with one.
var typeSwitch = regexp.MustCompile(`(case|==|!=)\s*"(id|dialog_id|lang|base64|file|date|datetime|string|integer|number|boolean|object|any)"`)

// TestTypesDecidedOnce: what a spec type means is settled in the model (generator/internal/model,
// its Scalars) and in clikit's one table of option kinds; no emitter, no other part of clikit and
// nothing in b24 switches on a type's word.
func TestTypesDecidedOnce(t *testing.T) {
	dirs := []string{"internal/golang", "internal/docs", "internal/mcp", "internal/openapi", "internal/jsonschema", ".",
		"../clikit", "../cmd/b24", "../cmd/b24/internal/command"}
	files := 0
	for _, d := range dirs {
		names, err := filepath.Glob(filepath.Join(d, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for i, line := range bytes.Split(b, []byte("\n")) {
				if m := typeSwitch.Find(line); m != nil {
					t.Errorf("%s:%d: %s: decide it in the model (or clikit's kinds table)", name, i+1, m)
				}
			}
		}
	}
	if files < 40 {
		t.Errorf("only %d files read: the paths are wrong", files)
	}
}

// TestSchemasAgree: for every method, each parameter's JSON Schema in the MCP catalog is its schema
// in the OpenAPI document, once the document's references are inlined and its x- annotations and
// descriptions (Russian apart in OpenAPI, on a line of its own in MCP) are left out.
func TestSchemasAgree(t *testing.T) {
	r, err := realSpec()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.files[openapi.JSONFile], &doc); err != nil {
		t.Fatal(err)
	}
	lines, err := mcp.Entries(r.model)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for i, mm := range r.model.Methods {
		var e toolcatalog.Entry
		if err := json.Unmarshal(lines[i], &e); err != nil || e.Name != mcp.ToolName(mm) {
			t.Fatalf("entry %d: %v (%s, want %s)", i, err, e.Name, mcp.ToolName(mm))
		}
		var in struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(e.Input, &in); err != nil {
			t.Fatal(err)
		}
		params, _ := doc.Components.Schemas[mm.NS.Package+"."+mm.ParamsType].(map[string]any)
		props, _ := params["properties"].(map[string]any)
		if mm.Positional {
			props = map[string]any{}
			items, _ := params["prefixItems"].([]any)
			for j, it := range items {
				s := it.(map[string]any)
				delete(s, "title")
				if alt, ok := s["anyOf"].([]any); ok && len(s) == 1 { // an optional one: it or null
					s = alt[0].(map[string]any)
				}
				props[mm.Params[j].Wire] = s
			}
		}
		for _, f := range mm.Params {
			want := plain(in.Properties[f.Wire], nil, 0)
			got := plain(props[f.Wire], doc.Components.Schemas, 0)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s %s: MCP and OpenAPI disagree (-MCP +OpenAPI):\n%s", mm.Wire, f.Wire, d)
			}
			compared++
		}
	}
	if compared < 3_000 {
		t.Errorf("%d parameters compared", compared)
	}
}

// plain is a schema with its references inlined (from defs), without descriptions, titles and x-
// annotations; a structure that contains itself stops at depth 12, as MCP's inlining stops there.
func plain(v any, defs map[string]any, depth int) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e, defs, depth)
		}
		return out
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if depth > 12 {
				return map[string]any{"type": "object"}
			}
			inlined := map[string]any{}
			for k, e := range defs[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any) {
				inlined[k] = e
			}
			for k, e := range x {
				if k != "$ref" {
					inlined[k] = e
				}
			}
			return plain(inlined, defs, depth+1)
		}
		out := map[string]any{}
		for k, e := range x {
			if k == "description" || k == "title" || strings.HasPrefix(k, "x-") {
				continue
			}
			out[k] = plain(e, defs, depth)
		}
		return out
	}
	return v
}

// TestStructsDeclaredOnce: of the structures the generated packages declare, at most 5% repeat
// another of their package field for field (folded ones are aliases, not declarations); the four
// answers of crm.item (get, list, add, update) are one type, the entity's record.
func TestStructsDeclaredOnce(t *testing.T) {
	r, err := realSpec()
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?s)\ntype (\w+) struct \{\n(.*?)\n\}`)
	comments := regexp.MustCompile(`(?m)^\s*//.*$\n?`)
	structs, repeats := 0, 0
	bodies := map[string]map[string]bool{} // package → struct bodies
	for name, b := range r.files {
		pkg, file, ok := strings.Cut(name, "/")
		if !ok || !strings.HasSuffix(file, ".gen.go") || strings.Contains(file, "/") || slices.Contains([]string{"cli", "conformance", "fixtures", "mcp"}, pkg) {
			continue
		}
		if bodies[pkg] == nil {
			bodies[pkg] = map[string]bool{}
		}
		for _, m := range decl.FindAllSubmatch(b, -1) {
			body := strings.Join(strings.Fields(string(comments.ReplaceAll(m[2], nil))), " ")
			structs++
			if bodies[pkg][body] {
				repeats++
			}
			bodies[pkg][body] = true
		}
	}
	if structs < 1000 || repeats*20 > structs {
		t.Errorf("%d of %d structures repeat another of their package; want at most 5%%", repeats, structs)
	}
	t.Logf("%d of %d structures repeat another of their package (%.1f%%)", repeats, structs, 100*float64(repeats)/float64(structs))

	records, widened := 0, 0
	for _, ns := range r.model.Namespaces {
		records += len(ns.Records)
		for _, rec := range ns.Records {
			widened += len(rec.Widened)
		}
	}
	t.Logf("%d entity records merged, %d fields widened", records, widened)
	crm := r.files["crm/item.gen.go"]
	for _, alias := range []string{"ItemGetResultItem", "ItemListResultItems", "ItemAddResultItem", "ItemUpdateResultItem"} {
		if !bytes.Contains(crm, []byte("\ntype "+alias+" = Item\n")) {
			t.Errorf("crm.%s is not crm.Item", alias)
		}
	}
}
