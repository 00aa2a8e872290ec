package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var importRe = regexp.MustCompile(`"github.com/b24gen/b24gen/generated/(\w+)"`)

// goExample is a method page's Go program: the Go block under the label "**Go example**".
var goExample = regexp.MustCompile("(?s)\\*\\*Go example\\*\\*\n\n```go\n(.*?)\n```")

// TestOutputsCompile vets what go vet ./... cannot see: the Go trees of the golden cases (they live
// under testdata/) and the example programs embedded in the docs. They go into a temporary module
// outside the source tree, github.com/b24gen/b24gen/generator/_compile, which requires this module
// through a replace directive: below this module's path, its packages may import the internal ones.
// The docs examples are grouped per namespace, each program a function of one package: vet checks
// a few dozen packages instead of one per method.
func TestOutputsCompile(t *testing.T) {
	tmp := t.TempDir()
	const rootPath = "github.com/b24gen/b24gen/generator/_compile/"
	writeModule(t, tmp, strings.TrimSuffix(rootPath, "/"))
	var pkgs []string
	add := func(dir, name string, src []byte) {
		full := filepath.Join(tmp, dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, src, 0o644); err != nil {
			t.Fatal(err)
		}
		if p := "./" + dir; !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	cases, _ := filepath.Glob("testdata/*/want")
	for _, want := range cases {
		kase := filepath.Base(filepath.Dir(want))
		files, _ := filepath.Glob(filepath.Join(want, "*", "*.gen.go"))
		tests, _ := filepath.Glob(filepath.Join(want, "*", "*_gen_test.go"))
		for _, f := range append(files, tests...) {
			if filepath.Base(filepath.Dir(f)) == "cli" {
				continue // its Methods switch calls functions of every namespace: vetted with the real tree
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// The generated tests import their own package: point them at the copy (compiled and
			// vetted only: the fake portal knows the real spec's methods, not the case's).
			src = importRe.ReplaceAll(src, []byte(`"`+rootPath+kase+`_$1"`))
			add(kase+"_"+filepath.Base(filepath.Dir(f)), filepath.Base(f), src)
		}
	}
	// The docs examples of the real tree import the real generated packages; those of the golden
	// cases import the copies made above.
	pages, _ := filepath.Glob("../generated/docs/en/*/*.md")
	golden, _ := filepath.Glob("testdata/*/want/docs/en/*/*.md")
	for i, page := range append(pages, golden...) {
		src, _ := os.ReadFile(page)
		m := goExample.FindSubmatch(src)
		if m == nil {
			if bytes.Contains(src, []byte("func main() {")) {
				t.Fatalf("%s: a Go program the goExample pattern does not find: the page's layout changed", page)
			}
			continue // an index or a helper's page
		}
		code := string(m[1])
		dir := "examples_" + filepath.Base(filepath.Dir(page))
		if kase, _, ok := strings.Cut(strings.TrimPrefix(page, "testdata/"), "/want/"); ok && kase != page {
			code = importRe.ReplaceAllString(code, `"`+rootPath+kase+`_$1"`)
			if !strings.Contains(code, rootPath) {
				t.Fatalf("%s: import not rewritten:\n%s", page, code)
			}
			dir = kase + "_" + dir
		}
		// A program is a function of its namespace's package: a package of its own each would make
		// vet load b24 and its namespace once per method.
		fn := fmt.Sprintf("func example%04d() {", i)
		lib, ok := strings.CutPrefix(code, "package main\n")
		if !ok || strings.Count(lib, "func main() {") != 1 {
			t.Fatalf("%s: the example is not one package main with one func main:\n%s", page, code)
		}
		add(dir, fmt.Sprintf("example%04d.go", i), []byte("package examples\n"+strings.Replace(lib, "func main() {", fn, 1)+"\n"))
	}
	// Hand-written tests of a case (testdata/<case>/extra/<package>/*_test.go) run against its
	// generated package: behaviour the golden bytes alone do not show (lenient decoding, free keys).
	extras, _ := filepath.Glob("testdata/*/extra/*/*_test.go")
	var tested []string
	for _, f := range extras {
		rel := strings.Split(filepath.ToSlash(f), "/") // testdata/<case>/extra/<package>/<file>
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dir := rel[1] + "_" + rel[3]
		add(dir, rel[4], src)
		if p := "./" + dir; !slices.Contains(tested, p) {
			tested = append(tested, p)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("nothing to compile")
	}
	t.Logf("vetting %d packages", len(pkgs))
	cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	if len(tested) > 0 {
		cmd := exec.Command("go", append([]string{"test"}, tested...)...)
		cmd.Dir = tmp
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go test %s: %v\n%s", strings.Join(tested, " "), err, out)
		}
	}
}

// writeModule makes dir the module path: this module's go.mod and go.sum (its requirements, so that
// none is missing) under that path, requiring this module (the folder above) in place.
func writeModule(t *testing.T, dir, path string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// this module's go.mod under another module path, plus the requirement of this module
	rest, ok := strings.CutPrefix(string(mod), "module github.com/b24gen/b24gen\n")
	if !ok {
		t.Fatal("go.mod does not start with this module's path")
	}
	gomod := fmt.Sprintf("module %s\n%s\nrequire github.com/b24gen/b24gen v0.0.0\n\nreplace github.com/b24gen/b24gen => %s\n",
		path, rest, filepath.ToSlash(root))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}
