package main

import (
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

var goExample = regexp.MustCompile("(?s)```go title=\"Go example\"\n(.*?)\n```")

// TestOutputsCompile vets what go vet ./... cannot see: the Go trees of the golden cases (they live
// under testdata/) and the example programs embedded in the docs. Each becomes a package in a
// temporary folder inside this module, so imports of b24 and clikit resolve.
func TestOutputsCompile(t *testing.T) {
	tmp, err := os.MkdirTemp(".", "_compile")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	var pkgs []string
	add := func(dir, name string, src []byte) {
		full := filepath.Join(tmp, dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, src, 0o644); err != nil {
			t.Fatal(err)
		}
		p := "./" + filepath.ToSlash(filepath.Join(tmp, dir))
		if len(pkgs) == 0 || pkgs[len(pkgs)-1] != p {
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
			src = importRe.ReplaceAll(src, []byte(`"github.com/b24gen/b24gen/generator/`+filepath.ToSlash(filepath.Clean(tmp))+`/`+kase+`_$1"`))
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
			continue
		}
		code := string(m[1])
		if kase, _, ok := strings.Cut(strings.TrimPrefix(page, "testdata/"), "/want/"); ok && kase != page {
			code = importRe.ReplaceAllString(code, `"github.com/b24gen/b24gen/generator/`+filepath.ToSlash(filepath.Clean(tmp))+`/`+kase+`_$1"`)
			if !strings.Contains(code, "/generator/_compile") {
				t.Fatalf("%s: import not rewritten (%s):\n%s", page, tmp, code)
			}
		}
		add(fmt.Sprintf("example%03d", i), "main.go", []byte(code+"\n"))
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
		if p := "./" + filepath.ToSlash(filepath.Join(tmp, dir)); !slices.Contains(tested, p) {
			tested = append(tested, p)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("nothing to compile")
	}
	t.Logf("vetting %d packages", len(pkgs))
	cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	if len(tested) > 0 {
		// Only the hand-written tests: the generated TestCalls needs the real spec's fake portal.
		cmd := exec.Command("go", append([]string{"test", "-skip", "^TestCalls$"}, tested...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go test %s: %v\n%s", strings.Join(tested, " "), err, out)
		}
	}
}
