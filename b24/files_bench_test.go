package b24_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

// pattern is a reader of n bytes that holds none of them: what an upload reads from a big file.
type pattern struct{ n int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.n <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(b)), p.n))
	for i := range b[:k] {
		b[i] = byte(i)
	}
	p.n -= int64(k)
	return k, nil
}

// BenchmarkUpload streams 256 MiB to an uploadUrl (a portal that reads and drops the file) through
// UploadTo: its bytes allocated per upload show that the file is never held in memory.
func BenchmarkUpload(b *testing.B) {
	const size = 256 << 20
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rest/upload.json" {
			mr, err := r.MultipartReader()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			part, err := mr.NextPart()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			n, _ := io.Copy(io.Discard, part)
			fmt.Fprintf(w, `{"result":{"ID":1,"SIZE":"%d"},"time":{"start":1,"finish":1}}`, n)
			return
		}
		fmt.Fprintf(w, `{"result":{"field":"file","uploadUrl":"%s/rest/upload.json?auth=a&token=disk%%7Cb"},"time":{"start":1,"finish":1}}`, srv.URL)
	}))
	defer srv.Close()
	c, err := b24.NewWebhook(srv.URL+"/rest/1/secret", b24.WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.UploadTo(context.Background(), "disk.folder.uploadFile", map[string]any{"id": 1}, "big.bin", &pattern{size})
		if err != nil || string(resp.Result) != `{"ID":1,"SIZE":"268435456"}` {
			b.Fatalf("%v %s", err, resp.Result)
		}
	}
}
