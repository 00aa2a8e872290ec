package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// head is a valid method file of five lines; cases append to it, so their lines start at 6.
const head = `spec: 1
method: im.a.b
scope: im
kind: read
summary: {en: E, ru: R}
`

// writeTree writes files (path inside the tree → content) into a fresh folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadErrors loads dir and returns its error lines with dir replaced by "T", so that
// the expectations read like the messages users see.
func loadErrors(t *testing.T, dir string) []string {
	t.Helper()
	s, err := Load(dir)
	if err == nil {
		t.Fatalf("Load succeeded, want errors")
	}
	if s != nil {
		t.Errorf("Load returned a Spec along with errors")
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, want ErrorList", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(list) {
		t.Errorf("Error() has %d lines for %d errors", len(lines), len(list))
	}
	for i, l := range lines {
		lines[i] = filepath.ToSlash(strings.ReplaceAll(l, dir, "T"))
	}
	return lines
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			got := loadErrors(t, writeTree(t, tc.files))
			if os.Getenv("SPEC_DUMP") != "" {
				t.Logf("%#v", got)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type errorCase struct {
	name  string
	files map[string]string
	want  []string
}

func TestLoadMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := Load(dir)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("Load(%q) = %v, want one error", dir, err)
	}
	if want := dir + ": cannot read the spec folder: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
}

func TestErrorListFormat(t *testing.T) {
	l := ErrorList{
		{Pos: Pos{File: "spec/im/b.yaml", Line: 3, Col: 1}, Msg: "late"},
		{Pos: Pos{File: "spec/im/a.yaml", Line: 10, Col: 2}, Msg: "second"},
		{Pos: Pos{File: "spec/im/a.yaml", Line: 9, Col: 7}, Msg: "first"},
		{Pos: Pos{File: "spec/im/a.yaml"}, Msg: "whole file"},
	}
	l.sort()
	want := "spec/im/a.yaml: whole file\nspec/im/a.yaml:9:7: first\nspec/im/a.yaml:10:2: second\nspec/im/b.yaml:3:1: late"
	if got := l.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}
