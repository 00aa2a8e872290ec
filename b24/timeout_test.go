package b24_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// dialCounter is an HTTP client whose connections go through dial, counting the attempts.
func dialCounter(dial func() error) (*http.Client, *atomic.Int32) {
	var n atomic.Int32
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		n.Add(1)
		if err := dial(); err != nil {
			return nil, err
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}, &n
}

// TestNoSuchHostNotRetried: a mistyped portal address fails at once, saying so: a name that does
// not resolve does not start to.
func TestNoSuchHostNotRetried(t *testing.T) {
	hc, dials := dialCounter(func() error {
		return &net.DNSError{Err: "no such host", Name: "portl.bitrix24.by", IsNotFound: true}
	})
	c, err := b24.New("https://portl.bitrix24.by/rest/1/"+secret, "", b24.WithHTTPClient(hc), b24.WithRetry(8, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), "user.current", nil, b24.Read())
	if dials.Load() != 1 || !strings.Contains(fmtErr(err), "no such host") {
		t.Errorf("%d attempts, err %v; want 1 and no such host", dials.Load(), err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestRefusedConnectionRetriedBriefly: a refused connection did not run, so it is sent again, but
// only a few times, not the eight a rate limit gets.
func TestRefusedConnectionRetriedBriefly(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: connections are refused
	hc, dials := dialCounter(func() error { return nil })
	c, err := b24.New("http://"+addr+"/rest/1/"+secret, "", b24.WithHTTPClient(hc), b24.WithRetry(8, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), "crm.deal.add", nil)
	if dials.Load() != 4 || !strings.Contains(fmtErr(err), "connection refused") || errors.Is(err, b24.ErrMaybeRan) {
		t.Errorf("%d attempts, err %v; want 4 (3 retries), refused and not may-have-run (nothing was sent)", dials.Load(), err)
	}
}

// TestCallTimeoutBoundsRetries: WithCallTimeout (like the context's deadline) bounds the call with
// its retries: a portal that keeps refusing ends the call within the limit, not after eight
// back-offs, and the error says what ended it.
func TestCallTimeoutBoundsRetries(t *testing.T) {
	s := newPortal(t)
	s.FailNext("user.current", 100, b24test.QueryLimitExceeded())
	c := webhook(t, s, b24.WithRateLimit(0, 0), b24.WithRetry(8, 200*time.Millisecond))
	_, err := c.Do(context.Background(), "user.current", nil, b24.Read(), b24.WithCallTimeout(500*time.Millisecond))
	n := len(s.Calls())
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, b24.ErrQueryLimitExceeded) || n > 4 {
		t.Errorf("err %v after %d calls; want the rate limit and the deadline, and at most 4 calls (back-off 100-200, 200-400 ms, …)", err, n)
	}
	if !strings.Contains(fmtErr(err), "gave up retrying: the time limit would pass before the next try") {
		t.Errorf("message %q", err)
	}
}

// TestCancelledAfterSending: a write whose caller gives up after the request went out may have
// run, and says so while still matching context.Canceled; a read says only that it was cancelled.
func TestCancelledAfterSending(t *testing.T) {
	s := newPortal(t)
	for _, m := range []string{"crm.deal.add", "crm.deal.get"} {
		s.HandleHTTP(m, func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // the portal is still working when the caller leaves
		})
	}
	c := webhook(t, s)
	for _, tc := range []struct {
		method   string
		read     bool
		maybeRan bool
	}{{"crm.deal.add", false, true}, {"crm.deal.get", true, false}} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		var opts []b24.CallOption
		if tc.read {
			opts = append(opts, b24.Read())
		}
		_, err := c.Do(ctx, tc.method, nil, opts...)
		if !errors.Is(err, context.Canceled) || errors.Is(err, b24.ErrMaybeRan) != tc.maybeRan {
			t.Errorf("%s: %v; want context.Canceled, may-have-run %v", tc.method, err, tc.maybeRan)
		}
	}
}

type failingTransport struct{ n atomic.Int32 }

func (f *failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	f.n.Add(1)
	return nil, errors.New("connection reset by peer")
}

// TestUntracedTransport: a transport of the caller's that does not say whether it wrote the request
// is taken to have written it: a write that fails there is sent once and may have run.
func TestUntracedTransport(t *testing.T) {
	var tr failingTransport
	c, err := b24.New("https://portal.bitrix24.by/rest/1/"+secret, "", b24.WithHTTPClient(&http.Client{Transport: &tr}), b24.WithRetry(8, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "crm.deal.add", nil); !errors.Is(err, b24.ErrMaybeRan) || tr.n.Load() != 1 {
		t.Errorf("%d tries, err %v; want 1 and may-have-run", tr.n.Load(), err)
	}
}
