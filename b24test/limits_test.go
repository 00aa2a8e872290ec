package b24test_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// fakeClock is a server clock that a test moves on instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 250_000_000)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// send posts a JSON body and returns the answer as it came, an error when the connection failed.
func send(target, body string) (int, []byte, error) {
	resp, err := http.Post(target, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func limited(t *testing.T, opts ...b24test.Option) *b24test.Server {
	t.Helper()
	s := b24test.New(append([]b24test.Option{b24test.WithSecret("sekret")}, opts...)...)
	t.Cleanup(s.Close)
	s.Handle("x.echo", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	s.Handle("x.other", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	return s
}

// timeOf is the time member of a successful answer.
func timeOf(t *testing.T, a answer) map[string]any {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("status %d: %v", a.status, a.env)
	}
	return a.env["time"].(map[string]any)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestRateLimit: the bucket lets burst requests through, refuses the next with the cloud's 503
// envelope without running or recording it, drains perSecond a second on the server's clock, and
// counts a batch of many commands as one request.
func TestRateLimit(t *testing.T) {
	clock := newClock()
	s := limited(t, b24test.WithRateLimit(2, 3), b24test.WithClock(clock.now))
	echo := s.WebhookURL() + "/x.echo"
	for i := range 3 {
		if a := post(t, echo, "application/json", []byte(`{}`)); a.status != 200 {
			t.Fatalf("request %d within the burst: %d %v", i, a.status, a.env)
		}
	}
	a := post(t, echo, "application/json", []byte(`{}`))
	if a.status != 503 || a.env["error"] != "QUERY_LIMIT_EXCEEDED" || a.env["error_description"] != "Too many requests" || len(a.env) != 2 {
		t.Errorf("over the burst: %d %v", a.status, a.env)
	}
	if len(s.Calls()) != 3 || s.Runs("x.echo") != 3 || s.Refused() != 1 {
		t.Errorf("calls %d runs %d refused %d, want 3 3 1", len(s.Calls()), s.Runs("x.echo"), s.Refused())
	}

	clock.add(500 * time.Millisecond) // one request drains
	if a := post(t, echo, "application/json", []byte(`{}`)); a.status != 200 {
		t.Errorf("after draining one: %d", a.status)
	}
	if a := post(t, echo, "application/json", []byte(`{}`)); a.status != 503 {
		t.Errorf("bucket full again: %d", a.status)
	}

	clock.add(time.Hour) // empty, and no credit beyond empty
	body := `{"cmd": ["x.echo", "x.echo", "x.echo", "x.echo", "x.echo"]}`
	if a := post(t, s.WebhookURL()+"/batch", "application/json", []byte(body)); a.status != 200 {
		t.Fatalf("batch: %d %v", a.status, a.env)
	}
	for i, want := range []int{200, 200, 503} {
		if a := post(t, echo, "application/json", []byte(`{}`)); a.status != want {
			t.Errorf("after a batch of 5, request %d: %d, want %d", i, a.status, want)
		}
	}
	if s.Refused() != 3 || s.Runs("batch") != 1 || s.Runs("x.echo") != 4+5+2 {
		t.Errorf("refused %d, runs of batch %d and x.echo %d", s.Refused(), s.Runs("batch"), s.Runs("x.echo"))
	}
}

// TestOperatingLimit: each method's cost is summed over a sliding window of buckets; the call after
// the sum went over the limit is refused with 429 and does not run, other methods go on, a batch
// command is blocked alone, and when the oldest bucket drops out the sum falls by its share only.
func TestOperatingLimit(t *testing.T) {
	clock := newClock()
	t0 := clock.now()
	s := limited(t, b24test.WithOperatingLimit(100*time.Millisecond, 10*time.Second), b24test.WithCost(b24test.Cost{PerCall: 60 * time.Millisecond}),
		b24test.WithClock(clock.now))
	echo := s.WebhookURL() + "/x.echo"

	tm := timeOf(t, post(t, echo, "application/json", []byte(`{}`)))
	if !near(tm["operating"].(float64), 0.06) || tm["operating_reset_at"] != float64(t0.Unix()+11) {
		t.Errorf("first call: operating %v reset %v, want 0.06 and %d (the first call + 10 s, rounded up)", tm["operating"], tm["operating_reset_at"], t0.Unix()+11)
	}
	clock.add(2 * time.Second) // a bucket of its own
	tm = timeOf(t, post(t, echo, "application/json", []byte(`{}`)))
	if !near(tm["operating"].(float64), 0.12) || tm["operating_reset_at"] != float64(t0.Unix()+11) {
		t.Errorf("second call: operating %v reset %v", tm["operating"], tm["operating_reset_at"])
	}
	a := post(t, echo, "application/json", []byte(`{}`))
	if a.status != 429 || a.env["error"] != "OPERATION_TIME_LIMIT" || a.env["error_description"] != "Method is blocked due to operation time limit." {
		t.Errorf("over the limit: %d %v", a.status, a.env)
	}
	if s.Runs("x.echo") != 2 {
		t.Errorf("a blocked call ran: runs %d", s.Runs("x.echo"))
	}
	if tm := timeOf(t, post(t, s.WebhookURL()+"/x.other", "application/json", []byte(`{}`))); !near(tm["operating"].(float64), 0.06) {
		t.Errorf("another method is not blocked and has its own sum: %v", tm["operating"])
	}

	r := batchAnswer(t, s.WebhookURL()+"/batch", "application/json", `{"cmd": {"e": "x.echo", "o": "x.other"}}`)
	var errs map[string]map[string]string
	if err := json.Unmarshal(r["result_error"], &errs); err != nil || errs["e"]["error"] != "OPERATION_TIME_LIMIT" || len(errs) != 1 {
		t.Errorf("batch: result_error %s", r["result_error"])
	}
	var times map[string]map[string]any
	if err := json.Unmarshal(r["result_time"], &times); err != nil || !near(times["o"]["operating"].(float64), 0.12) {
		t.Errorf("batch: result_time %s", r["result_time"])
	}

	clock.add(8 * time.Second) // t0+10s: the first bucket drops out, the second stays
	tm = timeOf(t, post(t, echo, "application/json", []byte(`{}`)))
	if !near(tm["operating"].(float64), 0.12) || tm["operating_reset_at"] != float64(t0.Unix()+13) {
		t.Errorf("after the oldest bucket went: operating %v reset %v, want 0.12 (0.06 left + this call) and %d",
			tm["operating"], tm["operating_reset_at"], t0.Unix()+13)
	}
	if s.Runs("x.echo") != 3 || s.Runs("x.other") != 2 || s.Runs("batch") != 1 {
		t.Errorf("runs: x.echo %d x.other %d batch %d", s.Runs("x.echo"), s.Runs("x.other"), s.Runs("batch"))
	}
}

// TestServerClock: time.start, date_start and operating_reset_at come from the server's clock, which
// may be far from the client's.
func TestServerClock(t *testing.T) {
	skew := -time.Hour
	s := limited(t, b24test.WithClock(func() time.Time { return time.Now().Add(skew) }))
	tm := timeOf(t, post(t, s.WebhookURL()+"/x.echo", "application/json", []byte(`{}`)))
	want := float64(time.Now().Add(skew).Unix())
	start := tm["start"].(float64)
	if math.Abs(start-want) > 60 {
		t.Errorf("start %v, want about %v", start, want)
	}
	ds, err := time.Parse(time.RFC3339, tm["date_start"].(string))
	if err != nil || math.Abs(float64(ds.Unix())-start) > 1 {
		t.Errorf("date_start %v (%v) does not match start %v", tm["date_start"], err, start)
	}
	if reset := tm["operating_reset_at"].(float64); math.Abs(reset-start-600) > 2 {
		t.Errorf("operating_reset_at %v, want start + 600", reset)
	}
	if tm["operating"] != 0.0 {
		t.Errorf("operating %v without costs", tm["operating"])
	}
}

// TestCost: a call costs PerCall; a list page PerPage more, plus its offset and counted rows when it
// counts; start -1 does not count. The cost shows in processing and operating and is slept for; a
// batch's commands add up in its one request, while the batch method itself accrues nothing.
func TestCost(t *testing.T) {
	s := limited(t, b24test.WithCost(b24test.Cost{PerCall: 2 * time.Millisecond, PerPage: 3 * time.Millisecond,
		PerOffsetRow: 10 * time.Microsecond, PerCountedRow: 5 * time.Microsecond}))
	s.GenerateRows("crm.deal.list", 1000)
	deals := s.WebhookURL() + "/crm.deal.list"

	t0 := time.Now()
	tm := timeOf(t, post(t, deals, "application/json", []byte(`{"start": 100}`)))
	const counted = 0.002 + 0.003 + 100*0.00001 + 1000*0.000005 // 11 ms
	if !near(tm["operating"].(float64), counted) || !near(tm["processing"].(float64), 0.0005+counted) {
		t.Errorf("counted page: operating %v processing %v, want %v", tm["operating"], tm["processing"], counted)
	}
	if time.Since(t0) < 11*time.Millisecond {
		t.Errorf("the server did not sleep for the cost: %v", time.Since(t0))
	}
	tm = timeOf(t, post(t, deals, "application/json", []byte(`{"start": -1, "filter": {">ID": 5000}}`)))
	if !near(tm["operating"].(float64), counted+0.005) {
		t.Errorf("start -1 page: operating %v, want %v (no count, no offset)", tm["operating"], counted+0.005)
	}
	if tm := timeOf(t, post(t, s.WebhookURL()+"/x.echo", "application/json", []byte(`{}`))); !near(tm["operating"].(float64), 0.002) {
		t.Errorf("plain call: operating %v", tm["operating"])
	}

	t0 = time.Now()
	a := post(t, s.WebhookURL()+"/batch", "application/json", []byte(`{"cmd": ["crm.deal.list?start=-1", "crm.deal.list?start=-1", "x.echo"]}`))
	tm = timeOf(t, a)
	if !near(tm["processing"].(float64), 0.0005+0.012) || tm["operating"] != 0.0 {
		t.Errorf("batch: processing %v operating %v, want the commands' 12 ms and nothing for batch", tm["processing"], tm["operating"])
	}
	if time.Since(t0) < 12*time.Millisecond {
		t.Errorf("the batch did not take its commands' cost: %v", time.Since(t0))
	}
	tm = timeOf(t, post(t, deals, "application/json", []byte(`{"start": -1}`)))
	if !near(tm["operating"].(float64), counted+4*0.005) {
		t.Errorf("batch commands did not count against their method: operating %v", tm["operating"])
	}
}
