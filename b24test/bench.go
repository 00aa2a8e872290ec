package b24test

import (
	"math"
	"time"
)

// ExportCost is the cost model of the export benchmarks: each page of 50 rows costs the server 3 ms
// and each call 1 ms, a count 1 µs a row, an offset 1 µs a skipped row.
var ExportCost = Cost{PerCall: time.Millisecond, PerPage: 3 * time.Millisecond, PerOffsetRow: time.Microsecond, PerCountedRow: time.Microsecond}

// ExportBound is the least time an export of rows rows can take on a portal that allows rate
// requests a second after a burst, with perRequest rows a request (2,500 for 2.0: 50 pages of 50 in a
// batch; a REST 3.0 list's page size), plus the server's own time busy: the yardstick of the export
// benchmarks.
func ExportBound(rows, perRequest int, rate float64, burst int, busy time.Duration) time.Duration {
	requests := int(math.Ceil(float64(rows) / float64(perRequest)))
	paced := time.Duration(float64(max(0, requests-burst)) / rate * float64(time.Second))
	return paced + busy
}

// Requests is how many HTTP requests the server answered (a batch is one), refusals and redirects
// included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.BatchKey == "" {
			n++
		}
	}
	return n + s.refused + s.redirects
}
