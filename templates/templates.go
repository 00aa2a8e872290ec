// Package templates holds the Markdown templates of the generated docs (generated/docs/{en,ru}).
// The generator's docs emitter fills them; they are embedded so the generator needs no paths.
//
// Each page kind has one template per language, so a Russian page is Russian throughout:
//
//	method.<lang>.md.tmpl  one REST method
//	helper.<lang>.md.tmpl  one OpenIntegrations helper function
//	index.<lang>.md.tmpl   one namespace
//	readme.<lang>.md.tmpl  the top index
//	opi.<lang>.md.tmpl     the OpenIntegrations functions by region (openintegrations.md)
//	event.<lang>.md.tmpl   one event (_events/<WIRE>.md)
//	events.<lang>.md.tmpl  the events (_events/README.md)
//
// The pages are plain GitHub-flavoured Markdown (front matter, an HTML comment for the notice,
// GitHub alerts, <details> for the Windows command), so that GitHub shows them as they are and
// the docs site (cmd/docsite) renders them without a framework.
package templates

import "embed"

// FS holds the *.md.tmpl files.
//
//go:embed *.md.tmpl
var FS embed.FS
