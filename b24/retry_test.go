package b24_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// dropFirst makes the portal close the connection of the first n calls of method after reading
// them, without an answer: the call may have run.
func dropFirst(t *testing.T, s *b24test.Server, method string, n int32) *atomic.Int32 {
	t.Helper()
	var count atomic.Int32
	s.HandleHTTP(method, func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) > n {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"result": true, "time": {"start": 1}}`))
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	})
	return &count
}

// TestWriteMaybeRan: a write whose connection closed before the answer is sent once and reported as
// may-have-run, matchable with errors.Is and worded for the user.
func TestWriteMaybeRan(t *testing.T) {
	s := newPortal(t)
	count := dropFirst(t, s, "crm.deal.add", 1)
	_, err := webhook(t, s).Do(context.Background(), "crm.deal.add", map[string]any{"fields": map[string]any{"TITLE": "x"}})
	if !errors.Is(err, b24.ErrMaybeRan) {
		t.Fatalf("err = %v, want ErrMaybeRan", err)
	}
	if want := "crm.deal.add: the connection closed before the answer: the call may have run; check before repeating it"; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	if count.Load() != 1 {
		t.Errorf("the write was sent %d times, want once", count.Load())
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("secret in %q", err)
	}
}

// TestReadRetried: the same failure on a read is repeated, and the read succeeds.
func TestReadRetried(t *testing.T) {
	s := newPortal(t)
	count := dropFirst(t, s, "crm.deal.get", 2)
	resp, err := webhook(t, s).Do(context.Background(), "crm.deal.get", map[string]any{"id": 1}, b24.Read())
	if err != nil || string(resp.Result) != "true" {
		t.Fatalf("err = %v, result %s", err, resp.Result)
	}
	if count.Load() != 3 {
		t.Errorf("%d calls, want 3 (two dropped, one answered)", count.Load())
	}
}

// TestServerErrorRules: a server failure may have run, whether the proxy sent an HTML page or the
// portal its JSON error (a read is repeated, a write is not and says why, with the portal's code);
// 503 did not run (repeated for any method); a 5xx whose code is final is not repeated.
func TestServerErrorRules(t *testing.T) {
	const (
		html     = "<html>error</html>"
		internal = `{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}`
		deleted  = `{"error":"PORTAL_DELETED","error_description":"Portal was deleted"}`
		unknown  = `{"error":"SOMETHING_NEW","error_description":"what"}`
	)
	for _, tc := range []struct {
		status    int
		body      string
		read      bool
		wantCalls int
		maybeRan  bool
		code      string // of the *APIError in the chain
	}{
		{500, html, false, 1, true, ""},
		{500, html, true, 2, false, ""},
		{502, html, false, 1, true, ""},
		{503, html, false, 2, false, ""},
		{500, internal, false, 1, true, "INTERNAL_SERVER_ERROR"},
		{500, internal, true, 2, false, ""},
		{504, unknown, false, 1, true, "SOMETHING_NEW"},
		{502, unknown, true, 2, false, ""},
		{500, deleted, true, 1, false, "PORTAL_DELETED"},
		{500, deleted, false, 1, false, "PORTAL_DELETED"},
	} {
		s := newPortal(t)
		var count atomic.Int32
		s.HandleHTTP("crm.deal.update", func(w http.ResponseWriter, r *http.Request) {
			if count.Add(1) == 1 {
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
				return
			}
			w.Write([]byte(`{"result": true}`))
		})
		var opts []b24.CallOption
		if tc.read {
			opts = append(opts, b24.Read())
		}
		_, err := webhook(t, s).Do(context.Background(), "crm.deal.update", nil, opts...)
		var apiErr *b24.APIError
		code := ""
		if errors.As(err, &apiErr) {
			code = apiErr.Code
		}
		if int(count.Load()) != tc.wantCalls || errors.Is(err, b24.ErrMaybeRan) != tc.maybeRan || code != tc.code {
			t.Errorf("HTTP %d %s, read %v: %d calls, err %v; want %d calls, may-have-run %v, code %q",
				tc.status, tc.body, tc.read, count.Load(), err, tc.wantCalls, tc.maybeRan, tc.code)
		}
		if tc.code == "INTERNAL_SERVER_ERROR" {
			want := "crm.deal.update: HTTP 500 INTERNAL_SERVER_ERROR: Internal server error: the call may have run; check before repeating it"
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		}
	}
}

// TestSingleCallWaitsOutTimeLimit: a call refused with OPERATION_TIME_LIMIT waits for the method's
// reset and is sent again; with the waiting turned off it fails at once.
func TestSingleCallWaitsOutTimeLimit(t *testing.T) {
	s := newPortal(t)
	s.FailNext("im.dialog.unread", 1, &b24.APIError{Code: "OPERATION_TIME_LIMIT", Status: 429})
	if _, err := webhook(t, s).Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
		t.Errorf("err = %v", err)
	}
	if n := len(s.Calls()); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	s.ResetCalls()
	s.FailNext("im.dialog.unread", 1, &b24.APIError{Code: "OPERATION_TIME_LIMIT", Status: 429})
	_, err := webhook(t, s, b24.WithOperatingLimit(0)).Do(context.Background(), "im.dialog.unread", unreadParams)
	if !errors.Is(err, b24.ErrOperationTimeLimit) || len(s.Calls()) != 1 {
		t.Errorf("waiting off: err = %v, %d calls", err, len(s.Calls()))
	}
}

// TestLogger: one debug record per request with the method, status, duration and retries; nothing
// secret; nothing at all without a logger.
func TestLogger(t *testing.T) {
	s := newPortal(t)
	s.FailNext("im.dialog.unread", 1, b24test.QueryLimitExceeded())
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := webhook(t, s, b24.WithLogger(l)).Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d records, want 2:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"method=im.dialog.unread", "duration=", "retries=1", "status=200", "operating="} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("record %q lacks %q", lines[1], want)
		}
	}
	if !strings.Contains(lines[0], "QUERY_LIMIT_EXCEEDED") || strings.Contains(buf.String(), secret) {
		t.Errorf("records:\n%s", buf.String())
	}
	var b b24.Batch
	b.Add("a", "im.dialog.unread", unreadParams)
	b.Add("b", "im.dialog.unread", unreadParams)
	buf.Reset()
	if _, err := webhook(t, s, b24.WithLogger(l)).Batch(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "method=batch") || !strings.Contains(buf.String(), "batch=2") {
		t.Errorf("batch record: %s", buf.String())
	}
}

// TestSharedClientKeepsLimit: one client used by many goroutines keeps to the portal's bucket as a
// whole. The portal, with the same bucket, refuses at most a call or two whose requests the network
// bunched up (they are sent again, unseen by the caller); an unpaced client meets refusals by the dozen.
func TestSharedClientKeepsLimit(t *testing.T) {
	refused := func(paced b24.Option, wantAll bool) int {
		s := b24test.New(b24test.WithRateLimit(20, 5))
		defer s.Close()
		c, err := b24.New(s.WebhookURL(), "", b24.WithRetry(b24.DefaultRetries, time.Millisecond), paced)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 5 {
					if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil && wantAll {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		return s.Refused()
	}
	if n := refused(b24.WithRateLimit(20, 5), true); n > 2 {
		t.Errorf("paced like the portal: %d of 40 calls refused", n)
	}
	if n := refused(b24.WithRateLimit(0, 0), false); n < 10 {
		t.Errorf("unpaced: only %d refusals; the test shows nothing", n)
	}
}
