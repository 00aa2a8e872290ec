package b24_test

import (
	"context"
	"errors"
	"fmt"
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

// dealIDs walks every deal and returns their IDs in the order yielded, checking that they rise.
func dealIDs(t *testing.T, c *b24.Client, opts ...b24.CallOption) ([]int64, error) {
	t.Helper()
	return walkUntil(t, c, func(int) {}, opts...)
}

// fastClient paces nothing and retries quickly: the fault tests measure exactness, not time.
func fastClient(t *testing.T, s *b24test.Server) *b24.Client {
	t.Helper()
	c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestExportUnderFaults: 100,000 rows under 5% HTTP 500s, 2% connections dropped before the call, 1%
// answers lost after it and a 503 storm: every row exactly once.
func TestExportUnderFaults(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 7, Status500: 0.05, DropBefore: 0.02, LostAfter: 0.01, Storm503: 5, Storm503Start: 10}))
	defer s.Close()
	s.GenerateRows("crm.deal.list", 100_000)
	ids, err := dealIDs(t, fastClient(t, s))
	if err != nil || len(ids) != 100_000 {
		t.Fatalf("%d rows, err %v", len(ids), err)
	}
	f := s.FaultsInjected()
	if f["500"]+f["drop"]+f["lost"] == 0 || f["503"] != 5 {
		t.Errorf("faults injected: %v; the test proves nothing without them", f)
	}
}

// walkUntil walks every deal, checking that the IDs rise, and runs after(n) after the n-th row.
func walkUntil(t *testing.T, c *b24.Client, after func(n int), opts ...b24.CallOption) ([]int64, error) {
	t.Helper()
	var ids []int64
	for deal, err := range crm.New(c).DealListAll(context.Background(), &crm.DealListParams{}, opts...) {
		if err != nil {
			return ids, err
		}
		if n := len(ids); n > 0 && int64(deal.ID) <= ids[n-1] {
			t.Fatalf("row %d: ID %d after %d: a row repeated", n, deal.ID, ids[n-1])
		}
		ids = append(ids, int64(deal.ID))
		after(len(ids))
	}
	return ids, nil
}

// TestShortPageInsideBatch: rows deleted after the count make a page short in the middle of a
// batch; the commands after it refer to a missing row (the portal then restarts them from the first
// row), and the walk ends there without repeating a row.
func TestShortPageInsideBatch(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	s.GenerateRows("crm.deal.list", 3_000)
	c := fastClient(t, s)
	all, err := dealIDs(t, c)
	if err != nil || len(all) != 3_000 {
		t.Fatalf("%d rows, err %v", len(all), err)
	}
	before := s.Requests()
	ids, err := walkUntil(t, c, func(n int) {
		if n == 1 { // counted 3,000; the batch that follows plans 50 pages and finds 29 and a half
			s.DeleteRows("crm.deal.list", all[1475:]...)
		}
	})
	if err != nil || len(ids) != 1475 || ids[1474] != all[1474] {
		t.Errorf("%d rows, err %v; want 1,475 ending at %d", len(ids), err, all[1474])
	}
	if n := s.Requests() - before; n != 2 {
		t.Errorf("%d requests, want 2: the counted page and one batch that ends inside", n)
	}
}

// TestExportResumes: an export stopped by an error says after which row; After continues exactly
// there, and the two parts are the whole export.
func TestExportResumes(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	s.GenerateRows("crm.deal.list", 6_000)
	c := fastClient(t, s)
	want, err := dealIDs(t, c)
	if err != nil {
		t.Fatal(err)
	}
	first, err := walkUntil(t, c, func(n int) {
		if n == 1 { // the first batch, asked for once the first page is handed out, is refused: not repeatable
			s.FailNext("crm.deal.list", 1, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"})
		}
	})
	var stop *b24.ExportError
	if !errors.As(err, &stop) || !errors.Is(err, b24.ErrAccessDenied) || len(first) != 50 || stop.After != first[len(first)-1] {
		t.Fatalf("err = %v after %d rows", err, len(first))
	}
	rest, err := dealIDs(t, c, b24.After(stop.After))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, append(first, rest...)); d != "" {
		t.Errorf("the two parts are not the export (-want +got):\n%s", d)
	}
}

// serverFailures are the faults of the acceptance runs: 15% of requests fail inside the portal after
// they ran (HTTP 500 with its JSON error) and 5% lose their connection before the call runs.
func serverFailures(seed int64) b24test.Faults {
	return b24test.Faults{Seed: seed, JSON500: 0.15, DropBefore: 0.05}
}

// TestExportUnderServerFailures: 40,000 rows under JSON 500s and dropped connections, over several
// seeds: every row exactly once, in order, and no error.
func TestExportUnderServerFailures(t *testing.T) {
	injected := map[string]int{}
	for seed := range int64(5) {
		s := b24test.New(b24test.WithFaults(serverFailures(seed)))
		s.GenerateRows("crm.deal.list", 40_000)
		ids, err := dealIDs(t, fastClient(t, s))
		if err != nil || len(ids) != 40_000 {
			t.Errorf("seed %d: %d rows, err %v", seed, len(ids), err)
		}
		for k, n := range s.FaultsInjected() {
			injected[k] += n
		}
		s.Close()
	}
	if injected["json500"] < 5 || injected["drop"] == 0 {
		t.Errorf("faults injected: %v; the test proves little without them", injected)
	}
}

// countingTransport counts the HTTP requests a client sends.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestWritesUnderServerFailures: under the same faults a write is sent exactly once, whatever
// happens to it, and every write that failed says it may have run, with the portal's code when the
// portal sent one.
func TestWritesUnderServerFailures(t *testing.T) {
	for seed := range int64(3) {
		s := b24test.New(b24test.WithFaults(serverFailures(seed)))
		var sent countingTransport
		c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond),
			b24.WithHTTPClient(&http.Client{Transport: &sent}))
		if err != nil {
			t.Fatal(err)
		}
		failed, coded := 0, 0
		for i := range 200 {
			before := sent.n.Load()
			_, err := crm.New(c).DealAdd(context.Background(), &crm.DealAddParams{Fields: &crm.DealAddFields{Title: b24.Ptr(fmt.Sprint("deal ", i))}})
			if n := sent.n.Load() - before; n != 1 {
				t.Fatalf("seed %d, write %d: sent %d times", seed, i, n)
			}
			if err == nil {
				continue
			}
			failed++
			if !errors.Is(err, b24.ErrMaybeRan) {
				t.Errorf("seed %d, write %d: %v does not say it may have run", seed, i, err)
			}
			if errors.Is(err, b24.ErrInternalServerError) && strings.Contains(err.Error(), "INTERNAL_SERVER_ERROR: Internal server error") {
				coded++
			}
		}
		f := s.FaultsInjected()
		if failed != f["json500"]+f["drop"] || coded != f["json500"] || coded == 0 {
			t.Errorf("seed %d: %d writes failed, %d with the portal's code; faults %v", seed, failed, coded, f)
		}
		s.Close()
	}
}
