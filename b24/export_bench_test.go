package b24_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/b24gen/b24gen/generated/tasks"
)

// BenchmarkExport walks every deal through crm.New(c).DealListAll against a portal with the cloud's
// rate (2 requests a second after the burst) and b24test.ExportCost, and reports the wall time, the
// requests, rows/s and the ratio to the bound (b24test.ExportBound). Every row must come exactly once.
func BenchmarkExport(b *testing.B) {
	// a portal with its whole burst, and one already busy
	for _, tc := range []struct{ rows, burst int }{{20_000, 50}, {100_000, 10}} {
		b.Run(fmt.Sprintf("rows=%d/burst=%d", tc.rows, tc.burst), func(b *testing.B) {
			for range b.N {
				s := b24test.New(b24test.WithRateLimit(b24.DefaultRate, tc.burst), b24test.WithCost(b24test.ExportCost))
				s.GenerateRows("crm.deal.list", tc.rows)
				c, err := b24.New(s.WebhookURL(), "")
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				n, last := 0, int64(0)
				for deal, err := range crm.New(c).DealListAll(context.Background(), &crm.DealListParams{}) {
					if err != nil {
						b.Fatal(err)
					}
					if int64(deal.ID) <= last {
						b.Fatalf("row %d: ID %d after %d: a row repeated or out of order", n, deal.ID, last)
					}
					n, last = n+1, int64(deal.ID)
				}
				wall := time.Since(start)
				if n != tc.rows {
					b.Fatalf("%d rows, want %d", n, tc.rows)
				}
				bound := b24test.ExportBound(tc.rows, 2500, b24.DefaultRate, tc.burst, s.Busy())
				b.ReportMetric(wall.Seconds(), "s/export")
				b.ReportMetric(float64(s.Requests()), "requests")
				b.ReportMetric(float64(n)/wall.Seconds(), "rows/s")
				b.ReportMetric(wall.Seconds()/bound.Seconds(), "×bound")
				s.Close()
			}
		})
	}
}

// BenchmarkExportV3 is BenchmarkExport over a REST 3.0 list: tasks.task.list@3 walked by id, 1000
// rows a request (each 50 of them costing the server a page), against the same bound.
func BenchmarkExportV3(b *testing.B) {
	const rows, burst = 20_000, 50
	for range b.N {
		s := b24test.New(b24test.WithRateLimit(b24.DefaultRate, burst), b24test.WithCost(b24test.ExportCost))
		s.GenerateRows("tasks.task.list@3", rows)
		c, err := b24.New(s.WebhookURL(), "")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, last := 0, int64(0)
		for task, err := range tasks.New(c).TaskListV3All(context.Background(), &tasks.TaskListV3Params{}) {
			var row struct{ ID int64 }
			if err == nil {
				err = json.Unmarshal(task, &row)
			}
			if err != nil {
				b.Fatal(err)
			}
			if row.ID <= last {
				b.Fatalf("row %d: ID %d after %d: a row repeated or out of order", n, row.ID, last)
			}
			n, last = n+1, row.ID
		}
		wall := time.Since(start)
		if n != rows {
			b.Fatalf("%d rows, want %d", n, rows)
		}
		bound := b24test.ExportBound(rows, 1000, b24.DefaultRate, burst, s.Busy())
		b.ReportMetric(wall.Seconds(), "s/export")
		b.ReportMetric(float64(s.Requests()), "requests")
		b.ReportMetric(float64(n)/wall.Seconds(), "rows/s")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "×bound")
		s.Close()
	}
}

// BenchmarkExportOffsetV3 exports 20,000 rows of tasks.task.list@3 in an order of the caller's: a
// walk by pagination offsets, 1000 rows a page, the pages after the first in 3.0 batches of 2, 4,
// 8… (5 requests); the bound counts a request per 1000 rows, so a batch holding many pages beats it.
func BenchmarkExportOffsetV3(b *testing.B) {
	const rows, burst = 20_000, 50
	for range b.N {
		s := b24test.New(b24test.WithRateLimit(b24.DefaultRate, burst), b24test.WithCost(b24test.ExportCost))
		s.GenerateRows("tasks.task.list@3", rows)
		c, err := b24.New(s.WebhookURL(), "")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, last := 0, int64(math.MaxInt64)
		for task, err := range tasks.New(c).TaskListV3All(context.Background(), &tasks.TaskListV3Params{Order: map[string]string{"id": "DESC"}}) {
			var row struct{ ID int64 }
			if err == nil {
				err = json.Unmarshal(task, &row)
			}
			if err != nil {
				b.Fatal(err)
			}
			if row.ID >= last {
				b.Fatalf("row %d: ID %d after %d: a row repeated or out of order", n, row.ID, last)
			}
			n, last = n+1, row.ID
		}
		wall := time.Since(start)
		if n != rows {
			b.Fatalf("%d rows, want %d", n, rows)
		}
		bound := b24test.ExportBound(rows, 1000, b24.DefaultRate, burst, s.Busy())
		b.ReportMetric(wall.Seconds(), "s/export")
		b.ReportMetric(float64(s.Requests()), "requests")
		b.ReportMetric(float64(n)/wall.Seconds(), "rows/s")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "×bound")
		s.Close()
	}
}
