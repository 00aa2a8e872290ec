package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
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
