package b24

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestOperatingUsesServerClock: the reset is read relative to the answer's own time.start, so a
// server clock an hour off still gives a wait of the 30 s the answer means.
func TestOperatingUsesServerClock(t *testing.T) {
	o := newOperating(DefaultOperatingLimit)
	got := time.Now()
	serverNow := float64(got.Add(-time.Hour).Unix())
	o.observe("crm.deal.list", Time{Start: serverNow, Operating: 478, OperatingResetAt: int64(serverNow) + 30}, got)
	st := o.by["crm.deal.list"]
	if d := st.resetAt.Sub(got); d < 29*time.Second || d > 31*time.Second {
		t.Errorf("reset in %v, want 30 s", d)
	}
	// near the limit, a call waits for the reset: a cancelled context shows that it would
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := o.wait(ctx, "crm.deal.list"); err == nil {
		t.Error("a call near the limit did not wait for the reset")
	}
	if err := o.wait(ctx, "crm.deal.get"); err != nil {
		t.Errorf("another method waited: %v", err)
	}
	o.observe("crm.deal.get", Time{Start: serverNow, Operating: 10, OperatingResetAt: int64(serverNow) + 30}, got)
	if err := o.wait(ctx, "crm.deal.get"); err != nil {
		t.Errorf("a method far from the limit waited: %v", err)
	}
	if err := newOperating(0).wait(ctx, "crm.deal.list"); err != nil {
		t.Errorf("with the limit off: %v", err)
	}
}

// TestBackoff: doubled each time, capped at maxBackoff, half of it random.
func TestBackoff(t *testing.T) {
	for n, full := range map[int]time.Duration{0: 500 * time.Millisecond, 1: time.Second, 3: 4 * time.Second, 20: maxBackoff} {
		for range 50 {
			if d := backoff(500*time.Millisecond, n); d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[backoff(time.Second, 2)] = true
	}
	if len(seen) < 2 {
		t.Error("no jitter: 20 back-offs were all equal")
	}
	if backoff(0, 5) != 0 {
		t.Error("a zero base waits")
	}
}

// TestCongested: after the portal refused for its rate, the bucket is full, so the next request waits
// a steady interval instead of going out in a burst.
func TestCongested(t *testing.T) {
	var f fakeClock
	b := f.bucket(2, 50)
	b.congested()
	if err := b.wait(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if len(f.sleeps) != 1 || f.sleeps[0] != 500*time.Millisecond {
		t.Errorf("sleeps = %v, want one of 500ms", f.sleeps)
	}
	var nilBucket *bucket
	nilBucket.congested() // pacing off: nothing to do
}

// TestAnswerTooLarge: an answer over the read limit is refused by name, not read truncated and
// reported as "not JSON"; the call ran, so it is not repeated.
func TestAnswerTooLarge(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Write([]byte(`{"result": "` + strings.Repeat("x", 100) + `"}`))
	}))
	defer srv.Close()
	defer func(n int) { maxBody = n }(maxBody)
	maxBody = 64
	c, err := NewWebhook(srv.URL+"/rest/1/secret", WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), "crm.deal.list", nil, Read())
	if !errors.Is(err, errTooLarge) || !strings.Contains(err.Error(), "answer too large") || calls != 1 {
		t.Errorf("err = %v after %d calls", err, calls)
	}
}
