package b24test

import (
	"io"
	"math/rand/v2"
	"net/http"
)

// Faults is what can go wrong between a client and the portal, injected into REST requests
// (a batch as a whole; not the OAuth token endpoint). The shares are of requests and are drawn
// from one seeded sequence per server, one draw a request, so that the same sequence of requests
// meets the same faults; they should add up to 1 at most.
type Faults struct {
	Seed          int64
	Status500     float64 // share of requests answered HTTP 500 by the web server (an HTML page) without running
	JSON500       float64 // share of requests that run (recorded in Calls, effects applied) and fail inside the portal: HTTP 500 with its JSON error, INTERNAL_SERVER_ERROR
	DropBefore    float64 // share of requests whose connection is closed before the call runs, nothing written
	LostAfter     float64 // share of requests that run (recorded in Calls, effects applied) and whose connection is then closed before any answer byte
	Storm503      int     // after the first Storm503Start requests, this many consecutive ones get 503 QUERY_LIMIT_EXCEEDED
	Storm503Start int
}

// The kinds of fault, as FaultsInjected counts them.
const (
	fault500  = "500"
	faultJSON = "json500"
	faultDrop = "drop"
	faultLost = "lost"
	fault503  = "503"
)

// faultState is the faults in force; guarded by Server.mu.
type faultState struct {
	faults   Faults
	faultRNG *rand.Rand
	requests int // REST requests since the faults were set, for the storm
	injected map[string]int
}

// WithFaults injects faults from the start (see Faults and SetFaults).
func WithFaults(f Faults) Option { return func(s *Server) { s.SetFaults(f) } }

// SetFaults replaces the faults in force, restarting their draws from f.Seed and the count of
// requests that Storm503Start waits for; the zero Faults turns them off. Faults come before the rate
// limit (they stand for the network and the proxy in front of the portal); a request failed before
// running is not recorded in Calls.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.requests = f, 0
	s.faultRNG = rand.New(rand.NewPCG(uint64(f.Seed), uint64(f.Seed)>>32|1))
}

// FaultsInjected counts the faults injected since the server started, by kind: "500", "json500",
// "drop", "lost" and "503".
func (s *Server) FaultsInjected() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{fault500: 0, faultJSON: 0, faultDrop: 0, faultLost: 0, fault503: 0}
	for k, n := range s.injected {
		out[k] = n
	}
	return out
}

// drawFault decides the fault of the next REST request: one of the kinds, or "" for none.
func (s *Server) drawFault() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f == (Faults{}) {
		return ""
	}
	n := s.requests
	s.requests++
	u := s.faultRNG.Float64()
	var kind string
	switch {
	case n >= f.Storm503Start && n < f.Storm503Start+f.Storm503:
		kind = fault503
	case u < f.Status500:
		kind = fault500
	case u < f.Status500+f.JSON500:
		kind = faultJSON
	case u < f.Status500+f.JSON500+f.DropBefore:
		kind = faultDrop
	case u < f.Status500+f.JSON500+f.DropBefore+f.LostAfter:
		kind = faultLost
	default:
		return ""
	}
	s.injected[kind]++
	return kind
}

// closeConn closes the connection under w without writing a byte, as a crashed worker or a cut
// network does.
func closeConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2): aborting the response is the nearest thing
	}
	conn.Close()
}

// writeHTML500 is the error page of the web server in front of a failing portal: not an envelope.
func writeHTML500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"+
		"<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}
