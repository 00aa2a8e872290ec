package command

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/b24gen/b24gen/internal/toolcatalog"
)

// The method catalog of b24 mcp (generated/mcp): parsed only when the server starts, filtered by
// its flags, searched by words. Nothing here talks MCP; mcp.go does.

// toolEntry is one method of the catalog, with what the search looks in.
type toolEntry struct {
	toolcatalog.Entry

	schemaOnce sync.Once
	schema     *jsonschema.Resolved // Input, resolved at the first call
	schemaErr  error

	search searchIndex // what the search looks in, made by index at the first search (mcpsearch.go)
}

// loadTools parses the catalog: one JSON object a string.
func loadTools(lines []string) ([]*toolEntry, error) {
	out := make([]*toolEntry, 0, len(lines))
	for i, l := range lines {
		e := &toolEntry{}
		if err := json.Unmarshal([]byte(l), e); err != nil {
			return nil, fmt.Errorf("MCP tool catalog, entry %d: %v", i+1, err)
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *toolEntry) int { return strings.Compare(a.Name, b.Name) }) // findTool searches by name
	return out, nil
}

// validate checks a call's arguments against the tool's input schema, the one its clients see:
// an argument of the wrong type, or a required one missing, is refused before anything is sent,
// the error naming the field and the type it wants.
func (e *toolEntry) validate(args json.RawMessage) error {
	e.schemaOnce.Do(func() {
		var sc jsonschema.Schema
		if e.schemaErr = json.Unmarshal(e.Input, &sc); e.schemaErr == nil {
			e.schema, e.schemaErr = sc.Resolve(nil)
		}
	})
	if e.schemaErr != nil {
		return fmt.Errorf("%s: the catalog's input schema: %v", e.method(), e.schemaErr)
	}
	var v any = map[string]any{}
	if a := bytes.TrimSpace(args); len(a) > 0 && !bytes.Equal(a, []byte("null")) {
		if err := json.Unmarshal(a, &v); err != nil {
			return fmt.Errorf("%s: the parameters are not JSON: %v", e.method(), err)
		}
	}
	if err := e.schema.Validate(v); err != nil {
		msg := strings.TrimPrefix(err.Error(), "validating root: ")
		return fmt.Errorf("%s: the parameters do not fit its input schema (describe_method shows it), nothing was sent: %s", e.method(), msg)
	}
	return nil
}

// method is the method's name as people write it: the wire name, and for the REST 3.0 twin of a 2.0
// name that name with @3, as the CLI names it (tasks.task.get@3).
func (e *toolEntry) method() string {
	if e.API3 && strings.HasSuffix(e.Name, "_v3") {
		return e.Wire + "@3"
	}
	return e.Wire
}

// mcpFilter is what the flags of b24 mcp allow.
type mcpFilter struct {
	writes     bool
	namespaces []string // spelled as the catalog does; none: all
	methods    []string // globs of wire names; none: all
}

// newMCPFilter checks the flags against the catalog: a namespace or glob that names no method is the
// user's mistake, as a typo would be.
func newMCPFilter(tools []*toolEntry, writes bool, namespaces, methods []string) (*mcpFilter, error) {
	f := &mcpFilter{writes: writes}
	for _, ns := range namespaces {
		ns = strings.TrimSpace(ns)
		if ns == "" {
			continue
		}
		i := slices.IndexFunc(tools, func(e *toolEntry) bool { return strings.EqualFold(e.Namespace, ns) })
		if i < 0 {
			return nil, usagef("--namespaces %s: no such namespace (b24 --help lists them)", ns)
		}
		f.namespaces = append(f.namespaces, tools[i].Namespace)
	}
	for _, g := range methods {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if _, err := path.Match(g, ""); err != nil {
			return nil, usagef("--methods %s: %v", g, err)
		}
		if !slices.ContainsFunc(tools, func(e *toolEntry) bool { return matchMethod(g, e.Wire) }) {
			return nil, usagef("--methods %s: no method of the spec matches it", g)
		}
		f.methods = append(f.methods, g)
	}
	return f, nil
}

