package b24_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

type driveRecord struct {
	ID           int
	NAME         string
	SIZE         string
	DOWNLOAD_URL string
}

// TestUploadDownloadRoundTrip uploads by uploadUrl (a reader of known length, sent with its
// Content-Length, and a pipe, sent chunked), then downloads each file by its DOWNLOAD_URL: the bytes
// come back as they went, under their name, over a webhook and over OAuth.
func TestUploadDownloadRoundTrip(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	for _, mode := range []string{"webhook", "oauth"} {
		c := newClientFor(t, s, mode)
		for i, src := range []func([]byte) io.Reader{
			func(b []byte) io.Reader { return bytes.NewReader(b) },
			func(b []byte) io.Reader {
				pr, pw := io.Pipe()
				go func() { pw.CloseWithError(writeAll(pw, b)) }()
				return pr
			},
		} {
			content := randomBytes(3<<20+17, uint64(i+1))
			name := "отчёт " + mode + ".bin"
			resp, err := c.UploadFile(context.Background(), 8930, name, src(content))
			if err != nil {
				t.Fatalf("%s/%d: %v", mode, i, err)
			}
			var rec driveRecord
			if err := json.Unmarshal(resp.Result, &rec); err != nil {
				t.Fatal(err)
			}
			gotName, stored, ok := s.DriveFile(rec.ID)
			if !ok || gotName != name || !bytes.Equal(stored, content) || rec.SIZE != "3145745" {
				t.Fatalf("%s/%d: stored %q (%d bytes, ok %v), record %+v", mode, i, gotName, len(stored), ok, rec)
			}
			var out bytes.Buffer
			d, err := c.Download(context.Background(), rec.DOWNLOAD_URL, &out)
			if err != nil {
				t.Fatalf("%s/%d: download: %v", mode, i, err)
			}
			if !bytes.Equal(out.Bytes(), content) || d.Name != name || d.Size != int64(len(content)) {
				t.Fatalf("%s/%d: downloaded %d bytes named %q, want %d named %q", mode, i, out.Len(), d.Name, len(content), name)
			}
		}
	}
	var uploads, downloads int
	for _, call := range s.Calls() {
		switch call.Method {
		case "upload":
			uploads++
			if !strings.HasPrefix(call.ContentType, "multipart/form-data") {
				t.Errorf("upload sent as %s", call.ContentType)
			}
		case "download":
			downloads++
			if ua := call.Params["User-Agent"]; ua != "b24gen/"+b24.Version || call.Params["Referer"] != s.URL()+"/" {
				t.Errorf("download headers: %v", call.Params)
			}
		}
	}
	if uploads != 4 || downloads != 4 {
		t.Errorf("%d uploads and %d downloads arrived, want 4 each", uploads, downloads)
	}
}

