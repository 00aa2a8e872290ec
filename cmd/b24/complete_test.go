package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

// complete runs `b24 __complete args...` in-process with the generated catalog and returns the
// candidate words and the directive line.
func complete(t testing.TB, args ...string) ([]string, string) {
	t.Helper()
	var out bytes.Buffer
	code := command.Run(context.Background(), append([]string{"__complete"}, args...), command.Env{Stdout: &out, Catalog: catalog()})
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var words []string
	for _, l := range lines[:len(lines)-1] {
		w, _, _ := strings.Cut(l, "\t")
		words = append(words, w)
	}
	return words, lines[len(lines)-1]
}

var builtin = map[string]bool{"auth": true, "batch": true, "bitrix24": true, "call": true, "completion": true, "help": true, "listen": true, "mcp": true, "upload": true, "download": true}

// TestCompleteCatalog: completion of the real methods and OPI functions.
func TestCompleteCatalog(t *testing.T) {
	words, dir := complete(t, "crm.deal.")
	for _, w := range []string{"crm.deal.add", "crm.deal.list", "crm.deal.productrows."} {
		if !slices.Contains(words, w) {
			t.Errorf("crm.deal. lacks %s: %v", w, words)
		}
	}
	if dir != ":6" {
		t.Errorf("directive %s, want :6 (no space after a part, no files)", dir)
	}
	words, _ = complete(t, "crm.deal.list", "--fil")
	if !slices.Equal(words, []string{"--filter"}) {
		t.Errorf("crm.deal.list --fil: %v", words)
	}
	words, _ = complete(t, "bitrix24", "GetTask")
	if !slices.Contains(words, "GetTask") || !slices.Contains(words, "GetTasksList") {
		t.Errorf("bitrix24 GetTask: %v", words)
	}
	words, _ = complete(t, "bitrix24", "ПолучитьЗадач")
	if !slices.Contains(words, "ПолучитьЗадачу") {
		t.Errorf("bitrix24 ПолучитьЗадач: %v", words)
	}
	// Every method is reachable part by part from the empty word.
	var reached []string
	queue := []string{""}
	for len(queue) > 0 {
		prefix := queue[0]
		queue = queue[1:]
		words, _ := complete(t, prefix)
		for _, w := range words {
			switch {
			case strings.HasSuffix(w, "."):
				queue = append(queue, w)
			case prefix != "" || !builtin[w]:
				reached = append(reached, w) // also methods without a dot: profile, methods
			}
		}
	}
	var all []string
	for _, s := range catalog().Stubs() {
		all = append(all, s.Name)
	}
	sort.Strings(reached)
	sort.Strings(all)
	if !slices.Equal(reached, all) {
		t.Errorf("reached %d of %d methods", len(reached), len(all))
	}
}

// BenchmarkCompleteMethod: completing crm.deal. among every method, in-process and as the shell
// does it, by running the built b24 (the wall time includes starting the process; budget 50 ms).
func BenchmarkCompleteMethod(b *testing.B) {
	b.Run("in-process", func(b *testing.B) {
		for b.Loop() {
			complete(b, "crm.deal.")
		}
	})
	b.Run("binary", func(b *testing.B) {
		bin := filepath.Join(b.TempDir(), "b24")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
		var walls []time.Duration
		for b.Loop() {
			start := time.Now()
			out, err := exec.Command(bin, "__complete", "crm.deal.").Output()
			walls = append(walls, time.Since(start))
			if err != nil || !bytes.Contains(out, []byte("crm.deal.list\t")) {
				b.Fatalf("%v\n%s", err, out)
			}
		}
		slices.Sort(walls)
		b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "ms-median")
	})
}
