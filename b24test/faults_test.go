package b24test_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// outcomes sends n requests in turn and names what each met: "ok", "500" (an HTML page, not run),
// "json500" (the portal's JSON error after the call ran), "503", "drop" (the connection failed and
// nothing was recorded) or "lost" (it failed after the call was recorded).
func outcomes(t *testing.T, s *b24test.Server, n int) []string {
	t.Helper()
	var out []string
	for range n {
		before := len(s.Calls())
		status, body, err := send(s.WebhookURL()+"/x.echo", `{}`)
		recorded := len(s.Calls()) > before
		switch {
		case err != nil && recorded:
			out = append(out, "lost")
		case err != nil:
			out = append(out, "drop")
		case status == 200 && recorded:
			out = append(out, "ok")
		case status == 500 && !recorded && strings.Contains(string(body), "<html>"):
			out = append(out, "500")
		case status == 500 && recorded && string(body) == `{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}`:
			out = append(out, "json500")
		case status == 503 && !recorded && string(body) == `{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}`:
			out = append(out, "503")
		default:
			t.Fatalf("unexpected answer: %d %s (recorded %v)", status, body, recorded)
		}
	}
	return out
}

func count(kinds []string) map[string]int {
	m := map[string]int{"500": 0, "json500": 0, "drop": 0, "lost": 0, "503": 0}
	for _, k := range kinds {
		if k != "ok" {
			m[k]++
		}
	}
	return m
}

// TestFaultsRepeatable: the same seed gives the same faults for the same requests, on another server
// or after SetFaults; every kind shows up as the client sees it, FaultsInjected counts them, and the
// zero Faults turns them off.
func TestFaultsRepeatable(t *testing.T) {
	f := b24test.Faults{Seed: 42, Status500: 0.15, JSON500: 0.15, DropBefore: 0.15, LostAfter: 0.15, Storm503: 3, Storm503Start: 5}
	s := limited(t, b24test.WithFaults(f))
	first := outcomes(t, s, 60)
	if !reflect.DeepEqual(first[5:8], []string{"503", "503", "503"}) {
		t.Errorf("requests 5-7 should meet the storm: %v", first)
	}
	c := count(first)
	for kind, n := range c {
		if n == 0 || (kind != "503" && n > 30) {
			t.Errorf("%d faults of kind %s in 60 requests: %v", n, kind, first)
		}
	}
	if got := s.FaultsInjected(); !reflect.DeepEqual(got, c) {
		t.Errorf("FaultsInjected %v, the client saw %v", got, c)
	}
	if s.Runs("x.echo") != strings.Count(strings.Join(first, ","), "ok")+c["lost"]+c["json500"] {
		t.Errorf("runs %d: only ok, lost and json500 requests ran (%v)", s.Runs("x.echo"), c)
	}

	other := limited(t, b24test.WithFaults(f))
	if again := outcomes(t, other, 60); !reflect.DeepEqual(again, first) {
		t.Errorf("another server with the same seed:\n%v\n%v", again, first)
	}
	s.SetFaults(f)
	if again := outcomes(t, s, 60); !reflect.DeepEqual(again, first) {
		t.Errorf("SetFaults with the same seed:\n%v\n%v", again, first)
	}
	f.Seed = 43
	s.SetFaults(f)
	if again := outcomes(t, s, 60); reflect.DeepEqual(again, first) {
		t.Errorf("another seed gave the same faults")
	}
	s.SetFaults(b24test.Faults{})
	if again := outcomes(t, s, 20); count(again)["500"]+count(again)["drop"]+count(again)["lost"]+count(again)["503"] != 0 {
		t.Errorf("faults after turning them off: %v", again)
	}
}

// TestFaultLostAfterRuns: a lost request ran in full (a batch with its commands) before the
// connection closed; a dropped one did not run at all; the OAuth endpoint is never faulted.
func TestFaultLostAfterRuns(t *testing.T) {
	s := limited(t, b24test.WithFaults(b24test.Faults{LostAfter: 1}), b24test.WithOAuthApp("app", "secret"))
	var writes atomic.Int32
	s.Handle("x.write", func(b24test.Call) (any, *b24.APIError) { writes.Add(1); return 7, nil })
	if _, _, err := send(s.WebhookURL()+"/batch", `{"cmd": ["x.write", "x.write"]}`); err == nil {
		t.Fatal("a lost answer arrived")
	}
	if writes.Load() != 2 || s.Runs("x.write") != 2 || s.Runs("batch") != 1 || len(s.Calls()) != 3 {
		t.Errorf("the lost batch did not run: writes %d runs %d calls %d", writes.Load(), s.Runs("x.write"), len(s.Calls()))
	}
	resp, err := http.Get(fmt.Sprintf("%s/oauth/token/?grant_type=refresh_token&client_id=app&client_secret=secret&refresh_token=%s", s.URL(), s.RefreshToken()))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("OAuth endpoint faulted: %v", err)
	}
	resp.Body.Close()

	s.SetFaults(b24test.Faults{DropBefore: 1})
	if _, _, err := send(s.WebhookURL()+"/x.write", `{}`); err == nil {
		t.Fatal("a dropped request was answered")
	}
	if writes.Load() != 2 || len(s.Calls()) != 3 {
		t.Errorf("a dropped request ran: writes %d calls %d", writes.Load(), len(s.Calls()))
	}
	if got := s.FaultsInjected(); got["lost"] != 1 || got["drop"] != 1 {
		t.Errorf("FaultsInjected %v", got)
	}
}

// TestConcurrentUse: limits, costs, faults and row changes at once stay consistent (run with -race):
// every request is accounted for as refused, faulted or run.
func TestConcurrentUse(t *testing.T) {
	s := limited(t, b24test.WithRateLimit(1000, 40),
		b24test.WithFaults(b24test.Faults{Seed: 7, Status500: 0.1, Storm503: 5, Storm503Start: 10}))
	s.GenerateRows("crm.deal.list", 500)
	var wg sync.WaitGroup
	var ok, failed atomic.Int32
	for g := range 10 {
		wg.Go(func() {
			for i := range 10 {
				status, _, err := send(s.WebhookURL()+"/crm.deal.list", `{"start": -1, "filter": {">ID": 0}}`)
				if err == nil && status == 200 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
				id := 1_000_000 + g*100 + i
				s.AddRows("crm.deal.list", []byte(fmt.Sprintf(`{"ID": %d}`, id)))
				s.DeleteRows("crm.deal.list", int64(id-1)) // the goroutine's row before, none at i 0
				_ = s.ListRows("crm.deal.list")
				_ = s.FaultsInjected()
			}
		})
	}
	wg.Wait()
	faults := s.FaultsInjected()
	if faults["503"] != 5 || int(failed.Load()) != s.Refused()+faults["500"]+faults["503"] || int(ok.Load()) != s.Runs("crm.deal.list") {
		t.Errorf("ok %d failed %d: refused %d faults %v runs %d", ok.Load(), failed.Load(), s.Refused(), faults, s.Runs("crm.deal.list"))
	}
	if n := s.ListRows("crm.deal.list"); n != 510 {
		t.Errorf("ListRows %d, want 500 + one row left by each goroutine", n)
	}
}
