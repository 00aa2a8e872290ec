package main

import (
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
	"github.com/b24gen/b24gen/generated/cli"
	"github.com/b24gen/b24gen/generated/eventdata"
	mcptools "github.com/b24gen/b24gen/generated/mcp"
)

// catalog is the only place that knows the generated bindings; the command layer sees just the
// funcs, so its tests run on a hand-written catalog.
func catalog() command.Catalog {
	return command.Catalog{Stubs: cli.Stubs, Methods: cli.Methods, OPI: cli.OPI, MCP: mcptools.Tools, Events: eventdata.New}
}
