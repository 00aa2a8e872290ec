package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/google/go-cmp/cmp"
)

type taskRow struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

// TestBatchV3: a batch of REST 3.0 commands goes to /rest/api/batch as a JSON array of
// {method, query, as} in both auth modes; each result is decoded by its key; Ref and RefArray take
// values from earlier commands (the portal fills them in).
func TestBatchV3(t *testing.T) {
	s := newPortal(t)
	s.SetRows("tasks.task.list@3", []json.RawMessage{
		json.RawMessage(`{"id": 3, "title": "a"}`), json.RawMessage(`{"id": 5, "title": "b"}`), json.RawMessage(`{"id": 8, "title": "c"}`),
	})
	for _, mode := range []string{"webhook", "oauth"} {
		t.Run(mode, func(t *testing.T) {
			c := webhook(t, s)
			if mode == "oauth" {
				c = oauth(t, s)
			}
			s.ResetCalls()
			var b b24.Batch
			type page struct{ Items []taskRow }
			first := b24.AddCmd[page](&b, "first", "tasks.task.list", map[string]any{
				"filter": []any{b24.Where("id", "<", 6)}}, b24.Read(), b24.API3())
			same := b24.AddCmd[page](&b, "same", "tasks.task.list", map[string]any{
				"filter": []any{b24.Where("id", "in", b24.RefArray("first.id"))}}, b24.Read(), b24.API3())
			one := b24.AddCmd[json.RawMessage](&b, "one", "main.eventlog.get", map[string]any{
				"id": b24.Ref("first.items.1.id")}, b24.Read(), b24.API3())
			r, err := c.Batch(context.Background(), &b)
			if err != nil {
				t.Fatal(err)
			}
			want := []taskRow{{3, "a"}, {5, "b"}}
			for _, cmd := range []b24.Cmd[page]{first, same} {
				got, err := cmd.Result(r)
				if err != nil || !cmp.Equal(want, got.Items) {
					t.Errorf("%s: %+v, %v", cmd.Key(), got.Items, err)
				}
			}
			if raw, err := one.Result(r); err != nil || !strings.Contains(string(raw), `"item"`) {
				t.Errorf("one: %s, %v", raw, err)
			}
			calls := s.Calls()
			if len(calls) != 4 || calls[0].Method != "batch" || !calls[0].API3 || !strings.HasPrefix(calls[0].Path, "/rest/api/") {
				t.Fatalf("calls %+v", calls)
			}
			var body []map[string]any
			if err := json.Unmarshal(calls[0].Body, &body); err != nil || len(body) != 3 || body[0]["method"] != "tasks.task.list" || body[2]["as"] != "one" {
				t.Errorf("body %s: %v", calls[0].Body, err)
			}
			sub := subCalls(s)
			if got := fmt.Sprint(sub["same"].Params["filter"]); got != "[[id in [3 5]]]" {
				t.Errorf("same's filter as run: %s", got)
			}
			if got := fmt.Sprint(sub["one"].Params["id"]); got != "5" || !sub["one"].API3 {
				t.Errorf("one's id as run: %s (api3 %v)", got, sub["one"].API3)
			}
		})
	}
}

