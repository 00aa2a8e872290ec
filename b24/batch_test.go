package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/google/go-cmp/cmp"
)

// batchPortal answers x.add with 42, x.echo with its params, x.list with a page and x.fail with an error.
func batchPortal(t *testing.T) *b24test.Server {
	s := newPortal(t)
	s.Handle("x.add", func(b24test.Call) (any, *b24.APIError) { return 42, nil })
	s.Handle("x.echo", func(c b24test.Call) (any, *b24.APIError) { return c.Params, nil })
	s.Handle("x.list", func(b24test.Call) (any, *b24.APIError) {
		return b24test.Page([]map[string]any{{"ID": "7"}, {"ID": "8"}}, 120, 50), nil
	})
	s.Handle("x.fail", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"}
	})
	return s
}

// subCalls are the batch commands the portal ran, by key.
func subCalls(s *b24test.Server) map[string]b24test.Call {
	out := map[string]b24test.Call{}
	for _, c := range s.Calls() {
		if c.BatchKey != "" {
			out[c.BatchKey] = c
		}
	}
	return out
}

func batchRequests(s *b24test.Server) int {
	n := 0
	for _, c := range s.Calls() {
		if c.Method == "batch" {
			n++
		}
	}
	return n
}

func TestBatch(t *testing.T) {
	for _, mode := range []string{"webhook", "oauth"} {
		t.Run(mode, func(t *testing.T) {
			s := batchPortal(t)
			c := webhook(t, s)
			if mode == "oauth" {
				c = oauth(t, s)
			}
			var b b24.Batch
			b.Add("deal", "x.add", map[string]any{"fields": map[string]any{"TITLE": "A & B?", "OPENED": true, "TAGS": []string{"x", "y"}, "NONE": nil}})
			b.Add("list", "x.list", nil)
			b.Add("use", "x.echo", map[string]any{"ID": "$result[deal]", "NOTE": "deal $result[deal], first $result[list][0][ID]", "NEXT": "$next[list]"})
			b.Add("bad", "x.fail", nil)
			b.Add("after", "x.echo", struct {
				ID int `json:"id"`
			}{5})
			r, err := c.Batch(context.Background(), &b)
			if err != nil {
				t.Fatal(err)
			}
			if n := batchRequests(s); n != 1 {
				t.Errorf("%d batch requests, want 1", n)
			}
			var id b24.Int
			if err := r.Decode("deal", &id); err != nil || id != 42 {
				t.Errorf("deal: %v, %v", id, err)
			}
			var use map[string]any
			if err := r.Decode("use", &use); err != nil {
				t.Fatal(err)
			}
			// a value that is one whole reference takes the value as it is (a number here)
			want := map[string]any{"ID": 42.0, "NOTE": "deal 42, first 7", "NEXT": 50.0}
			if d := cmp.Diff(want, use); d != "" {
				t.Errorf("references (-want +got):\n%s", d)
			}
			if r.Total["list"] != 120 || r.Next["list"] != 50 {
				t.Errorf("list paging: total %v next %v", r.Total, r.Next)
			}
			var apiErr *b24.APIError
			if err := r.Decode("bad", new(any)); !errors.As(err, &apiErr) || !errors.Is(err, b24.ErrAccessDenied) {
				t.Errorf("bad: %v", err)
			}
			if _, ran := r.Results["after"]; !ran || len(r.NotRun) != 0 {
				t.Errorf("without Halt every command runs: results %v, not run %v", r.Results, r.NotRun)
			}
			got := subCalls(s)
			fields, _ := got["deal"].Params["fields"].(map[string]any)
			if d := cmp.Diff(map[string]any{"TITLE": "A & B?", "OPENED": "1", "TAGS": []any{"x", "y"}}, fields); d != "" {
				t.Errorf("fields as the portal read them (-want +got):\n%s", d)
			}
			if got["after"].Params["id"] != "5" {
				t.Errorf("a struct's params: %v", got["after"].Params)
			}
			if got["deal"].Auth != map[string]string{"webhook": "webhook", "oauth": "token"}[mode] {
				t.Errorf("sub-call auth %q", got["deal"].Auth)
			}
		})
	}
}

