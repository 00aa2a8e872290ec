package b24_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// TestAPI3: a REST 3.0 call goes to /rest/api/ in both auth modes; its error object reaches Go with
// its code (errors.Is) and each field the portal refused; a 3.0-only method called at /rest/ is
// not found there (404), as on a real portal.
func TestAPI3(t *testing.T) {
	s := newPortal(t)
	for _, mode := range []string{"webhook", "oauth"} {
		c := webhook(t, s)
		if mode == "oauth" {
			c = oauth(t, s)
		}
		s.ResetCalls()
		if _, err := c.Do(context.Background(), "main.eventlog.get", map[string]any{"id": 5}, b24.API3()); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if call := s.Calls()[0]; !call.API3 || !strings.HasPrefix(call.Path, "/rest/api/") || call.Auth == "" {
			t.Errorf("%s: path %s, api3 %v, auth %q", mode, call.Path, call.API3, call.Auth)
		}

		_, err := c.Do(context.Background(), "main.eventlog.get", map[string]any{}, b24.API3())
		invalid := &b24.APIError{Code: "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"}
		var apiErr *b24.APIError
		if !errors.Is(err, invalid) || !errors.As(err, &apiErr) || len(apiErr.Validation) != 1 ||
			apiErr.Validation[0] != (b24.FieldError{Field: "id", Message: "Required field `id` is not specified"}) {
			t.Errorf("%s: err %v, validation %+v", mode, err, apiErr)
		}
		if !strings.Contains(err.Error(), "(id: Required field `id` is not specified) (HTTP 400)") {
			t.Errorf("%s: message %q", mode, err)
		}

		_, err = c.Do(context.Background(), "main.eventlog.get", map[string]any{"id": 5})
		if !errors.Is(err, b24.ErrMethodNotFound) || !errors.As(err, &apiErr) || apiErr.Status != 404 {
			t.Errorf("%s: a 3.0 method at /rest/: %v", mode, err)
		}
	}
}

// loseFirst is a transport that sends the first request and loses its answer, as a connection that
// breaks after the portal ran the call; the keys of every request it saw are kept.
type loseFirst struct {
	n    int
	keys []string
}

func (l *loseFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	l.n++
	l.keys = append(l.keys, r.Header.Get("Idempotency-Key"))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && l.n == 1 {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("connection reset by peer")
	}
	return resp, err
}

// TestIdempotentWrites: a REST 3.0 write carries one Idempotency-Key through its tries, so one whose
// answer was lost is sent again and runs once, its second answer the stored one; a server failure
// is not sent again (the portal keeps no failed answer); a caller's key makes two calls one; the
// same key with another body is refused.
func TestIdempotentWrites(t *testing.T) {
	s := newPortal(t)
	lose := &loseFirst{}
	c := webhook(t, s, b24.WithHTTPClient(&http.Client{Transport: lose}), b24.WithRetry(8, time.Millisecond))
	add := map[string]any{"fields": map[string]any{"name": "Notes"}}
	resp, err := c.Do(context.Background(), "note.collection.add", add, b24.API3())
	if err != nil || !resp.Replayed || lose.n != 2 || lose.keys[0] == "" || lose.keys[0] != lose.keys[1] || s.Runs("note.collection.add") != 1 {
		t.Errorf("lost answer: err %v, replayed %v, %d tries with keys %q, %d runs; want 2 tries with one key and 1 run",
			err, resp != nil && resp.Replayed, lose.n, lose.keys, s.Runs("note.collection.add"))
	}

	s.FailNext("note.collection.add", 1, &b24.APIError{Code: "INTERNAL_SERVER_ERROR", Description: "Internal server error", Status: 500})
	_, err = webhook(t, s).Do(context.Background(), "note.collection.add", add, b24.API3())
	if !errors.Is(err, b24.ErrMaybeRan) {
		t.Errorf("a server failure: %v, want may-have-run", err)
	}

	before := s.Runs("note.collection.add")
	c = webhook(t, s)
	for range 2 {
		if _, err := c.Do(context.Background(), "note.collection.add", add, b24.API3(), b24.WithIdempotencyKey("order-42")); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Runs("note.collection.add") - before; n != 1 {
		t.Errorf("two calls with one key ran %d times, want once", n)
	}
	_, err = c.Do(context.Background(), "note.collection.add", map[string]any{"fields": map[string]any{"name": "Other"}}, b24.API3(), b24.WithIdempotencyKey("order-42"))
	if !errors.Is(err, &b24.APIError{Code: "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION"}) {
		t.Errorf("the key with another body: %v", err)
	}
	if _, err := c.Do(context.Background(), "note.collection.add", add, b24.API3(), b24.WithIdempotencyKey("a key")); err == nil {
		t.Errorf("a key with a space was sent")
	}
}
