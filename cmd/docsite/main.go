// Command docsite builds the static docs site from the generated Markdown pages (generated/docs):
// a page per Markdown page, navigation per namespace and per OpenIntegrations region, search over
// a JSON index of titles, descriptions and keywords in every language, and a link from each page
// to its version in the other language. It needs nothing but Go: goldmark renders the Markdown,
// and the page template, CSS and JavaScript are built in.
//
//	go run ./cmd/docsite -in generated/docs -out bin/site            (make docs)
//	go run ./cmd/docsite -in generated/docs -out bin/site -serve :8080
//
// The output is the same for the same pages; a rebuild writes only the files that changed and
// deletes the ones no page makes any more. It refuses to write into a folder that is neither
// empty nor a site it built.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("docsite", flag.ContinueOnError)
	fl.SetOutput(stderr)
	in := fl.String("in", "generated/docs", "the Markdown tree: one folder per language (en, ru)")
	out := fl.String("out", "bin/site", "the site's folder (made, or a site built before)")
	serve := fl.String("serve", "", "after building, serve the site on this address (:8080)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "docsite: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	start := time.Now()
	written, unchanged, deleted, err := Build(*in, *out)
	if err != nil {
		fmt.Fprintln(stderr, "docsite:", err)
		return 1
	}
	fmt.Fprintf(stderr, "docsite: %d written, %d unchanged, %d deleted in %s (%v)\n",
		written, unchanged, deleted, *out, time.Since(start).Round(time.Millisecond))
	if *serve == "" {
		return 0
	}
	ln, err := net.Listen("tcp", *serve)
	if err != nil {
		fmt.Fprintln(stderr, "docsite:", err)
		return 1
	}
	fmt.Fprintf(stderr, "docsite: serving %s on http://%s/ (Ctrl-C stops)\n", *out, ln.Addr())
	srv := &http.Server{Handler: http.FileServer(http.Dir(*out)), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(stderr, "docsite:", err)
		return 1
	}
	return 0
}
