package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// rowChecker reads the JSON lines of an export: every row once, in rising ID order.
type rowChecker struct {
	partial []byte
	n       int
	last    int64
	err     error
}

func (w *rowChecker) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		var row struct{ ID b24.Int }
		if err := json.Unmarshal(w.partial[:i], &row); err != nil || int64(row.ID) <= w.last {
			if w.err == nil {
				w.err = fmt.Errorf("line %d: ID %d after %d (%v): a row repeated or out of order", w.n+1, row.ID, w.last, err)
			}
		}
		w.n, w.last = w.n+1, int64(row.ID)
		w.partial = w.partial[i+1:]
	}
}

// BenchmarkExportCLI is BenchmarkExport of package b24 through the built b24 binary: b24
// crm.deal.list --all, every line checked, and the process's peak memory reported.
func BenchmarkExportCLI(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "b24")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct{ rows, burst int }{{20_000, 50}, {100_000, 10}} {
		b.Run(fmt.Sprintf("rows=%d/burst=%d", tc.rows, tc.burst), func(b *testing.B) {
			for range b.N {
				s := b24test.New(b24test.WithRateLimit(b24.DefaultRate, tc.burst), b24test.WithCost(b24test.ExportCost))
				s.GenerateRows("crm.deal.list", tc.rows)
				out := &rowChecker{}
				var errOut bytes.Buffer
				cmd := exec.Command(bin, "--url", s.WebhookURL(), "crm.deal.list", "--all")
				cmd.Stdout, cmd.Stderr = out, &errOut
				start := time.Now()
				err := cmd.Start()
				var peak int64
				if err == nil {
					done := make(chan struct{})
					go func() { err = cmd.Wait(); close(done) }()
					peak = watchPeak(cmd.Process.Pid, done)
				}
				wall := time.Since(start)
				if err != nil || out.err != nil || out.n != tc.rows {
					b.Fatalf("%v, %d rows (want %d): %v\n%s", err, out.n, tc.rows, out.err, errOut.String())
				}
				bound := b24test.ExportBound(tc.rows, 2500, b24.DefaultRate, tc.burst, s.Busy())
				b.ReportMetric(wall.Seconds(), "s/export")
				b.ReportMetric(float64(s.Requests()), "requests")
				b.ReportMetric(float64(out.n)/wall.Seconds(), "rows/s")
				b.ReportMetric(wall.Seconds()/bound.Seconds(), "×bound")
				b.ReportMetric(float64(peak)/1024, "MB-RSS")
				s.Close()
			}
		})
	}
}

// watchPeak reads the process's peak resident memory (VmHWM, KiB) until done. Not the child's
// rusage: a child started by vfork counts the parent's memory in its own peak until it execs, and
// the parent here is the test holding every row of the fake portal.
func watchPeak(pid int, done <-chan struct{}) int64 {
	var peak int64
	for {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for line := range strings.Lines(string(b)) {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
						peak = max(peak, kb)
					}
				}
			}
		}
		select {
		case <-done:
			return peak
		case <-time.After(10 * time.Millisecond):
		}
	}
}
