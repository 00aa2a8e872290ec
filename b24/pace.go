package b24

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// The cloud portal's request budget (protocol: leaky bucket per portal): 50 requests at once, then 2
// a second. Enterprise plans allow 250 and 5.
const (
	DefaultRateBurst = 50
	DefaultRate      = 2.0
)

// WithRateLimit paces the client's requests like the portal's leaky bucket: up to burst at once, then
// perSecond a second, so that a long run waits instead of meeting QUERY_LIMIT_EXCEEDED. The default is
// the cloud's 50 and 2; perSecond 0 turns pacing off (an on-premise portal without the limit).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *clientConfig) { c.rate, c.burst, c.rateSet = perSecond, burst, true }
}

// bucket is a leaky bucket: each request adds one, rate drain a second; a request that would overflow
// burst waits until there is room. Its room is reserved before the wait, so waiting callers keep order.
type bucket struct {
	mu    sync.Mutex
	rate  float64
	burst float64
	level float64
	last  time.Time
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newBucket(rate float64, burst int) *bucket {
	if rate <= 0 {
		return nil
	}
	return &bucket{rate: rate, burst: float64(max(burst, 1)), now: time.Now, sleep: sleepCtx}
}

// wait blocks until a request may go; it fails only when ctx ends first.
func (b *bucket) wait(ctx context.Context, method string) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	now := b.now()
	if !b.last.IsZero() {
		b.level = max(0, b.level-now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.level++
	over := b.level - b.burst
	b.mu.Unlock()
	if over <= 0 {
		return nil
	}
	d := time.Duration(over / b.rate * float64(time.Second))
	if err := b.sleep(ctx, d); err != nil {
		b.mu.Lock()
		b.level-- // the request is not sent: give its room back
		b.mu.Unlock()
		return fmt.Errorf("%s: gave up waiting for the rate limit: %w", method, err)
	}
	return nil
}

// congested fills the bucket after the portal refused a request for its rate: the portal's bucket is
// full (other clients share it), so the next requests go at the steady rate, not in a burst.
func (b *bucket) congested() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.level = max(0, b.level-now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.level = max(b.level, b.burst)
}

var errDeadlineFirst = fmt.Errorf("the time limit would pass before the next try: %w", context.DeadlineExceeded)

// sleepCtx waits d, or fails at once when ctx would end before: waiting for a deadline that falls
// inside the wait only delays the error.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return errDeadlineFirst
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