func writeAll(w io.Writer, b []byte) error {
	for len(b) > 0 {
		n := min(len(b), 64<<10)
		if _, err := w.Write(b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

func newClientFor(t *testing.T, s *b24test.Server, mode string) *b24.Client {
	t.Helper()
	var c *b24.Client
	var err error
	if mode == "oauth" {
		c, err = b24.NewOAuth(s.URL(), s.Token())
	} else {
		c, err = b24.NewWebhook(s.WebhookURL())
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDownloadFileLink fetches a CRM file field's urlMachine, a path with its own auth, and a link
// without one on the REST path, which gets the client's credential.
func TestDownloadFileLink(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	id := s.AddFile("photo.png", []byte("\x89PNG..."))
	for _, mode := range []string{"webhook", "oauth"} {
		var out bytes.Buffer
		d, err := newClientFor(t, s, mode).Download(context.Background(), s.FileLink(id), &out)
		if err != nil || out.String() != "\x89PNG..." || d.Name != "photo.png" {
			t.Errorf("%s: %q %+v %v", mode, out.String(), d, err)
		}
	}
	// a link without auth gets the client's own credential: the webhook path or auth=<token>
	var paths []string
	s.HandleHTTP("catalog.product.download", func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path+" auth="+r.URL.Query().Get("auth"))
		w.Header().Set("Content-Disposition", `attachment; filename="p.png"`)
		_, _ = io.WriteString(w, "picture")
	})
	for _, mode := range []string{"webhook", "oauth"} {
		var out bytes.Buffer
		if _, err := newClientFor(t, s, mode).Download(context.Background(), "/rest/catalog.product.download?fields%5BfileId%5D=6505", &out); err != nil || out.String() != "picture" {
			t.Errorf("%s: %q %v", mode, out.String(), err)
		}
	}
	want := []string{"/rest/1/" + secretOf(s) + "/catalog.product.download auth=", "/rest/catalog.product.download auth=" + s.Token()}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("arrived:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
}

func secretOf(s *b24test.Server) string {
	return s.WebhookURL()[strings.LastIndex(s.WebhookURL(), "/")+1:]
}

// TestDownloadRefused: a technical User-Agent gets the portal's nginx 404 page, an unknown link too;
// the error names neither the link's query nor the credential.
func TestDownloadRefused(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	id := s.AddFile("a.txt", []byte("a"))
	link := s.FileLink(id)
	c, _ := b24.NewWebhook(s.WebhookURL(), b24.WithUserAgent("Go-http-client/1.1"))
	_, err := c.Download(context.Background(), link, io.Discard)
	if !errors.Is(err, b24.ErrDownloadRefused) {
		t.Fatalf("technical User-Agent: %v", err)
	}
	good := newClientFor(t, s, "webhook")
	_, err2 := good.Download(context.Background(), strings.Replace(link, "auth=", "auth=x", 1), io.Discard)
	for _, e := range []error{err, err2} {
		if e == nil || strings.Contains(e.Error(), "auth") || strings.Contains(e.Error(), "disk") || strings.Contains(e.Error(), secretOf(s)) {
			t.Errorf("error %v: want a refusal without the link's query", e)
		}
	}
}

// TestFileLinksStayOnPortal: a download link or an uploadUrl on another host is refused and nothing
// reaches that host (the signed query is a credential).
func TestFileLinksStayOnPortal(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer other.Close()
	s := b24test.New()
	defer s.Close()
	c := newClientFor(t, s, "webhook")
	if _, err := c.Download(context.Background(), other.URL+"/rest/download.json?auth=a&token=disk%7Cx", io.Discard); err == nil || !strings.Contains(err.Error(), "not at the portal") {
		t.Errorf("download elsewhere: %v", err)
	}
	s.Handle("disk.folder.uploadfile", func(b24test.Call) (any, *b24.APIError) {
		return map[string]any{"field": "file", "uploadUrl": other.URL + "/rest/upload.json?auth=a&token=disk%7Cx"}, nil
	})
	if _, err := c.UploadTo(context.Background(), "disk.folder.uploadFile", map[string]any{"id": 1}, "a.txt", strings.NewReader("a")); err == nil || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("upload elsewhere: %v", err)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the other host", n)
	}
}

// TestUploadNotRepeated: under dropped connections and answers lost after the portal stored the
// file, each upload is sent at most once; one that fails says it may have run (ErrMaybeRan), one
// that succeeds is stored once.
func TestUploadNotRepeated(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 7, DropBefore: 0.1, LostAfter: 0.1, Status500: 0.1}))
	defer s.Close()
	c, _ := b24.NewWebhook(s.WebhookURL(), b24.WithRetry(8, 0))
	failed := 0
	for i := range 40 {
		name := fmt.Sprintf("f%02d.txt", i)
		resp, err := c.UploadTo(context.Background(), "disk.folder.uploadFile", map[string]any{"id": 1}, name, strings.NewReader(name))
		if err != nil {
			if !errors.Is(err, b24.ErrMaybeRan) {
				t.Errorf("%s: %v, want ErrMaybeRan", name, err)
			}
			failed++
			continue
		}
		var rec driveRecord
		_ = json.Unmarshal(resp.Result, &rec)
		if got, data, ok := s.DriveFile(rec.ID); !ok || got != name || string(data) != name {
			t.Errorf("%s: stored as %q %q", name, got, data)
		}
	}
	sent := map[string]int{}
	for _, call := range s.Calls() {
		if call.Method == "upload" && call.Params["name"] != nil {
			sent[call.Params["name"].(string)]++
		}
	}
	for name, n := range sent {
		if n > 1 {
			t.Errorf("%s uploaded %d times", name, n)
		}
	}
	if inj := s.FaultsInjected(); failed == 0 || inj["drop"] == 0 || inj["lost"] == 0 || inj["500"] == 0 {
		t.Errorf("the faults were not met: %d failed, injected %v", failed, inj)
	}
}
