// Package toolcatalog is the contract between the generator, which writes the tool catalog of b24 mcp
// (generated/mcp: one JSON object per method), and b24 mcp, which reads it: one type for both sides.
package toolcatalog

import "encoding/json"

// Entry is one method of the catalog.
type Entry struct {
	Name        string     `json:"name"`                  // the tool's name: the wire name with _ for its dots (crm_deal_list), and _v3 for the REST 3.0 twin of a 2.0 name
	Wire        string     `json:"wire"`                  // the wire name (crm.deal.list)
	Kind        string     `json:"kind"`                  // read or write
	Destructive bool       `json:"destructive,omitempty"` // a write that deletes or overwrites
	API3        bool       `json:"api3,omitempty"`        // a REST 3.0 method: called at /rest/api/
	Namespace   string     `json:"namespace"`
	Scope       string     `json:"scope,omitempty"`
	Summary     Text       `json:"summary,omitzero"`
	Docs        string     `json:"docs,omitempty"`
	Deprecated  bool       `json:"deprecated,omitempty"`
	Successor   string     `json:"successor,omitempty"`
	OPI         []string   `json:"opi,omitempty"`        // the names of the OpenIntegrations functions that call it (EN, RU): words the search knows it by
	Positional  []string   `json:"positional,omitempty"` // the parameters' order when the body is a JSON array
	OneOf       [][]string `json:"one_of,omitempty"`     // groups of parameters of which one is needed
	List        *List      `json:"list,omitempty"`
	Result      *Result    `json:"result,omitempty"`
	// Input is the JSON Schema (draft 2020-12) of the parameters, an object.
	Input json.RawMessage `json:"input"`
}

// Text is a summary in both languages.
type Text struct {
	EN string `json:"en,omitempty"`
	RU string `json:"ru,omitempty"`
}

// List is how a list method pages: the parameter that takes the answer's "next" (2.0), or a REST 3.0
// list's largest page and the ID field it is ordered and paged by ("" when it pages by offsets).
type List struct {
	Start  string `json:"start,omitempty"`
	ID     string `json:"id,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Cursor string `json:"cursor,omitempty"`
	Seek   string `json:"seek,omitempty"`
}

// Result is what a method returns under "result": its type in the spec's notation, its summary and
// the fields the docs list.
type Result struct {
	Type    string   `json:"type,omitempty"`
	Summary Text     `json:"summary,omitzero"`
	Fields  []string `json:"fields,omitempty"`
}
