package command

import (
	"github.com/b24gen/b24gen/b24event"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/clikit"
)

// Catalog is everything the CLI knows about methods and OPI functions. main wires it to generated/cli;
// tests give a small hand-written one. Each func is called only when its part is needed, so that
// `b24 --help` never builds the method descriptors of every namespace.
type Catalog struct {
	Stubs   func() []clikit.Stub
	Methods func(namespace string) []clikit.Method
	OPI     func() []clikit.OPIFunc
	// MCP is the tool catalog of b24 mcp (generated/mcp): one JSON object per method, parsed only
	// when the server starts.
	MCP func() []string
	// Events gives the Go type of an event's data by its wire name (generated/eventdata.New), for
	// b24 listen; nil prints every event's data as it came.
	Events func(wire string) (b24event.Data, bool)
}

func (c Catalog) stubs() []clikit.Stub {
	if c.Stubs == nil {
		return nil
	}
	return c.Stubs()
}

// opi is the catalog's OPI functions and the builtin ones, which no spec entry describes.
func (c Catalog) opi() []clikit.OPIFunc {
	var fs []clikit.OPIFunc
	if c.OPI != nil {
		fs = c.OPI()
	}
	return append(slices.Clip(fs), builtinOPI...)
}

// uploads are the methods that upload by uploadUrl, for the message that names them.
func (c Catalog) uploads() []string {
	var names []string
	seen := map[string]bool{}
	for _, s := range c.stubs() {
		if seen[s.Namespace] || c.Methods == nil {
			continue
		}
		seen[s.Namespace] = true
		for _, m := range c.Methods(s.Namespace) {
			if len(m.Upload) > 0 {
				names = append(names, m.Name)
			}
		}
	}
	return names
}

// findStub looks a method up by its wire name: exact spelling first, then ignoring case.
func (c Catalog) findStub(name string) (clikit.Stub, bool) {
	stubs := c.stubs()
	for _, s := range stubs {
		if s.Name == name {
			return s, true
		}
	}
	for _, s := range stubs {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return clikit.Stub{}, false
}

// method builds the descriptors of the stub's namespace only and picks the method.
func (c Catalog) method(s clikit.Stub) (*clikit.Method, bool) {
	if c.Methods == nil {
		return nil, false
	}
	ms := c.Methods(s.Namespace)
	for i := range ms {
		if ms[i].Name == s.Name {
			return &ms[i], true
		}
	}
	return nil, false
}

// findOPI looks an OPI function up by its RU, EN or alias name, ignoring case as oint does.
func (c Catalog) findOPI(name string) (*clikit.OPIFunc, bool) {
	fs := c.opi()
	for i := range fs {
		f := &fs[i]
		if strings.EqualFold(f.EN, name) || strings.EqualFold(f.RU, name) {
			return f, true
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(a, name) {
				return f, true
			}
		}
	}
	return nil, false
}

// isNamespace reports whether name is a namespace, and returns its spelling.
func (c Catalog) isNamespace(name string) (string, bool) {
	for _, s := range c.stubs() {
		if strings.EqualFold(s.Namespace, name) {
			return s.Namespace, true
		}
	}
	return "", false
}