func TestBatchHalt(t *testing.T) {
	s := batchPortal(t)
	b := b24.Batch{Halt: true}
	b.Add("one", "x.add", nil)
	b.Add("bad", "x.fail", nil)
	b.Add("two", "x.add", nil)
	r, err := webhook(t, s).Batch(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"two"}, r.NotRun); d != "" {
		t.Errorf("NotRun (-want +got):\n%s", d)
	}
	if _, ran := subCalls(s)["two"]; ran {
		t.Error("the portal ran a command after the failure with halt")
	}
	if err := r.Decode("two", new(any)); err == nil || !strings.Contains(err.Error(), "did not run") {
		t.Errorf("Decode of a command that did not run: %v", err)
	}
	if err := r.Decode("nope", new(any)); err == nil || !strings.Contains(err.Error(), `no command "nope"`) {
		t.Errorf("Decode of an unknown key: %v", err)
	}
}

// TestBatchChunks: more than 50 commands go in requests of 50, in order; with Halt, a failure stops
// the requests after it.
func TestBatchChunks(t *testing.T) {
	s := batchPortal(t)
	var b b24.Batch
	for i := range 120 {
		b.Add(fmt.Sprintf("c%d", i), "x.echo", map[string]any{"N": i})
	}
	r, err := webhook(t, s).Batch(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	if n := batchRequests(s); n != 3 {
		t.Errorf("%d requests for 120 commands, want 3", n)
	}
	if len(r.Results) != 120 || len(r.Errors) != 0 {
		t.Errorf("%d results, %d errors", len(r.Results), len(r.Errors))
	}
	var last map[string]string
	if err := r.Decode("c119", &last); err != nil || last["N"] != "119" {
		t.Errorf("c119: %v %v", last, err)
	}

	s.ResetCalls()
	h := b24.Batch{Halt: true}
	for i := range 120 {
		method := "x.add"
		if i == 10 {
			method = "x.fail"
		}
		h.Add(fmt.Sprintf("c%d", i), method, nil)
	}
	r, err = webhook(t, s).Batch(context.Background(), &h)
	if err != nil {
		t.Fatal(err)
	}
	if n := batchRequests(s); n != 1 {
		t.Errorf("%d requests after a failure with Halt, want 1", n)
	}
	if len(r.Results) != 10 || len(r.NotRun) != 109 || r.NotRun[0] != "c11" {
		t.Errorf("results %d, not run %d (first %q)", len(r.Results), len(r.NotRun), r.NotRun[0])
	}
}

// TestBatchRejected: mistakes are errors before anything is sent.
func TestBatchRejected(t *testing.T) {
	s := batchPortal(t)
	long := b24.Batch{}
	for i := range 60 {
		long.Add(fmt.Sprintf("c%d", i), "x.add", nil)
	}
	long.Add("late", "x.echo", map[string]any{"ID": "$result[c3]"})
	for name, tc := range map[string]struct {
		add  func(*b24.Batch)
		want string
	}{
		"empty":      {func(*b24.Batch) {}, "batch: no commands"},
		"bad key":    {func(b *b24.Batch) { b.Add("a b", "x.add", nil) }, `command key "a b"`},
		"duplicate":  {func(b *b24.Batch) { b.Add("a", "x.add", nil); b.Add("a", "x.add", nil) }, `"a" is used twice`},
		"nested":     {func(b *b24.Batch) { b.Add("a", "BATCH", nil) }, "cannot contain a batch"},
		"bad method": {func(b *b24.Batch) { b.Add("a", "x.add?y=1", nil) }, "only letters"},
		"scalar":     {func(b *b24.Batch) { b.Add("a", "x.add", json.RawMessage(`5`)) }, "want a JSON object or array"},
		"far ref":    {func(b *b24.Batch) { *b = long }, "late: refers to c3, which goes in an earlier request"},
	} {
		t.Run(name, func(t *testing.T) {
			var b b24.Batch
			tc.add(&b)
			_, err := webhook(t, s).Batch(context.Background(), &b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if n := len(s.Calls()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestBatchNumericKeys: PHP encodes a map keyed 0..n-1 as a list; results still come back by key.
func TestBatchNumericKeys(t *testing.T) {
	s := batchPortal(t)
	var b b24.Batch
	b.Add("0", "x.add", nil)
	b.Add("1", "x.echo", map[string]any{"ID": "$result[0]"})
	r, err := webhook(t, s).Batch(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	var echo map[string]b24.Int
	if err := r.Decode("1", &echo); err != nil || echo["ID"] != 42 {
		t.Errorf("1: %v %v", echo, err)
	}
}

// TestBatchRequestFails: a request that fails as a whole is the error; the results of earlier
// requests stay.
func TestBatchRequestFails(t *testing.T) {
	s := batchPortal(t)
	var b b24.Batch
	for i := range 60 {
		b.Add(fmt.Sprintf("c%d", i), "x.add", nil)
	}
	calls := 0
	s.Handle("batch", func(c b24test.Call) (any, *b24.APIError) {
		calls++
		if calls == 2 {
			return nil, &b24.APIError{Code: "INTERNAL_SERVER_ERROR", Status: 500}
		}
		res := map[string]any{}
		for i := range 50 {
			res[fmt.Sprintf("c%d", i)] = 1
		}
		return map[string]any{"result": res, "result_error": []any{}}, nil
	})
	r, err := webhook(t, s).Batch(context.Background(), &b)
	if !errors.Is(err, &b24.APIError{Code: "INTERNAL_SERVER_ERROR"}) {
		t.Fatalf("err = %v", err)
	}
	if r == nil || len(r.Results) != 50 {
		t.Errorf("results of the first request: %v", r)
	}
}

type cmdParams struct {
	ID int `json:"id,omitzero"`
}

func (*cmdParams) RequiredParams() []string { return []string{"id"} }

// TestBatchCmd: a typed command decodes its own result; a failed one gives its *APIError, one whose
// result does not fit a *ResultError; mistakes are errors, never panics.
func TestBatchCmd(t *testing.T) {
	s := batchPortal(t)
	c := webhook(t, s)
	var b b24.Batch
	add := b24.AddCmd[b24.Int](&b, "deal", "x.add", nil)
	echo := b24.AddCmd[struct{ ID b24.Int }](&b, "echo", "x.echo", &cmdParams{ID: 5}, b24.Read())
	bad := b24.AddCmd[b24.Int](&b, "bad", "x.fail", nil)
	misfit := b24.AddCmd[[]string](&b, "misfit", "x.add", nil)
	r, err := c.Batch(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := add.Result(r); err != nil || id != 42 || add.Key() != "deal" {
		t.Errorf("deal: %v, %v", id, err)
	}
	if v, err := echo.Result(r); err != nil || v.ID != 5 {
		t.Errorf("echo: %+v, %v", v, err)
	}
	if _, err := bad.Result(r); !errors.Is(err, b24.ErrAccessDenied) {
		t.Errorf("bad: %v", err)
	}
	var re *b24.ResultError
	if _, err := misfit.Result(r); !errors.As(err, &re) || string(re.Raw) != "42" || !strings.Contains(err.Error(), "batch misfit (x.add)") {
		t.Errorf("misfit: %v", err)
	}
	if _, err := add.Result(nil); err == nil || !strings.Contains(err.Error(), "no result") {
		t.Errorf("nil result: %v", err)
	}
	if _, err := b24.AddCmd[int](nil, "k", "x.add", nil).Result(r); err == nil || !strings.Contains(err.Error(), "nil *Batch") {
		t.Errorf("nil batch: %v", err)
	}
	if _, err := c.Batch(context.Background(), nil); err == nil {
		t.Error("a nil *Batch is no error")
	}

	s.ResetCalls()
	var o b24.Batch
	b24.AddCmd[int](&o, "k", "x.add", nil, b24.WithCallTimeout(time.Second))
	if _, err := c.Batch(context.Background(), &o); err == nil || !strings.Contains(err.Error(), "only b24.Read() and b24.API3() apply") {
		t.Errorf("a call option on a command: %v", err)
	}
	var req b24.Batch
	b24.AddCmd[int](&req, "ok", "x.add", nil)
	unset := b24.AddCmd[int](&req, "unset", "x.echo", &cmdParams{}, b24.Read())
	r, err = c.Batch(context.Background(), &req)
	if !errors.Is(err, b24.ErrRequired) || !strings.Contains(err.Error(), "batch unset: x.echo: params: id is required") {
		t.Errorf("required: %v", err)
	}
	if d := cmp.Diff([]string{"ok", "unset"}, r.NotSent); d != "" || len(r.MaybeRan) != 0 {
		t.Errorf("NotSent (-want +got):\n%s", d)
	}
	if _, err := unset.Result(r); err == nil || !strings.Contains(err.Error(), "unset was not sent") {
		t.Errorf("unset: %v", err)
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestBatchCmdGenerated: the Cmd functions of a generated package add typed commands that decode
// what the fake portal's batch returns; a reference passed through Extra counts as the required id.
func TestBatchCmdGenerated(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	svc := crm.New(c)
	var b b24.Batch
	add := svc.DealAddCmd(&b, "deal", &crm.DealAddParams{Fields: &crm.DealAddFields{Title: b24.Ptr("New deal")}})
	get := svc.DealGetCmd(&b, "get", &crm.DealGetParams{Extra: map[string]any{"id": "$result[deal]"}})
	upd := svc.DealUpdateCmd(&b, "upd", &crm.DealUpdateParams{ID: 7, Fields: &crm.DealUpdateFields{Title: b24.Ptr("Renamed")}})
	r, err := c.Batch(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	id, err := add.Result(r)
	if err != nil || id == 0 {
		t.Errorf("deal: %v, %v", id, err)
	}
	if deal, err := get.Result(r); err != nil || deal.ID == 0 {
		t.Errorf("get: %+v, %v", deal, err)
	}
	if ok, err := upd.Result(r); err != nil || !bool(ok) {
		t.Errorf("upd: %v, %v", ok, err)
	}
	calls := subCalls(s)
	if got := fmt.Sprint(calls["get"].Params["id"]); got != fmt.Sprint(int(id)) {
		t.Errorf("get ran with id %s, want the deal's %d", got, id)
	}
	if calls["deal"].Method != "crm.deal.add" || calls["upd"].Method != "crm.deal.update" {
		t.Errorf("calls %+v", calls)
	}

	var missing b24.Batch
	svc.DealGetCmd(&missing, "get", &crm.DealGetParams{})
	if _, err := c.Batch(context.Background(), &missing); !errors.Is(err, b24.ErrRequired) {
		t.Errorf("a generated command without its required id: %v", err)
	}
}

// answerBatch writes the answer of a batch request whose commands keys all returned 1.
func answerBatch(w http.ResponseWriter, keys []string) {
	res := map[string]int{}
	for _, k := range keys {
		res[k] = 1
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"result": res, "result_error": []any{}}})
}

func keys(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("c%d", i))
	}
	return out
}

func badGateway(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
}

// TestBatchRequestMaybeRan: when a request fails as a whole after it was sent (an HTML 502, the
// connection closed before the answer), its commands may have run and the later ones were not
// sent; the error says how many of each, matches ErrMaybeRan, and nothing is sent again.
func TestBatchRequestMaybeRan(t *testing.T) {
	for name, fail := range map[string]http.HandlerFunc{
		"502": badGateway,
		"closed": func(w http.ResponseWriter, _ *http.Request) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := batchPortal(t)
			var n atomic.Int32
			s.HandleHTTP("batch", func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					answerBatch(w, keys(0, 50))
					return
				}
				fail(w, r)
			})
			var b b24.Batch
			for _, k := range keys(0, 120) {
				b.Add(k, "x.add", nil)
			}
			r, err := webhook(t, s).Batch(context.Background(), &b)
			if !errors.Is(err, b24.ErrMaybeRan) || !strings.Contains(err.Error(), "batch request 2 of 3 failed (50 commands may have run, 20 not sent)") {
				t.Fatalf("err = %v", err)
			}
			if len(r.Results) != 50 {
				t.Errorf("%d results of the first request, want 50", len(r.Results))
			}
			if d := cmp.Diff(keys(50, 100), r.MaybeRan); d != "" {
				t.Errorf("MaybeRan (-want +got):\n%s", d)
			}
			if d := cmp.Diff(keys(100, 120), r.NotSent); d != "" {
				t.Errorf("NotSent (-want +got):\n%s", d)
			}
			if got := n.Load(); got != 2 {
				t.Errorf("%d batch requests, want 2: a request that may have run is never sent again", got)
			}
			if err := r.Decode("c60", new(int)); !errors.Is(err, b24.ErrMaybeRan) {
				t.Errorf("Decode of a command that may have run: %v", err)
			}
			if err := r.Decode("c110", new(int)); err == nil || !strings.Contains(err.Error(), "c110 was not sent") {
				t.Errorf("Decode of a command not sent: %v", err)
			}
		})
	}
}

// TestBatchRequestRefused: a request the portal refused before running it leaves its commands in
// NotSent with the later ones; the error is the refusal's and does not match ErrMaybeRan.
func TestBatchRequestRefused(t *testing.T) {
	s := batchPortal(t)
	s.FailNext("batch", 1, b24test.QueryLimitExceeded())
	var b b24.Batch
	for _, k := range keys(0, 60) {
		b.Add(k, "x.add", nil)
	}
	r, err := webhook(t, s, b24.WithRetry(0, 0)).Batch(context.Background(), &b)
	if !errors.Is(err, b24.ErrQueryLimitExceeded) || errors.Is(err, b24.ErrMaybeRan) ||
		!strings.Contains(err.Error(), "batch request 1 of 2 failed (0 commands may have run, 60 not sent)") {
		t.Fatalf("err = %v", err)
	}
	if d := cmp.Diff(keys(0, 60), r.NotSent); d != "" || len(r.MaybeRan) != 0 {
		t.Errorf("NotSent (-want +got):\n%s\nMaybeRan %v", d, r.MaybeRan)
	}
	if n := batchRequests(s); n != 1 {
		t.Errorf("%d batch requests, want 1", n)
	}

	// a context that ended before a request sends nothing more
	s.ResetCalls()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err = webhook(t, s).Batch(ctx, &b)
	if !errors.Is(err, context.Canceled) || len(r.NotSent) != 60 || len(r.MaybeRan) != 0 || len(s.Calls()) != 0 {
		t.Errorf("done context: err %v, not sent %d, may have run %d, %d requests", err, len(r.NotSent), len(r.MaybeRan), len(s.Calls()))
	}
}

// TestBatchReadKind: a request of reads only is sent as a Read call, which Do sends again after a
// 502; one write in it makes it a write, also when the caller passes Read().
func TestBatchReadKind(t *testing.T) {
	for _, tc := range []struct {
		name     string
		readA    bool
		readB    bool
		opts     []b24.CallOption
		requests int32
	}{
		{"reads", true, true, nil, 2},
		{"a write among reads", true, false, nil, 1},
		{"writes with Read()", false, false, []b24.CallOption{b24.Read()}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := batchPortal(t)
			var n atomic.Int32
			s.HandleHTTP("batch", func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					badGateway(w, r)
					return
				}
				answerBatch(w, []string{"a", "b"})
			})
			var b b24.Batch
			for k, read := range map[string]bool{"a": tc.readA, "b": tc.readB} {
				if read {
					b.AddRead(k, "x.echo", nil)
				} else {
					b.Add(k, "x.add", nil)
				}
			}
			r, err := webhook(t, s).Batch(context.Background(), &b, tc.opts...)
			if got := n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if tc.requests == 2 {
				if err != nil || len(r.Results) != 2 {
					t.Errorf("a read batch sent again: %v, %v", err, r.Results)
				}
			} else if !errors.Is(err, b24.ErrMaybeRan) || len(r.MaybeRan) != 2 {
				t.Errorf("a batch with a write: err %v, may have run %v", err, r.MaybeRan)
			}
		})
	}
}
