package b24

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// DefaultOperatingLimit is the cloud's execution-time budget of one method: 480 s within 10 minutes
// (protocol §4.2). Near it the client waits for the method's reset instead of being refused.
const DefaultOperatingLimit = 480 * time.Second

// operatingMargin is how close to the limit the client stops sending: the next call's own time
// counts too, and the portal refuses only after the sum is over.
const operatingMargin = 5 * time.Second

// maxBackoff caps one wait between retries.
const maxBackoff = 30 * time.Second

// WithOperatingLimit sets the per-method execution-time budget the client keeps under (default
// DefaultOperatingLimit; an on-premise portal has 420 s when it is on). 0 turns the waiting off: a
// call refused with OPERATION_TIME_LIMIT then fails at once (errors.Is(err, ErrOperationTimeLimit)).
func WithOperatingLimit(d time.Duration) Option {
	return func(c *clientConfig) { c.operating, c.operatingSet = max(d, 0), true }
}

// operating tracks each method's execution time as the portal reports it (time.operating) and when
// its oldest minute drops out (time.operating_reset_at), converted to the local clock: the reset is
// the server's time, so it is taken relative to the server's time.start of the same answer.
type operating struct {
	limit time.Duration
	mu    sync.Mutex
	by    map[string]operatingState
}

type operatingState struct {
	used    time.Duration
	resetAt time.Time // local clock; zero when unknown
}

func newOperating(limit time.Duration) *operating {
	return &operating{limit: limit, by: map[string]operatingState{}}
}

// observe records the time of an answer received at local time got.
func (o *operating) observe(method string, t Time, got time.Time) {
	if o.limit == 0 || t.OperatingResetAt == 0 {
		return
	}
	st := operatingState{used: time.Duration(t.Operating * float64(time.Second))}
	if t.Start > 0 {
		ahead := time.Duration((float64(t.OperatingResetAt) - t.Start) * float64(time.Second))
		st.resetAt = got.Add(ahead)
	}
	o.mu.Lock()
	o.by[method] = st
	o.mu.Unlock()
}

// wait holds a call of method while its last known time is within the margin of the limit and its
// reset is ahead.
func (o *operating) wait(ctx context.Context, method string) error {
	if o.limit == 0 {
		return nil
	}
	o.mu.Lock()
	st, ok := o.by[method]
	o.mu.Unlock()
	if !ok || st.used < o.limit-operatingMargin || st.resetAt.IsZero() {
		return nil
	}
	return o.sleepUntilReset(ctx, method, st.resetAt)
}

// refused handles OPERATION_TIME_LIMIT: the call did not run; it waits for the method's reset (or,
// when no answer told it, a capped back-off) and reports whether the call may be sent again.
func (o *operating) refused(ctx context.Context, method string, attempt int, base time.Duration) error {
	o.mu.Lock()
	st := o.by[method]
	o.mu.Unlock()
	if !st.resetAt.IsZero() && time.Until(st.resetAt) > 0 {
		return o.sleepUntilReset(ctx, method, st.resetAt)
	}
	return sleepCtx(ctx, backoff(base, attempt))
}

func (o *operating) sleepUntilReset(ctx context.Context, method string, at time.Time) error {
	if err := sleepCtx(ctx, time.Until(at)+time.Second); err != nil {
		return err
	}
	o.mu.Lock()
	delete(o.by, method) // the next answer tells the new state
	o.mu.Unlock()
	return nil
}

// backoff is the wait before retry attempt n (0-based): base doubled each time, capped, with half
// of it random so that clients that failed together do not retry together.
func backoff(base time.Duration, n int) time.Duration {
	d := base
	for range n {
		if d >= maxBackoff {
			break
		}
		d *= 2
	}
	d = min(d, maxBackoff)
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}
