package b24test

import (
	"net/http"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// limits is the portal's accounting: the request-rate bucket and each method's operating time.
// Its fields are guarded by Server.mu; the settings are fixed by New.
type limits struct {
	ratePerSecond float64
	rateBurst     int
	rateLevel     float64
	rateLast      time.Time
	refused       int

	opLimit, opWindow time.Duration
	operating         map[string][]opBucket // by lower-case method, oldest first
}

// opBucket is one window/10 of a method's operating time (one minute of the portal's ten).
type opBucket struct {
	slot  int64     // the clock's interval of width window/10
	first time.Time // the bucket's first call: it drops out one window later
	sum   time.Duration
}

// WithRateLimit gives the portal a leaky bucket, as the cloud has per portal (section 4.1: 2 a second
// and 50, or 5 and 250 on Enterprise): each HTTP request adds one (a batch is one request, whatever
// its commands), and the bucket drains perSecond a second on the server's clock (WithClock). A request
// that would overflow burst is refused, before auth, with HTTP 503 QUERY_LIMIT_EXCEEDED: it does not
// run, is not in Calls and does not fill the bucket; Refused counts it. burst <= 0 means no limit
// (the default); perSecond <= 0 a bucket that never drains.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(s *Server) { s.ratePerSecond, s.rateBurst = perSecond, burst }
}

// WithOperatingLimit blocks a method whose execution time is over limit, as the cloud does (section
// 4.2, where the window is 10 minutes and the limit 480 s). Each call that runs adds its server cost
// (WithCost) to its method's sum over a sliding window of 10 buckets of window/10; a bucket starts at
// its first call and drops out one window later. Every answer's time.operating is the method's sum in
// seconds and time.operating_reset_at the Unix second when its oldest bucket drops out. When the sum
// is over limit before a call, the call is refused with HTTP 429 OPERATION_TIME_LIMIT and does not
// run. In a batch each command counts, and is blocked, as a call of its own method (a blocked one
// fails in result_error); the batch itself is never counted. limit <= 0 means no limit (the default).
// window <= 0 keeps the default window, 10 minutes; operating is reported over the window even
// without a limit.
func WithOperatingLimit(limit, window time.Duration) Option {
	return func(s *Server) {
		s.opLimit = limit
		if window > 0 {
			s.opWindow = window
		}
	}
}

// WithClock sets the server's clock (default time.Now), so that a test can skew it against the
// client's or move it on instead of sleeping. It stamps time.start, finish, date_start, date_finish
// and operating_reset_at, and drives the rate-limit bucket and the operating window; the cost model
// still sleeps in wall time. now must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// Cost is the server cost model: what a call costs the portal.
type Cost struct {
	PerCall       time.Duration // every call that runs, and every batch command
	PerPage       time.Duration // a list page of 50 rows answered from rows (the example's or SetRows'); a larger 3.0 page costs each 50 begun
	PerOffsetRow  time.Duration // a list page, per row skipped to reach start, as SQL OFFSET scans them
	PerCountedRow time.Duration // a list page with start >= 0, per matching row counted for total (start -1 does not count)
}

// WithCost makes calls cost time: the server sleeps for the cost of each call before answering (in
// wall time, so that benchmarks measure it) and adds it to the method's operating time
// (WithOperatingLimit). A batch costs what its commands cost, in the one HTTP request. The default is
// zero cost.
func WithCost(c Cost) Option { return func(s *Server) { s.cost = c } }

// OperationTimeLimit is the error of a method blocked for its execution time, as the cloud sends it.
func OperationTimeLimit() *b24.APIError {
	return &b24.APIError{Code: "OPERATION_TIME_LIMIT", Description: "Method is blocked due to operation time limit.", Status: http.StatusTooManyRequests}
}

