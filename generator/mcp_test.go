package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/b24gen/b24gen/generator/internal/mcp"
)

// mcpToolName is the MCP SDK's rule for tool names (validateToolName): 1 to 128 letters, digits,
// '_', '-' and '.'.
var mcpToolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`) // what the major model APIs take

type mcpEntry struct {
	Name       string     `json:"name"`
	Wire       string     `json:"wire"`
	Kind       string     `json:"kind"`
	Positional []string   `json:"positional"`
	OneOf      [][]string `json:"one_of"`
	Input      json.RawMessage
}

// mcpSchemas parses the catalog of the real spec and resolves each input schema with the JSON
// Schema library of the MCP SDK.
func mcpSchemas(t *testing.T) (map[string]mcpEntry, map[string]*jsonschema.Resolved) {
	t.Helper()
	r, err := realSpec()
	if err != nil {
		t.Fatal(err)
	}
	lines, err := mcp.Entries(r.model)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(r.model.Methods) {
		t.Fatalf("%d catalog entries for %d methods", len(lines), len(r.model.Methods))
	}
	entries := map[string]mcpEntry{}
	resolved := map[string]*jsonschema.Resolved{}
	for i, l := range lines {
		var e mcpEntry
		if err := json.Unmarshal(l, &e); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if e.Name != mcp.ToolName(r.model.Methods[i]) {
			t.Errorf("entry %d is %s, want %s", i, e.Name, mcp.ToolName(r.model.Methods[i]))
		}
		if !mcpToolName.MatchString(e.Name) {
			t.Errorf("%s: not a valid MCP tool name", e.Name)
		}
		if e.Kind != "read" && e.Kind != "write" {
			t.Errorf("%s: kind %q", e.Name, e.Kind)
		}
		var s jsonschema.Schema
		if err := json.Unmarshal(e.Input, &s); err != nil {
			t.Errorf("%s: input schema: %v", e.Name, err)
			continue
		}
		if s.Type != "object" {
			t.Errorf("%s: input schema of type %q, MCP wants object", e.Name, s.Type)
		}
		for _, req := range s.Required {
			if _, ok := s.Properties[req]; !ok {
				t.Errorf("%s: required %s is not a property", e.Name, req)
			}
		}
		for _, g := range e.OneOf {
			for _, p := range g {
				if _, ok := s.Properties[p]; !ok {
					t.Errorf("%s: one_of names %s, not a property", e.Name, p)
				}
			}
		}
		if len(e.Positional) > 0 && len(e.Positional) != len(s.Properties) {
			t.Errorf("%s: %d positional parameters, %d properties", e.Name, len(e.Positional), len(s.Properties))
		}
		rs, err := s.Resolve(nil)
		if err != nil {
			t.Errorf("%s: input schema does not resolve: %v", e.Name, err)
			continue
		}
		entries[e.Wire], resolved[e.Wire] = e, rs
	}
	return entries, resolved
}

// TestMCPCatalog checks the tool catalog of b24 mcp: an entry per method, in order, each a valid MCP
// tool name with a kind and an input schema of type object that resolves (draft 2020-12), whose
// required and either-or parameters are among its properties. Then it validates the request
// examples of the docs (upstream/b24-examples) against the schemas of their methods: the schemas
// tell a model what to send, so what the docs send should fit them. A few examples do not (the docs
// send "5" where the spec says integer, or keys the spec types otherwise); the share is a budget.
func TestMCPCatalog(t *testing.T) {
	entries, resolved := mcpSchemas(t)
	f, err := os.Open("../upstream/b24-examples/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	var checked, failed int
	var failures []string
	for sc.Scan() {
		var ex struct {
			Method string `json:"method"`
			Params any    `json:"params"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		rs, ok := resolved[ex.Method]
		obj, isObject := ex.Params.(map[string]any)
		if !ok || len(entries[ex.Method].Positional) > 0 || !isObject {
			continue // outside the spec, or sent as a JSON array
		}
		checked++
		if err := rs.Validate(obj); err != nil {
			failed++
			if len(failures) < 15 {
				failures = append(failures, ex.Method+": "+err.Error())
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d request examples of the docs fit their method's input schema", checked-failed, checked)
	if checked < 900 {
		t.Errorf("only %d examples checked", checked)
	}
	if failed*100 > checked*10 {
		slices.Sort(failures)
		t.Errorf("%d of %d examples do not fit their schema (budget 10%%); some:\n%v", failed, checked, failures)
	}
}
