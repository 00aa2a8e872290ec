package recipes

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// TestRecipes runs the recipes against the fake portal.
func TestRecipes(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	ctx := context.Background()
	t.Setenv("B24_URL", s.WebhookURL())
	if err := FirstCall(ctx); err != nil {
		t.Errorf("FirstCall: %v", err)
	}

	client, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s.GenerateRows("crm.deal.list", 6000)
	var out bytes.Buffer
	if err := Export(ctx, client, &out); err != nil {
		t.Errorf("Export: %v", err)
	}
	seen := map[string]bool{}
	for sc := bufio.NewScanner(&out); sc.Scan(); {
		id, _, _ := strings.Cut(sc.Text(), " ")
		if seen[id] {
			t.Errorf("deal %s printed twice", id)
		}
		seen[id] = true
	}
	if len(seen) != 6000 {
		t.Errorf("Export printed %d deals, want 6000", len(seen))
	}

	dir := t.TempDir()
	t.Chdir(dir)
	report := bytes.Repeat([]byte("%PDF report "), 100000)
	if err := os.WriteFile("report.pdf", report, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("ann.png", []byte("PNG"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Files(ctx, client, 8930); err != nil {
		t.Fatalf("Files: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "copy.pdf")); err != nil || !bytes.Equal(got, report) {
		t.Errorf("the downloaded copy differs from the upload (%d bytes, %v)", len(got), err)
	}
	calls := s.Calls()
	if last := calls[len(calls)-1]; last.Method != "note.file.add" || last.Params["fileName"] != "ann.png" {
		t.Errorf("the last call: %s %v", last.Method, last.Params)
	}

	titles := make(chan string, 1)
	srv := httptest.NewServer(Events(client, s.ApplicationToken(), titles))
	defer srv.Close()
	if code, err := s.SendEvent(srv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "5"}}); err != nil || code != http.StatusOK {
		t.Fatalf("event: HTTP %d, %v", code, err)
	}
	select {
	case title := <-titles:
		if title == "" {
			t.Error("the event's deal came back without a title")
		}
	case <-time.After(10 * time.Second):
		t.Error("the event was not handled")
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestReadmeRecipes: every Go block of the README's recipes is a piece of recipes.go, line for line
// (indentation aside), so that what the README shows is what this package compiles and tests.
func TestReadmeRecipes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Recipes\n")
	if !ok {
		t.Fatal("the README has no Recipes section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	src, err := os.ReadFile("recipes.go")
	if err != nil {
		t.Fatal(err)
	}
	code := "\n" + strings.Join(lines(string(src)), "\n") + "\n"
	blocks := goBlock.FindAllStringSubmatch(section, -1)
	if len(blocks) < 3 {
		t.Fatalf("the recipes show %d Go blocks", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(code, "\n"+strings.Join(lines(b[1]), "\n")+"\n") {
			t.Errorf("a Go block of the README's recipes is not in recipes.go:\n%s", b[1])
		}
	}
}

// lines are the non-blank lines of s without their indentation.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