// Refused counts the requests the rate limit (WithRateLimit) refused with 503.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Runs counts how often method (case-insensitive) ran: its calls and its batch commands that got
// past the refusals (auth, the rate and operating limits, FailNext, faults before running), whatever
// they answered. A call of an unknown method does not run.
func (s *Server) Runs(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs[strings.ToLower(method)]
}

func (s *Server) now() time.Time { return s.clock() }

// admit takes a request into the rate-limit bucket, or refuses it.
func (s *Server) admit(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateBurst <= 0 {
		return true
	}
	// Requests are timed before their bodies are read, so they can arrive out of order: the bucket
	// drains only as its clock moves forward.
	if d := now.Sub(s.rateLast); d > 0 {
		if !s.rateLast.IsZero() {
			s.rateLevel = max(0, s.rateLevel-d.Seconds()*s.ratePerSecond)
		}
		s.rateLast = now
	}
	if s.rateLevel+1 > float64(s.rateBurst) {
		s.refused++
		return false
	}
	s.rateLevel++
	return true
}

// operatingBlocked tells whether method (lower case) is over its operating limit.
func (s *Server) operatingBlocked(key string) bool {
	if s.opLimit <= 0 {
		return false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sum, _ := s.operatingLocked(key, now)
	return sum > s.opLimit
}

// charge bills a call that ran: it adds the call's cost to the method's operating time, sleeps for
// it and returns it. page is the list work done, nil when the call answered no list page.
func (s *Server) charge(key string, page *pageWork) time.Duration {
	c := s.cost.PerCall
	if page != nil {
		c += time.Duration(1+page.pages)*s.cost.PerPage + time.Duration(page.offset)*s.cost.PerOffsetRow + time.Duration(page.counted)*s.cost.PerCountedRow
	}
	now := s.now()
	slot := now.UnixNano() / int64(max(s.opWindow/10, 1))
	s.mu.Lock()
	s.operatingLocked(key, now)
	b := s.operating[key]
	if n := len(b); n > 0 && b[n-1].slot >= slot {
		b[n-1].sum += c
	} else {
		b = append(b, opBucket{slot: slot, first: now, sum: c})
	}
	s.operating[key] = b
	s.busy += c
	s.mu.Unlock()
	time.Sleep(c)
	return c
}

// Busy is the server cost spent so far (see WithCost): the server's own time, which a benchmark's
// bound adds to the time the rate limit imposes.
func (s *Server) Busy() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy
}

// operatingLocked drops method's buckets that are out of the window at now and returns its sum and
// when its oldest bucket drops out (a window from now when it has none). s.mu is held.
func (s *Server) operatingLocked(key string, now time.Time) (time.Duration, time.Time) {
	b := s.operating[key]
	for len(b) > 0 && !now.Before(b[0].first.Add(s.opWindow)) {
		b = b[1:]
	}
	if len(b) == 0 {
		delete(s.operating, key)
		return 0, now.Add(s.opWindow)
	}
	s.operating[key] = b
	var sum time.Duration
	for _, x := range b {
		sum += x.sum
	}
	return sum, b[0].first.Add(s.opWindow)
}

// timeObject is the time member of an answer of method started at start that spent processing.
func (s *Server) timeObject(method string, start time.Time, processing time.Duration) wireTime {
	now := s.now()
	s.mu.Lock()
	sum, reset := s.operatingLocked(strings.ToLower(method), now)
	s.mu.Unlock()
	p := processing.Seconds()
	st := float64(start.UnixNano()) / 1e9
	resetAt := reset.Unix()
	if reset.Nanosecond() > 0 { // rounded up: at the second sent, the bucket is surely gone
		resetAt++
	}
	return wireTime{
		Start: st, Finish: st + 0.001 + p, Duration: 0.001 + p, Processing: 0.0005 + p,
		DateStart: start.Format(time.RFC3339), DateFinish: start.Add(time.Millisecond + processing).Format(time.RFC3339),
		OperatingResetAt: resetAt, Operating: sum.Seconds(),
	}
}
