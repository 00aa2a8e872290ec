// Package importer turns the official Bitrix24 REST schema (index.json + methods/*.json, see
// upstream/b24-schema/README.md) into spec files, one per method, and merges it into files that
// already exist without losing what people curated by hand (spec/README.md, section "Import").
package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// schemaIndex is index.json: the list of methods the schema holds.
type schemaIndex struct {
	Methods []indexEntry `json:"methods"`
}

// indexEntry is one method of index.json: {"method": name, ...} in the schema, a bare name in the
// docs-only methods.
type indexEntry struct{ Method string }

func (e *indexEntry) UnmarshalJSON(b []byte) error {
	if json.Unmarshal(b, &e.Method) == nil {
		return nil
	}
	var full struct {
		Method string `json:"method"`
	}
	err := json.Unmarshal(b, &full)
	e.Method = full.Method
	return err
}

// schemaMethod is one methods/<name>.json file; only the keys the importer uses.
type schemaMethod struct {
	Method        string                `json:"method"`
	Scope         *string               `json:"scope"`
	Kind          string                `json:"kind"`
	Params        []*schemaParam        `json:"params"`
	Defs          map[string]*schemaDef `json:"defs"`
	Returns       []*schemaParam        `json:"returns"`
	Docs          string                `json:"docs"`
	Deprecated    *schemaDeprecated     `json:"deprecated"`
	ResultExample json.RawMessage       `json:"resultExample"`
	FromDocs      bool                  `json:"-"` // read from the docs-only methods, not the schema
	FromV3        bool                  `json:"-"` // read from the REST 3.0 methods, not the schema
	Twin          bool                  `json:"-"` // a 3.0 method of a name a 2.0 method has too
	API           int                   `json:"-"` // spec.API3 for a REST 3.0 method
}

type schemaDeprecated struct {
	Successor *string `json:"successor"`
}

type schemaParam struct {
	Name     string         `json:"name"`
	Type     string         `json:"type"`
	Base     string         `json:"base"`
	Required any            `json:"required"` // true, false or "unknown"
	Ref      string         `json:"ref"`
	Dynamic  *schemaDynamic `json:"dynamic"`
}

type schemaDynamic struct {
	Allowed   bool `json:"allowed"`
	UFAllowed bool `json:"ufAllowed"`
}

type schemaDef struct {
	Dynamic *schemaDynamic `json:"dynamic"`
	Fields  []*schemaParam `json:"fields"`
}

// readSchema reads index.json and every method file it lists, in index order. A method listed
// without a readable file is a hard error: the schema folder is broken, not merely loose.
func readSchema(dir string) ([]*schemaMethod, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	var idx schemaIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, "index.json"), err)
	}
	out := make([]*schemaMethod, 0, len(idx.Methods))
	seen := map[string]bool{}
	for _, e := range idx.Methods {
		if seen[e.Method] {
			continue
		}
		seen[e.Method] = true
		p := filepath.Join(dir, "methods", e.Method+".json")
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var m schemaMethod
		d := json.NewDecoder(bytes.NewReader(b))
		if err := d.Decode(&m); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if m.Method == "" {
			m.Method = e.Method
		}
		out = append(out, &m)
	}
	return out, nil
}