// TestBatchV3Fails: a 3.0 batch is all or nothing. A failing command fails the request with its
// error (the validation list reaches Go); the commands before it ran, so a batch holding a write
// says they may have run and is not sent again; a batch of reads is sent again when its answer was
// lost. A reference that leads nowhere fails the batch as the portal does.
func TestBatchV3Fails(t *testing.T) {
	s := newPortal(t)
	c := webhook(t, s)
	var b b24.Batch
	add := b24.AddCmd[json.RawMessage](&b, "add", "note.collection.add", map[string]any{"fields": map[string]any{"name": "N"}}, b24.API3())
	b24.AddCmd[json.RawMessage](&b, "get", "main.eventlog.get", map[string]any{}, b24.Read(), b24.API3())
	r, err := c.Batch(context.Background(), &b)
	var apiErr *b24.APIError
	if !errors.Is(err, b24.ErrMaybeRan) || !errors.As(err, &apiErr) || len(apiErr.Validation) != 1 || apiErr.Validation[0].Field != "id" {
		t.Fatalf("err = %v", err)
	}
	if d := cmp.Diff([]string{"add", "get"}, r.MaybeRan); d != "" {
		t.Errorf("MaybeRan (-want +got):\n%s", d)
	}
	if _, err := add.Result(r); !errors.Is(err, b24.ErrMaybeRan) {
		t.Errorf("add's result: %v", err)
	}
	if s.Runs("note.collection.add") != 1 || batchRequests(s) != 1 {
		t.Errorf("note.collection.add ran %d times in %d batch requests, want 1 in 1", s.Runs("note.collection.add"), batchRequests(s))
	}

	s.ResetCalls()
	var refs b24.Batch
	refs.AddRead("x", "main.eventlog.get", map[string]any{"id": 5}) // a 2.0 command
	b24.AddCmd[json.RawMessage](&refs, "y", "main.eventlog.get", map[string]any{"id": 5}, b24.Read(), b24.API3())
	if _, err := c.Batch(context.Background(), &refs); err == nil || !strings.Contains(err.Error(), "a batch holds one generation") {
		t.Errorf("mixed generations: %v", err)
	}
	var bad b24.Batch
	b24.AddCmd[json.RawMessage](&bad, "y", "main.eventlog.get", map[string]any{"id": b24.Ref("x.item.id")}, b24.Read(), b24.API3())
	if _, err := c.Batch(context.Background(), &bad); err == nil || !strings.Contains(err.Error(), `no command before it has the key "x"`) {
		t.Errorf("a reference to no command: %v", err)
	}
	var keyed b24.Batch
	b24.AddCmd[json.RawMessage](&keyed, "y", "note.collection.add", map[string]any{"fields": map[string]any{"name": "N"}}, b24.API3())
	if _, err := c.Batch(context.Background(), &keyed, b24.WithIdempotencyKey("k1")); err == nil || !strings.Contains(err.Error(), "takes no Idempotency-Key") {
		t.Errorf("a key on a batch: %v", err)
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d requests sent for batches refused before sending", n)
	}

	var unresolved b24.Batch
	b24.AddCmd[json.RawMessage](&unresolved, "x", "main.eventlog.get", map[string]any{"id": 5}, b24.Read(), b24.API3())
	b24.AddCmd[json.RawMessage](&unresolved, "y", "main.eventlog.get", map[string]any{"id": b24.Ref("x.item.nothing")}, b24.Read(), b24.API3())
	_, err = c.Batch(context.Background(), &unresolved)
	if !errors.Is(err, &b24.APIError{Code: "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION"}) || errors.Is(err, b24.ErrMaybeRan) {
		t.Errorf("an unresolved reference: %v", err)
	}

	lose := &loseFirst{}
	lossy := webhook(t, s, b24.WithHTTPClient(&http.Client{Transport: lose}), b24.WithRetry(3, time.Millisecond))
	var reads b24.Batch
	got := b24.AddCmd[json.RawMessage](&reads, "x", "main.eventlog.get", map[string]any{"id": 5}, b24.Read(), b24.API3())
	r, err = lossy.Batch(context.Background(), &reads)
	if _, rerr := got.Result(r); err != nil || rerr != nil || lose.n != 2 || lose.keys[0] != "" {
		t.Errorf("a batch of reads whose answer was lost: %v, %v, %d requests, key %q", err, rerr, lose.n, lose.keys[0])
	}
	lose.n = 0
	before := s.Runs("note.collection.add")
	var writes b24.Batch
	b24.AddCmd[json.RawMessage](&writes, "w", "note.collection.add", map[string]any{"fields": map[string]any{"name": "N"}}, b24.API3())
	if _, err = lossy.Batch(context.Background(), &writes); !errors.Is(err, b24.ErrMaybeRan) || lose.n != 1 || s.Runs("note.collection.add") != before+1 {
		t.Errorf("a batch of writes whose answer was lost: %v, %d requests, %d runs", err, lose.n, s.Runs("note.collection.add")-before)
	}
}

// TestBatchV3Chunks: more than 50 commands go in several requests; a reference reaches only its own.
func TestBatchV3Chunks(t *testing.T) {
	s := newPortal(t)
	var b b24.Batch
	for i := range 60 {
		b24.AddCmd[json.RawMessage](&b, fmt.Sprintf("c%d", i), "main.eventlog.get", map[string]any{"id": i + 1}, b24.Read(), b24.API3())
	}
	r, err := webhook(t, s).Batch(context.Background(), &b)
	if err != nil || len(r.Results) != 60 || batchRequests(s) != 2 {
		t.Fatalf("%d results in %d requests: %v", len(r.Results), batchRequests(s), err)
	}
	b24.AddCmd[json.RawMessage](&b, "late", "main.eventlog.get", map[string]any{"id": b24.Ref("c0.item.id")}, b24.Read(), b24.API3())
	if _, err := webhook(t, s).Batch(context.Background(), &b); err == nil || !strings.Contains(err.Error(), "reaches only its own request") {
		t.Errorf("a reference across requests: %v", err)
	}
}
