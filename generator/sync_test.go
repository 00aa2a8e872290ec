package main

import (
	"bytes"
	"github.com/b24gen/b24gen/generator/internal/model"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunWritesOnlyChangesAndDeletesStale drives the command: a first run writes everything, a
// second writes nothing, -check passes; a stale file and an edited file make -check fail and are
// fixed by the next run, which never touches anything outside -out.
func TestRunWritesOnlyChangesAndDeletesStale(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "gen")
	outside := filepath.Join(root, "keep.txt")
	write(t, outside, "not generated")
	spec := filepath.Join("testdata", "basic", "spec")
	var stderr bytes.Buffer
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", spec, "-out", out}, &stderr); rc != 0 {
		t.Fatalf("first run: rc %d: %s", rc, stderr.String())
	}
	stderr.Reset()
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", spec, "-out", out}, &stderr); rc != 0 || !strings.Contains(stderr.String(), " 0 written") {
		t.Fatalf("second run: rc %d: %s", rc, stderr.String())
	}
	stale := filepath.Join(out, "im", "old.gen.go")
	write(t, stale, "package im\n")
	edited := filepath.Join(out, "im", "doc.gen.go")
	write(t, edited, "edited\n")
	stderr.Reset()
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", spec, "-out", out, "-check"}, &stderr); rc != 1 {
		t.Fatalf("-check: rc %d, want 1: %s", rc, stderr.String())
	}
	for _, want := range []string{"stale:   " + filepath.Join(out) + "/im/old.gen.go", "changed: " + out + "/im/doc.gen.go", "run go generate ./..."} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-check output lacks %q:\n%s", want, stderr.String())
		}
	}
	if b, _ := os.ReadFile(edited); string(b) != "edited\n" {
		t.Error("-check wrote a file")
	}
	stderr.Reset()
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", spec, "-out", out}, &stderr); rc != 0 || !strings.Contains(stderr.String(), "1 written") || !strings.Contains(stderr.String(), "1 deleted") {
		t.Fatalf("repair run: rc %d: %s", rc, stderr.String())
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale file survived")
	}
	if _, err := os.Stat(outside); err != nil {
		t.Error("a file outside -out was touched")
	}
	stderr.Reset()
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", spec, "-out", out, "-check"}, &stderr); rc != 0 {
		t.Fatalf("-check after repair: rc %d: %s", rc, stderr.String())
	}
}

// TestOnly: -only generates the namespaces and methods its globs name, and a glob that names
// nothing is a usage error.
func TestOnly(t *testing.T) {
	out := t.TempDir()
	spec := filepath.Join("testdata", "pkgname", "spec")
	var stderr bytes.Buffer
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-spec", spec, "-out", out, "-only", "sonet_group"}, &stderr); rc != 0 {
		t.Fatalf("rc %d: %s", rc, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "cliapi", "doc.gen.go")); !os.IsNotExist(err) {
		t.Error("-only sonet_group wrote the cli namespace")
	}
	if _, err := os.Stat(filepath.Join(out, "sonetgroup", "doc.gen.go")); err != nil {
		t.Error("-only sonet_group did not write its package")
	}
	stderr.Reset()
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-spec", spec, "-out", out, "-only", "sonet_group,nope.*"}, &stderr); rc != 2 || !strings.Contains(stderr.String(), "-only nope.*: no method or namespace") {
		t.Errorf("-only with a glob that names nothing: rc %d, want 2: %s", rc, stderr.String())
	}
}

// TestSpecErrorsOnePerLine: a broken spec exits 1 with every problem on its own line.
func TestSpecErrorsOnePerLine(t *testing.T) {
	var stderr bytes.Buffer
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", filepath.Join("testdata", "collision", "spec"), "-out", t.TempDir()}, &stderr); rc != 1 {
		t.Fatalf("rc %d, want 1", rc)
	}
	if !strings.Contains(stderr.String(), "im.dialogUnread.yaml:2:9: Go name DialogUnread") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestRefusesProjectRoot: pointing -out at a folder with go.mod must not delete its files.
func TestRefusesProjectRoot(t *testing.T) {
	out := t.TempDir()
	write(t, filepath.Join(out, "go.mod"), "module x\n")
	var stderr bytes.Buffer
	if rc := run([]string{"-base", "none", "-import", model.GeneratedPath, "-cli", "-spec", filepath.Join("testdata", "basic", "spec"), "-out", out}, &stderr); rc != 1 {
		t.Fatalf("rc %d, want 1: %s", rc, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "go.mod")); err != nil {
		t.Fatal("go.mod deleted")
	}
}
