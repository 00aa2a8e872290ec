package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExampleModule runs examples/custom as a user's module would, in a copy outside this tree: go
// generate builds its client packages from the official spec built into the generator, its own
// method and its overlay; the result must be what the example checks in; its test calls the custom
// method and the overlaid one against b24test; -check reports no drift and a second run changes nothing.
func TestExampleModule(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "examples", "custom")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	gomod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("=> ../.."), []byte("=> "+root), 1)
	if err := os.WriteFile(gomod, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"b24", "docs"} { // go generate must make them
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("generate", "./...")
	for _, d := range []string{"b24", "docs"} {
		if diff := compareDirs(filepath.Join(src, d), filepath.Join(dir, d)); diff != "" {
			t.Errorf("examples/custom/%s is not what go generate gives (run go generate ./... in examples/custom):\n%s", d, diff)
		}
	}
	if out := goCmd("test", "-count=1", "./..."); !strings.Contains(out, "ok  \texample.com/custom") {
		t.Errorf("the example's test did not run:\n%s", out)
	}
	line := regexp.MustCompile(`(?m)^//go:generate go tool generator (.*)$`).FindStringSubmatch(readFile(t, filepath.Join(dir, "generate.go")))
	if line == nil {
		t.Fatal("generate.go has no go:generate line running the generator")
	}
	if out := goCmd(append([]string{"tool", "generator"}, append(strings.Fields(line[1]), "-check")...)...); !strings.Contains(out, "up to date") {
		t.Errorf("-check: %s", out)
	}
	if out := goCmd("generate", "./..."); strings.Count(out, " 0 written, ") != 2 || strings.Count(out, " 0 deleted ") != 2 {
		t.Errorf("a second go generate changed files:\n%s", out)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compareDirs lists the files that differ between two trees, are missing from b or extra in it.
func compareDirs(a, b string) string {
	files := func(root string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				m[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	fa, fb := files(a), files(b)
	var out []string
	for n, x := range fa {
		y, ok := fb[n]
		switch {
		case !ok:
			out = append(out, "missing: "+n)
		case !bytes.Equal(x, y):
			out = append(out, "differs: "+n)
		}
	}
	for n := range fb {
		if _, ok := fa[n]; !ok {
			out = append(out, "extra:   "+n)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
