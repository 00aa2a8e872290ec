// Command generator turns YAML specs of Bitrix24 REST methods into Go client packages, test fixtures
// for b24test and, when asked, the CLI bindings and the Markdown docs. It is the tool of this
// repository (go generate ./... here) and of users' own modules, where it starts from the official
// spec built into it and adds their folders:
//
//	go run github.com/b24gen/b24gen/generator@<version> -spec myspec -only 'crm.item.*,im.dialog.unread' -out b24
//	go run ./generator -base none -spec spec -out generated -docs generated/docs -cli     (this repository)
//	go run ./generator import [-schema upstream/b24-schema] [-spec spec] [-dry-run]
//
// Everything is rendered in memory first; then only files whose bytes changed are written, and files
// the run did not produce are deleted, inside -out (and -docs) only. -check writes nothing and fails
// when the folders on disk differ from the spec.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	b24gen "github.com/b24gen/b24gen"
	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/outdir"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// folders is a repeatable -spec.
type folders []string

func (f *folders) String() string     { return strings.Join(*f, ",") }
func (f *folders) Set(v string) error { *f = append(*f, v); return nil }

func run(args []string, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "import" {
		return runImport(args[1:], stderr) // import_cmd.go
	}
	fl := flag.NewFlagSet("generator", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var specs folders
	fl.Var(&specs, "spec", "a spec folder that adds methods to the base and overlays its methods; repeat it, later folders win")
	base := fl.String("base", "embedded", "the spec the -spec folders add to: embedded (the official spec built into this program) or none")
	onlyList := fl.String("only", "", "comma-separated globs of methods or namespaces to generate (crm.item.*,im.dialog.unread,im); default all")
	outDir := fl.String("out", "generated", "output folder of the Go packages (the generator owns it: stale files are deleted)")
	importPath := fl.String("import", "", "Go import path of -out; default: found from the go.mod above it")
	docsDir := fl.String("docs", "", "output folder of the Markdown pages (owned like -out); default: no pages")
	cli := fl.Bool("cli", false, "also generate the CLI bindings (package cli, which imports clikit)")
	check := fl.Bool("check", false, "write nothing; exit 1 listing the files that would change")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "generator: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	start := time.Now()
	o := Options{CLI: *cli, Docs: *docsDir != ""}
	switch *base {
	case "embedded":
		official, _ := fs.Sub(b24gen.Spec, "spec") // "spec" is the embedded folder
		o.Sources = append(o.Sources, spec.Source{FS: official, Name: "b24gen:spec"})
	case "none":
	default:
		fmt.Fprintf(stderr, "generator: -base: expected embedded or none, got %q\n", *base)
		return 2
	}
	for _, dir := range specs {
		o.Sources = append(o.Sources, spec.Source{FS: os.DirFS(dir), Name: dir})
	}
	if len(o.Sources) == 0 {
		fmt.Fprintln(stderr, "generator: no spec: give -spec DIR, or leave -base embedded")
		return 2
	}
	for _, g := range strings.Split(*onlyList, ",") {
		if g = strings.TrimSpace(g); g != "" {
			o.Only = append(o.Only, g)
		}
	}
	o.Root = *importPath
	if o.Root == "" {
		var err error
		if o.Root, err = modulePath(*outDir); err != nil {
			fmt.Fprintf(stderr, "generator: -out %s: %v; give -import\n", *outDir, err)
			return 2
		}
	}
	files, _, err := Render(o)
	var oe *onlyError
	switch {
	case errors.As(err, &oe):
		fmt.Fprintln(stderr, "generator:", err)
		return 2
	case err != nil:
		// spec.ErrorList prints one "file:line:col: message" per line.
		fmt.Fprintln(stderr, err)
		return 1
	}
	code, docs := split(files)
	targets := []target{{*outDir, code, within(*outDir, *docsDir)}}
	if o.Docs {
		targets = append(targets, target{*docsDir, docs, func(string) bool { return true }})
	}
	changed := false
	for _, t := range targets {
		p, err := outdir.Compare(t.dir, t.files, t.owns)
		if err != nil {
			fmt.Fprintln(stderr, "generator:", err)
			return 1
		}
		if *check {
			if !p.Empty() {
				report(stderr, t.dir, p)
				changed = true
			}
			continue
		}
		if err := outdir.Apply(t.dir, t.files, p); err != nil {
			fmt.Fprintln(stderr, "generator:", err)
			return 1
		}
		fmt.Fprintf(stderr, "generator: %d written, %d unchanged, %d deleted in %s (%v)\n",
			len(p.New)+len(p.Changed), p.Unchanged, len(p.Stale), t.dir, time.Since(start).Round(time.Millisecond))
	}
	if *check {
		if changed {
			fmt.Fprintln(stderr, "generator: the generated tree is out of date: run go generate ./...")
			return 1
		}
		fmt.Fprintf(stderr, "generator: %s is up to date (%d files)\n", *outDir, len(files))
	}
	return 0
}

// target is one folder the run owns: the files it must hold, and owns, when the folder holds another
// target's folder (the docs inside -out), to leave that one alone.
type target struct {
	dir   string
	files map[string][]byte
	owns  func(string) bool
}

// split separates the Markdown pages (docs/…, given relative to -docs) from the code.
func split(files map[string][]byte) (code, docs map[string][]byte) {
	code, docs = map[string][]byte{}, map[string][]byte{}
	for name, b := range files {
		if rest, ok := strings.CutPrefix(name, "docs/"); ok {
			docs[rest] = b
		} else {
			code[name] = b
		}
	}
	return code, docs
}

// within is the ownership test of outDir when docsDir lies inside it: everything but docsDir's files.
func within(outDir, docsDir string) func(string) bool {
	all := func(string) bool { return true }
	if docsDir == "" {
		return all
	}
	rel, err := filepath.Rel(outDir, docsDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return all
	}
	prefix := filepath.ToSlash(rel) + "/"
	return func(name string) bool { return !strings.HasPrefix(name, prefix) }
}

// modulePath is the import path of dir: the module path of the go.mod above it, and dir's place in
// that module.
func modulePath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := moduleLine(b)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, _ := filepath.Rel(d, abs) // both absolute, d above abs
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod in it or above it")
		}
	}
}

// moduleLine is the path of go.mod's module directive.
func moduleLine(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

func report(w io.Writer, outDir string, p *outdir.Plan) {
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