// matchMethod matches a wire name against a glob of --methods; a name without a glob character
// matches regardless of case, as b24 <method> does.
func matchMethod(glob, name string) bool {
	if ok, _ := path.Match(glob, name); ok {
		return true
	}
	return !strings.ContainsAny(glob, `*?[\`) && strings.EqualFold(glob, name)
}

// The reasons a method is refused.
const (
	mcpAllowed = iota
	mcpOutsideNamespaces
	mcpOutsideMethods
	mcpWrite
)

// check is why the flags refuse a method, mcpAllowed when they do not.
func (f *mcpFilter) check(e *toolEntry) int {
	switch {
	case len(f.namespaces) > 0 && !slices.Contains(f.namespaces, e.Namespace):
		return mcpOutsideNamespaces
	case len(f.methods) > 0 && !slices.ContainsFunc(f.methods, func(g string) bool { return matchMethod(g, e.Wire) }):
		return mcpOutsideMethods
	case e.Kind != "read" && !f.writes:
		return mcpWrite
	}
	return mcpAllowed
}

// allows reports whether the flags allow a method.
func (f *mcpFilter) allows(e *toolEntry) bool { return f.check(e) == mcpAllowed }

// refused says why a method may not be called or described, "" when it may.
func (f *mcpFilter) refused(e *toolEntry) string {
	switch f.check(e) {
	case mcpOutsideNamespaces:
		return fmt.Sprintf("%s is outside the namespaces this server allows (--namespaces %s)", e.method(), strings.Join(f.namespaces, ","))
	case mcpOutsideMethods:
		return fmt.Sprintf("%s is not among the methods this server allows (--methods %s)", e.method(), strings.Join(f.methods, ","))
	case mcpWrite:
		return fmt.Sprintf("%s changes data (kind %s); this server only calls read methods: the user can start b24 mcp with --allow-writes to allow it", e.method(), e.Kind)
	}
	return ""
}

// findTool looks a method up by its wire name: exact spelling first, then ignoring case.
func findTool(tools []*toolEntry, name string) *toolEntry {
	name = strings.TrimSpace(name)
	i, found := slices.BinarySearchFunc(tools, name, func(e *toolEntry, n string) int { return strings.Compare(e.Name, n) })
	if found {
		return tools[i]
	}
	// the wire name (crm.deal.get; tasks.task.get@3 for a twin), or either in another case
	for _, e := range tools {
		if strings.EqualFold(e.Name, name) || strings.EqualFold(e.method(), name) {
			return e
		}
	}
	return nil
}

// params turns a call's arguments (a JSON object) into the request body: the object itself, or for a
// method that takes a JSON array, its values in order. A required parameter missing is refused here,
// before the call, as the CLI and the Go client refuse it.
func (e *toolEntry) params(args json.RawMessage) (any, error) {
	obj := map[string]json.RawMessage{}
	if a := bytes.TrimSpace(args); len(a) > 0 && !bytes.Equal(a, []byte("null")) {
		if err := json.Unmarshal(a, &obj); err != nil {
			return nil, fmt.Errorf("%s: the parameters must be a JSON object: %v", e.method(), err)
		}
	}
	var in struct {
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(e.Input, &in); err != nil {
		return nil, fmt.Errorf("%s: the catalog's input schema: %v", e.method(), err)
	}
	var missing []string
	for _, r := range in.Required {
		if _, ok := obj[r]; !ok {
			missing = append(missing, r)
		}
	}
	for _, g := range e.OneOf {
		if !slices.ContainsFunc(g, func(k string) bool { _, ok := obj[k]; return ok }) {
			missing = append(missing, "one of "+strings.Join(g, ", "))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: required parameter missing: %s (describe_method shows them all)", e.method(), strings.Join(missing, "; "))
	}
	if len(e.Positional) == 0 {
		return obj, nil
	}
	for k := range obj {
		if !slices.Contains(e.Positional, k) {
			return nil, fmt.Errorf("%s takes its parameters by position (%s): %q is not one of them", e.method(), strings.Join(e.Positional, ", "), k)
		}
	}
	// as clikit does: one not given in the middle is null, the ones missing at the end are left out
	list := make([]json.RawMessage, len(e.Positional))
	n := 0
	for i, k := range e.Positional {
		if v, ok := obj[k]; ok {
			list[i], n = v, i+1
		} else {
			list[i] = json.RawMessage("null")
		}
	}
	return list[:n], nil
}

// description is a method tool's description: the summaries (English, then Russian), what calling
// it does, and where its documentation is.
func (e *toolEntry) description() string {
	var lines []string
	lines = append(lines, "The Bitrix24 REST method "+e.method()+".")
	for _, s := range []string{e.Summary.EN, e.Summary.RU} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	if e.Kind == "read" {
		lines = append(lines, "Reads only.")
	} else {
		lines = append(lines, "Changes data on the portal; not repeated when its answer is lost.")
	}
	if e.Deprecated {
		d := "Deprecated"
		if e.Successor != "" {
			d += ": use " + e.Successor + " instead"
		}
		lines = append(lines, d+".")
	}
	if e.List != nil {
		lines = append(lines, e.listNote())
	}
	if e.Docs != "" {
		lines = append(lines, "Docs: "+e.Docs)
	}
	return strings.Join(lines, "\n")
}

// listNote says how a list method (e.List set) pages.
func (e *toolEntry) listNote() string {
	if e.API3 && e.List.Seek != "" {
		return fmt.Sprintf("A list: the rows after a position, under items: pass %s {\"field\": %q, \"value\": <the last row's %s, 0 at first>, \"limit\": n (up to %d)}; there are no more when fewer than n come.",
			e.List.Seek, e.List.ID, e.List.ID, e.List.Limit)
	}
	if e.API3 {
		page := fmt.Sprintf("A list: 50 rows an answer (pagination {\"limit\": n} asks for up to %d), under items, without next; for the following rows, ", e.List.Limit)
		if e.List.Cursor != "" {
			return page + fmt.Sprintf("pass pagination {\"afterCursor\": <the answer's %s>}; there are no more when the answer has none.", e.List.Cursor)
		}
		if e.List.ID == "" {
			return page + "pass pagination {\"limit\": n, \"offset\": <the rows so far>}."
		}
		return page + fmt.Sprintf("add the condition [%q, \">\", <the last row's %s>] to filter (the rows come ordered by it).", e.List.ID, e.List.ID)
	}
	return "A list: up to 50 rows an answer; when the answer has \"next\", pass " + cmp.Or(e.List.Start, "start") + "=<next> for the following rows."
}
