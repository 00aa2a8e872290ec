package b24

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock drives a bucket without real time: sleeping advances the clock.
type fakeClock struct {
	t      time.Time
	sleeps []time.Duration
}

func (f *fakeClock) bucket(rate float64, burst int) *bucket {
	b := newBucket(rate, burst)
	b.now = func() time.Time { return f.t }
	b.sleep = func(_ context.Context, d time.Duration) error {
		f.sleeps = append(f.sleeps, d)
		f.t = f.t.Add(d)
		return nil
	}
	return b
}

// TestBucket: a burst goes at once, then requests wait 1/rate each; idle time drains the bucket.
func TestBucket(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	b := clock.bucket(2, 3)
	for range 5 {
		if err := b.wait(context.Background(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff([]time.Duration{500 * time.Millisecond, 500 * time.Millisecond}, clock.sleeps); d != "" {
		t.Errorf("waits after a burst of 3 at 2/s (-want +got):\n%s", d)
	}
	clock.sleeps = nil
	clock.t = clock.t.Add(10 * time.Second) // drains completely
	for range 3 {
		b.wait(context.Background(), "x")
	}
	if len(clock.sleeps) != 0 {
		t.Errorf("after idling, a burst waited: %v", clock.sleeps)
	}
	if newBucket(0, 50) != nil {
		t.Error("rate 0 must turn pacing off")
	}
	var off *bucket
	if err := off.wait(context.Background(), "x"); err != nil {
		t.Error(err)
	}
}

// TestBucketCancelled: a request whose context ends while it waits is not sent and gives its room back.
func TestBucketCancelled(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	b := clock.bucket(1, 1)
	b.wait(context.Background(), "x")
	b.sleep = func(ctx context.Context, d time.Duration) error { return context.Canceled }
	err := b.wait(context.Background(), "crm.deal.list")
	if !errors.Is(err, context.Canceled) || err.Error() != "crm.deal.list: gave up waiting for the rate limit: context canceled" {
		t.Errorf("err = %v", err)
	}
	if b.level != 1 {
		t.Errorf("level %v after a cancelled wait, want 1", b.level)
	}
}

// TestClientPacing: clients pace like the cloud portal unless told otherwise, and a call that cannot
// wait for its turn is not sent.
func TestClientPacing(t *testing.T) {
	c, err := NewOAuth("portal.example.com", "tok")
	if err != nil {
		t.Fatal(err)
	}
	if c.pace == nil || c.pace.rate != DefaultRate || c.pace.burst != DefaultRateBurst {
		t.Errorf("default pacing %+v, want %v a second after %d", c.pace, DefaultRate, DefaultRateBurst)
	}
	if c, _ := NewOAuth("portal.example.com", "tok", WithRateLimit(0, 0)); c.pace != nil {
		t.Error("WithRateLimit(0, 0) must turn pacing off")
	}
	c, _ = NewOAuth("portal.example.com", "tok", WithRateLimit(1, 1))
	c.pace.wait(context.Background(), "x") // the burst of 1 is used
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Do(ctx, "crm.deal.get", nil); err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want a cancelled wait before sending", err)
	}
}
