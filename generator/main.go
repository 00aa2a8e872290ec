// Command generator turns the YAML spec of Bitrix24 REST methods into the generated tree: the Go
// client packages, the CLI bindings, the fixtures of the fake portal and the Markdown docs.
//
//	go run ./generator [-spec spec] [-out generated] [-check] [-only <namespace>]
//	go run ./generator import [-schema upstream/b24-schema] [-spec spec] [-dry-run]
//
// Everything is rendered in memory first; then only files whose bytes changed are written and files
// the run did not produce are deleted (only under -out). -check writes nothing and fails when the
// tree on disk differs from the spec. -only limits writing and deleting to one namespace (its
// package, its CLI bindings and its docs) plus the shared catalogs, which always list the whole spec.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "import" {
		return runImport(args[1:], stderr) // import_cmd.go
	}
	fl := flag.NewFlagSet("generator", flag.ContinueOnError)
	fl.SetOutput(stderr)
	specDir := fl.String("spec", "spec", "spec folder")
	outDir := fl.String("out", "generated", "output folder (the generator owns it: stale files are deleted)")
	check := fl.Bool("check", false, "write nothing; exit 1 listing the files that would change")
	only := fl.String("only", "", "write only the files of this namespace (and the shared catalogs)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "generator: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	start := time.Now()
	files, m, err := Render(*specDir)
	if err != nil {
		// spec.ErrorList prints one "file:line:col: message" per line.
		fmt.Fprintln(stderr, err)
		return 1
	}
	pkg := ""
	if *only != "" {
		for _, ns := range m.Namespaces {
			if ns.Name == *only {
				pkg = ns.Package
			}
		}
		if pkg == "" {
			fmt.Fprintf(stderr, "generator: -only %s: no such namespace in %s\n", *only, *specDir)
			return 2
		}
	}
	p, err := plan(*outDir, files, scope(*only, pkg))
	if err != nil {
		fmt.Fprintln(stderr, "generator:", err)
		return 1
	}
	if *check {
		if p.Empty() {
			fmt.Fprintf(stderr, "generator: %s is up to date (%d files)\n", *outDir, p.Unchanged)
			return 0
		}
		report(stderr, *outDir, p)
		fmt.Fprintln(stderr, "generator: the generated tree is out of date: run go generate ./...")
		return 1
	}
	if err := apply(*outDir, files, p); err != nil {
		fmt.Fprintln(stderr, "generator:", err)
		return 1
	}
	fmt.Fprintf(stderr, "generator: %d written, %d unchanged, %d deleted in %s (%v)\n",
		len(p.New)+len(p.Changed), p.Unchanged, len(p.Stale), *outDir, time.Since(start).Round(time.Millisecond))
	return 0
}

func report(w io.Writer, outDir string, p *Plan) {
	for _, n := range p.Changed {
		fmt.Fprintf(w, "changed: %s/%s\n", outDir, n)
	}
	for _, n := range p.New {
		fmt.Fprintf(w, "missing: %s/%s\n", outDir, n)
	}
	for _, n := range p.Stale {
		fmt.Fprintf(w, "stale:   %s/%s\n", outDir, n)
	}
}
