package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/b24gen/b24gen/generator/internal/importer"
)

// runImport is the "import" subcommand: the official schema and the docs-only methods →
// spec/<namespace>/<method>.yaml.
func runImport(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("generator import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	schemaDir := fl.String("schema", "upstream/b24-schema", "folder of the official schema (index.json, methods/)")
	docsDir := fl.String("docs", "upstream/b24-docs-methods", "folder of the methods only the docs pages document (same format); empty for none")
	examples := fl.String("examples", "upstream/b24-examples/requests.jsonl", "the docs' request examples, one JSON object a line; empty for none")
	v3 := fl.String("v3", "upstream/b24-v3/methods.jsonl", "the REST 3.0 methods, one JSON object a line; empty for none")
	events := fl.String("events", "upstream/b24-events/events.jsonl", "the documented events, one JSON object a line; empty for none")
	specDir := fl.String("spec", "spec", "spec folder to write or update")
	dry := fl.Bool("dry-run", false, "write nothing; print what would change")
	verbose := fl.Bool("v", false, "list every skipped schema item, not only the count per reason")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "generator import: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	start := time.Now()
	s, err := importer.Run(importer.Options{SchemaDir: *schemaDir, DocsDir: *docsDir, Examples: *examples, V3: *v3, SpecDir: *specDir, DryRun: *dry})
	if err != nil {
		fmt.Fprintln(stderr, "generator import:", err)
		return 1
	}
	s.Write(stderr, *verbose)
	if *events != "" {
		es, err := importer.ImportEvents(*events, *specDir, *dry)
		if err != nil {
			fmt.Fprintln(stderr, "generator import: events:", err)
			return 1
		}
		es.Write(stderr)
	}
	fmt.Fprintf(stderr, "import: done in %v\n", time.Since(start).Round(time.Millisecond))
	return 0
}
