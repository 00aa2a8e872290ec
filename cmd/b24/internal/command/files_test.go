package command

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24test"
)

// TestUploadDownloadCLI: b24 upload streams a file (and stdin) to Drive by uploadUrl and prints the
// record; b24 download saves it under the portal's name, by the link or by --disk-file, never
// printing the link, and does not replace a file without --force.
func TestUploadDownloadCLI(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	dir := t.TempDir()
	content := bytes.Repeat([]byte("строка отчёта\n"), 50000)
	path := filepath.Join(dir, "отчёт.txt")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "upload", path, "--folder", "8930")
	r.check(t, ExitOK)
	var rec struct {
		ID           int
		NAME         string
		DOWNLOAD_URL string
	}
	if err := json.Unmarshal([]byte(r.stdout), &struct{ Result any }{&rec}); err != nil || rec.NAME != "отчёт.txt" {
		t.Fatalf("upload printed %s (%v)", r.stdout, err)
	}
	if name, got, _ := srv.DriveFile(rec.ID); name != "отчёт.txt" || !bytes.Equal(got, content) {
		t.Fatalf("stored %q, %d bytes", name, len(got))
	}

	// stdin needs a name
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"--url", srv.WebhookURL(), "upload", "-", "--storage", "1", "--name", "notes.md"},
		Env{Stdout: &out, Stderr: &errOut, Catalog: (&testCatalog{}).catalog(), Stdin: strings.NewReader("# notes")})
	if code != ExitOK || !strings.Contains(out.String(), `"NAME": "notes.md"`) {
		t.Fatalf("upload from stdin: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	run(t, nil, nil, "--url", srv.WebhookURL(), "upload", "-", "--folder", "1").check(t, ExitUsage)
	run(t, nil, nil, "--url", srv.WebhookURL(), "upload", path).check(t, ExitUsage)
	none := filepath.Join(dir, "none.txt")
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "upload", none, "--folder", "1")
	r.check(t, ExitUsage)
	if want := "b24: upload: cannot read file " + none + ": no such file or directory\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	run(t, nil, nil, "--url", srv.WebhookURL(), "upload", dir, "--folder", "1").check(t, ExitUsage)

	// download by the link, into a folder, under the portal's name
	into := filepath.Join(dir, "in")
	if err := os.Mkdir(into, 0o700); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "download", rec.DOWNLOAD_URL, "--to", into)
	r.check(t, ExitOK)
	saved := filepath.Join(into, "отчёт.txt")
	if got, err := os.ReadFile(saved); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("saved %d bytes (%v)", len(got), err)
	}
	if strings.Contains(r.stdout+r.stderr, "token") || strings.Contains(r.stdout+r.stderr, "auth=") || !strings.Contains(r.stdout, fmt.Sprintf(`"size": %d`, len(content))) {
		t.Errorf("download printed:\n%s%s", r.stdout, r.stderr)
	}
	// a file there already: kept, unless --force
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "download", "--disk-file", "9011", "--to", saved)
	r.check(t, ExitError)
	if !strings.Contains(r.stderr, "exists; --force replaces it") {
		t.Errorf("stderr: %s", r.stderr)
	}
	// said before anything is fetched: a link the portal would refuse is not even tried
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "download", strings.Replace(rec.DOWNLOAD_URL, "token=", "token=x", 1), "--to", saved)
	if r.check(t, ExitError); !strings.Contains(r.stderr, "exists; --force replaces it") {
		t.Errorf("stderr: %s", r.stderr)
	}
	run(t, nil, nil, "--url", srv.WebhookURL(), "download", "--disk-file", "9011", "--to", saved, "--force").check(t, ExitOK)
	if got, _ := os.ReadFile(saved); !bytes.Equal(got, content) {
		t.Errorf("--force saved %d bytes", len(got))
	}
	entries, _ := os.ReadDir(into)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want 1 (no temporary file left)", len(entries))
	}
	// to stdout
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "download", rec.DOWNLOAD_URL, "--to", "-")
	r.check(t, ExitOK)
	if r.stdout != string(content) {
		t.Errorf("stdout: %d bytes", len(r.stdout))
	}
	// an altered link: refused, nothing saved, the link not printed
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "download", strings.Replace(rec.DOWNLOAD_URL, "token=", "token=x", 1), "--to", filepath.Join(dir, "bad"))
	r.check(t, ExitError)
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil || strings.Contains(r.stderr, "token") {
		t.Errorf("altered link: saved, or stderr shows the link: %s", r.stderr)
	}
	run(t, nil, nil, "--url", srv.WebhookURL(), "download").check(t, ExitUsage)
}

// TestUploadFromURL: b24 upload streams a file it fetches by http(s) to the upload URL, named by the
// URL's last path element; a fetch that fails is a usage error and nothing reaches the portal.
func TestUploadFromURL(t *testing.T) {
	content := bytes.Repeat([]byte("remote "), 40000)
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/exports/report.txt" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(content)
	}))
	defer files.Close()
	srv := b24test.New()
	defer srv.Close()
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "upload", files.URL+"/exports/report.txt?sig=secret1", "--folder", "8930")
	r.check(t, ExitOK)
	var rec struct{ ID int }
	if err := json.Unmarshal([]byte(r.stdout), &struct{ Result any }{&rec}); err != nil {
		t.Fatalf("upload printed %s (%v)", r.stdout, err)
	}
	if name, got, _ := srv.DriveFile(rec.ID); name != "report.txt" || !bytes.Equal(got, content) {
		t.Errorf("stored %q, %d bytes", name, len(got))
	}
	srv.ResetCalls()
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "upload", files.URL+"/missing.txt?sig=secret2", "--folder", "8930")
	r.check(t, ExitUsage)
	if want := "b24: upload: cannot fetch " + files.URL + "/missing.txt: HTTP 404\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls after a failed fetch", n)
	}
}
