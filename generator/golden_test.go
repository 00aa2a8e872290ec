package main

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want trees (and error.txt files) of testdata/ from the current generator")

// TestGolden renders each testdata/<case>/spec and compares the result byte for byte with
// testdata/<case>/want, or, for a case that must fail, its error with testdata/<case>/error.txt.
func TestGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", c.Name())
			got, _, err := Render(ownTree(filepath.Join(dir, "spec")))
			errFile := filepath.Join(dir, "error.txt")
			if err != nil {
				compareError(t, errFile, dir, err)
				return
			}
			if _, statErr := os.Stat(errFile); statErr == nil && !*update {
				t.Fatalf("want an error (%s), got none", errFile)
			}
			compareTree(t, filepath.Join(dir, "want"), got)
		})
	}
}

func compareError(t *testing.T, errFile, dir string, err error) {
	t.Helper()
	// Errors name files as Load was given them; the case folder is cut so error.txt stays portable.
	msg := strings.ReplaceAll(err.Error(), filepath.ToSlash(dir)+"/", "") + "\n"
	if *update {
		if err := os.WriteFile(errFile, []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, readErr := os.ReadFile(errFile)
	if readErr != nil {
		t.Fatalf("unexpected error (no %s): %v", errFile, err)
	}
	if diff := cmp.Diff(string(want), msg); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		b, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

func compareTree(t *testing.T, wantDir string, got map[string][]byte) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(wantDir); err != nil {
			t.Fatal(err)
		}
		for name, b := range got {
			full := filepath.Join(wantDir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, wantDir)
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		w, inWant := want[n]
		g, inGot := got[n]
		switch {
		case !inGot:
			t.Errorf("%s: in want, not generated", n)
		case !inWant:
			t.Errorf("%s: generated, not in want (run go test ./generator -update)", n)
		default:
			if diff := cmp.Diff(string(w), string(g)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", n, diff)
			}
		}
	}
}
