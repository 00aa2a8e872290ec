package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

// TestExportUnderFaultsCLI: b24 crm.deal.list --all over 100,000 rows under 5% HTTP 500s, 2%
// connections dropped before the call, 1% answers lost after it and a 503 storm prints every row
// exactly once and exits 0.
func TestExportUnderFaultsCLI(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 3, Status500: 0.05, DropBefore: 0.02, LostAfter: 0.01, Storm503: 4, Storm503Start: 36}))
	defer s.Close()
	s.GenerateRows("crm.deal.list", 100_000)
	out := &rowChecker{}
	var errOut bytes.Buffer
	// As in b24's TestExportUnderFaults: no pacing and quick retries, for the test measures
	// exactness, not time.
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.list", "--all"},
		command.Env{Stdout: out, Stderr: &errOut, Catalog: catalog(),
			ClientOptions: []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond)}})
	if code != 0 || out.err != nil || out.n != 100_000 {
		t.Fatalf("exit %d, %d rows: %v\n%s", code, out.n, out.err, errOut.String())
	}
	f := s.FaultsInjected()
	if f["500"]+f["drop"]+f["lost"] == 0 || f["503"] != 4 {
		t.Errorf("faults injected: %v; the test proves nothing without them", f)
	}
}

// TestExportV3UnderFaultsCLI: b24 tasks.task.list@3 --all, a REST 3.0 list walked by id 1000 rows a
// request at /rest/api/, prints 25,000 rows exactly once under 5% HTTP 500s, 2% connections dropped
// and 1% answers lost; --after goes on above a row.
func TestExportV3UnderFaultsCLI(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 5, Status500: 0.05, DropBefore: 0.02, LostAfter: 0.01}))
	defer s.Close()
	s.GenerateRows("tasks.task.list@3", 25_000)
	opts := []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond)}
	out := &rowChecker{}
	var errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "tasks.task.list@3", "--all"},
		command.Env{Stdout: out, Stderr: &errOut, Catalog: catalog(), ClientOptions: opts})
	if code != 0 || out.err != nil || out.n != 25_000 {
		t.Fatalf("exit %d, %d rows: %v\n%s", code, out.n, out.err, errOut.String())
	}
	if f := s.FaultsInjected(); f["500"]+f["drop"]+f["lost"] == 0 {
		t.Errorf("faults injected: %v; the test proves nothing without them", f)
	}
	pages := 0
	for _, c := range s.Calls() {
		if !c.API3 || c.Method != "tasks.task.list" {
			t.Fatalf("a call to %s (API3 %v) at %s", c.Method, c.API3, c.Path)
		}
		if p, _ := c.Params["pagination"].(map[string]any); fmt.Sprint(p["limit"]) != "1000" {
			t.Fatalf("pagination %v, want limit 1000", c.Params["pagination"])
		}
		pages++
	}
	if pages < 26 {
		t.Errorf("%d requests for 25,000 rows at 1000 a page", pages)
	}
	last := out.last
	s.SetFaults(b24test.Faults{})
	s.AddRows("tasks.task.list@3", fmt.Appendf(nil, `{"id":%d,"title":"later"}`, last+1))
	more := &rowChecker{last: last}
	code = command.Run(context.Background(), []string{"--url", s.WebhookURL(), "tasks.task.list@3", "--all", "--after", fmt.Sprint(last)},
		command.Env{Stdout: more, Stderr: &errOut, Catalog: catalog(), ClientOptions: opts})
	if code != 0 || more.err != nil || more.n != 1 || more.last != last+1 {
		t.Errorf("--after %d: exit %d, %d rows up to %d: %v", last, code, more.n, more.last, more.err)
	}
}

// TestExportCursorCLI: b24 note.collection.list --all walks the list's own cursor at /rest/api/,
// exact under faults; a failure prints the rows before it and the --after-cursor that goes on, and
// that command prints the rest; a cursor that is not JSON is a usage error.
func TestExportCursorCLI(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 2, Status500: 0.05, DropBefore: 0.02, LostAfter: 0.01}))
	defer s.Close()
	s.GenerateRows("note.collection.list", 5_000)
	opts := []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond)}
	run := func(args ...string) (*rowChecker, string, int) {
		out, errOut := &rowChecker{}, &bytes.Buffer{}
		code := command.Run(context.Background(), append([]string{"--url", s.WebhookURL(), "note.collection.list", "--all"}, args...),
			command.Env{Stdout: out, Stderr: errOut, Catalog: catalog(), ClientOptions: opts})
		return out, errOut.String(), code
	}
	out, stderr, code := run()
	if code != 0 || out.err != nil || out.n != 5_000 {
		t.Fatalf("exit %d, %d rows: %v\n%s", code, out.n, out.err, stderr)
	}
	if f := s.FaultsInjected(); f["500"]+f["drop"]+f["lost"] == 0 {
		t.Errorf("faults injected: %v; the test proves nothing without them", f)
	}
	all := out.last

	// the third request fails for good: the two pages before it are printed, and the hint's command
	// prints the rest
	s.SetFaults(b24test.Faults{})
	third := &failNth{n: 3, fail: func() {
		s.FailNext("note.collection.list", 1, &b24.APIError{Code: "ACCESS_DENIED", Description: "no", Status: 403})
	}}
	failing := append(slices.Clone(opts), b24.WithHTTPClient(&http.Client{Transport: third}))
	first, errOut := &rowChecker{}, &bytes.Buffer{}
	code = command.Run(context.Background(), []string{"--url", s.WebhookURL(), "note.collection.list", "--all"},
		command.Env{Stdout: first, Stderr: errOut, Catalog: catalog(), ClientOptions: failing})
	hint := regexp.MustCompile(`repeat the command with --after-cursor '([^']+)'\n$`).FindStringSubmatch(errOut.String())
	if code != 1 || first.n != 100 || hint == nil {
		t.Fatalf("exit %d, %d rows, stderr %q", code, first.n, errOut.String())
	}
	rest, stderr, code := run("--after-cursor", hint[1])
	if code != 0 || rest.n != 4_900 || rest.err != nil || rest.last != all {
		t.Errorf("resumed: exit %d, %d rows up to %d (want %d): %v %s", code, rest.n, rest.last, all, rest.err, stderr)
	}
	if _, stderr, code := run("--after-cursor", "{id:"); code != 2 || !strings.Contains(stderr, "is not JSON") {
		t.Errorf("a cursor that is not JSON: exit %d, %q", code, stderr)
	}
}

// failNth scripts a failure just before the nth request it carries.
type failNth struct {
	n, seen int
	fail    func()
}

func (f *failNth) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.seen++; f.seen == f.n {
		f.fail()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestWriteLostCLI: a write whose answer was lost after it ran is sent once, and the CLI says it may
// have run (exit 1); a read under the same fault is repeated until it answers.
func TestWriteLostCLI(t *testing.T) {
	s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: 1, LostAfter: 1}))
	defer s.Close()
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.add", "--fields", "{'TITLE':'x'}"},
		command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	want := "b24: crm.deal.add: the connection closed before the answer: the call may have run; check before repeating it\n"
	if code != 1 || !strings.HasSuffix(errOut.String(), want) || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out.String(), errOut.String(), want)
	}
	if n := s.Runs("crm.deal.add"); n != 1 {
		t.Errorf("the write ran %d times, want once", n)
	}
	s.SetFaults(b24test.Faults{Seed: 1, LostAfter: 0.5})
	code = command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.get", "--id", "1"},
		command.Env{Stdout: io.Discard, Stderr: &errOut, Catalog: catalog()})
	if code != 0 || s.Runs("crm.deal.get") < 2 {
		t.Errorf("read: exit %d after %d runs: %s", code, s.Runs("crm.deal.get"), errOut.String())
	}
}

// countingTransport counts the HTTP requests the CLI's client sends.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestServerFailuresCLI: under 15% JSON 500s (the call ran) and 5% connections dropped, b24
// crm.deal.list --all prints 40,000 rows exactly and exits 0, over several seeds; a write is sent
// once, and each that failed exits 1 saying it may have run.
func TestServerFailuresCLI(t *testing.T) {
	injected := map[string]int{}
	for seed := range int64(4) {
		s := b24test.New(b24test.WithFaults(b24test.Faults{Seed: seed, JSON500: 0.15, DropBefore: 0.05}))
		s.GenerateRows("crm.deal.list", 40_000)
		out := &rowChecker{}
		var errOut bytes.Buffer
		var sent countingTransport
		env := command.Env{Stdout: out, Stderr: &errOut, Catalog: catalog(),
			ClientOptions: []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond),
				b24.WithHTTPClient(&http.Client{Transport: &sent})}}
		code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.list", "--all"}, env)
		if code != 0 || out.err != nil || out.n != 40_000 {
			t.Fatalf("seed %d: exit %d, %d rows: %v\n%s", seed, code, out.n, out.err, errOut.String())
		}
		failed := 0
		for i := range 50 {
			before := sent.n.Load()
			errOut.Reset()
			env.Stdout = io.Discard
			code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.add", "--fields", fmt.Sprintf("{'TITLE':'deal %d'}", i)}, env)
			if n := sent.n.Load() - before; n != 1 {
				t.Fatalf("seed %d, write %d: sent %d times", seed, i, n)
			}
			if code != 0 {
				failed++
				if code != 1 || !strings.Contains(errOut.String(), "the call may have run; check before repeating it") {
					t.Errorf("seed %d, write %d: exit %d: %s", seed, i, code, errOut.String())
				}
			}
		}
		f := s.FaultsInjected()
		for k, n := range f {
			injected[k] += n
		}
		if failed == 0 {
			t.Errorf("seed %d: no write failed (faults %v); the test proves nothing", seed, f)
		}
		s.Close()
	}
	if injected["json500"] == 0 || injected["drop"] == 0 {
		t.Errorf("faults injected: %v", injected)
	}
}

// TestTimeoutCLI: --timeout bounds the whole call, retries included: a portal that keeps refusing
// ends the call inside the limit with the reason; a refused port is tried four times in all.
func TestTimeoutCLI(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	s.FailNext("user.current", 100, b24test.QueryLimitExceeded())
	var errOut bytes.Buffer
	env := command.Env{Stdout: io.Discard, Stderr: &errOut, Catalog: catalog(),
		ClientOptions: []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, 300*time.Millisecond)}}
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "--timeout", "1s", "user.current"}, env)
	if n := len(s.Calls()); code != 1 || n > 4 || !strings.Contains(errOut.String(), "QUERY_LIMIT_EXCEEDED") ||
		!strings.Contains(errOut.String(), "the time limit would pass before the next try") {
		t.Errorf("exit %d after %d calls: %s", code, n, errOut.String())
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var sent countingTransport
	errOut.Reset()
	env.ClientOptions = []b24.Option{b24.WithRetry(b24.DefaultRetries, time.Millisecond), b24.WithHTTPClient(&http.Client{Transport: &sent})}
	code = command.Run(context.Background(), []string{"--url", "http://" + addr + "/rest/1/abcdef", "--timeout", "30s", "user.current"}, env)
	if code != 1 || sent.n.Load() != 4 || !strings.Contains(errOut.String(), "connection refused") {
		t.Errorf("refused port: exit %d after %d tries: %s", code, sent.n.Load(), errOut.String())
	}
}

// TestRedirectRefusedCLI: a portal pointing at another host gets an error naming it, exit 1, and the
// other host sees nothing; a renamed portal on the same host is followed.
func TestRedirectRefusedCLI(t *testing.T) {
	s, other := b24test.New(), b24test.New()
	defer s.Close()
	defer other.Close()
	elsewhere := strings.Replace(other.URL(), "127.0.0.1", "localhost", 1)
	s.Redirect(http.StatusFound, elsewhere)
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "user.current"},
		command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	want := "redirected to " + elsewhere + ", another host; refusing to send credentials there"
	if code != 1 || !strings.Contains(errOut.String(), want) || other.Requests() != 0 || out.Len() != 0 {
		t.Errorf("exit %d, %d requests elsewhere, stdout %q, stderr %q; want %q", code, other.Requests(), out.String(), errOut.String(), want)
	}
	s.Redirect(http.StatusFound, other.URL()) // same host, another port: the portal moved
	errOut.Reset()
	code = command.Run(context.Background(), []string{"--url", s.WebhookURL(), "user.current"},
		command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	if code != 1 || !strings.Contains(errOut.String(), "INVALID_CREDENTIALS") || len(other.Calls()) != 1 {
		t.Errorf("same host: exit %d, stderr %q (the other portal has its own secret)", code, errOut.String())
	}
}

// cancelAfter counts rows like rowChecker and cancels the run after n of them, as Ctrl-C would.
type cancelAfter struct {
	rowChecker
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	n, err := c.rowChecker.Write(p)
	if c.rowChecker.n >= c.n {
		c.cancel()
	}
	return n, err
}

// TestInterruptedExportCLI: Ctrl-C during --all exits 130, says it was interrupted and how to
// resume, and says nothing of commands that may have run (the export only reads); resuming with
// --after prints exactly the rest.
func TestInterruptedExportCLI(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	s.GenerateRows("crm.deal.list", 20_000)
	ctx, cancel := context.WithCancel(context.Background())
	out := &cancelAfter{n: 5_000, cancel: cancel}
	var errOut bytes.Buffer
	opts := []b24.Option{b24.WithRateLimit(0, 0)}
	code := command.Run(ctx, []string{"--url", s.WebhookURL(), "crm.deal.list", "--all"},
		command.Env{Stdout: out, Stderr: &errOut, Catalog: catalog(), ClientOptions: opts})
	hint := regexp.MustCompile(`repeat the command with --after (\d+)\n$`).FindStringSubmatch(errOut.String())
	if code != command.ExitInterrupted || !strings.Contains(errOut.String(), "\nb24: interrupted\n") || hint == nil ||
		strings.Contains(errOut.String(), "may have run") || out.err != nil {
		t.Fatalf("exit %d after %d rows (%v):\n%s", code, out.rowChecker.n, out.err, errOut.String())
	}
	if hint[1] != fmt.Sprint(out.last) {
		t.Errorf("resume after %s, the last row printed is %d", hint[1], out.last)
	}
	rest := &rowChecker{last: out.last}
	code = command.Run(context.Background(), []string{"--url", s.WebhookURL(), "crm.deal.list", "--all", "--after", hint[1]},
		command.Env{Stdout: rest, Stderr: &errOut, Catalog: catalog(), ClientOptions: opts})
	if code != 0 || rest.err != nil || out.rowChecker.n+rest.n != 20_000 {
		t.Errorf("resumed: exit %d, %d + %d rows (%v)", code, out.rowChecker.n, rest.n, rest.err)
	}
}

// TestAPI3CLI: a REST 3.0 method's command goes to /rest/api/; the portal's validation list reaches
// stderr, and its whole answer stdout.
func TestAPI3CLI(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "call", "main.eventlog.get"},
		command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	want := "b24: main.eventlog.get: BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION: Error during request object validation (id: Required field `id` is not specified)\n"
	if code != 1 || !strings.HasPrefix(errOut.String(), want) || !strings.Contains(out.String(), `"validation"`) {
		t.Errorf("exit %d\nstdout %s\nstderr %q\nwant %q", code, out.String(), errOut.String(), want)
	}
	if c := s.Calls(); len(c) != 1 || !c[0].API3 {
		t.Errorf("calls %+v", c)
	}
}

// loseFirstAnswer sends every request and loses the answer of the first, as a connection that breaks
// after the portal ran the call.
type loseFirstAnswer struct{ n atomic.Int32 }

func (l *loseFirstAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && l.n.Add(1) == 1 {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("connection reset by peer")
	}
	return resp, err
}

// TestIdempotentWriteCLI: a REST 3.0 write whose answer was lost is sent again with the same
// Idempotency-Key, runs once, and the command exits 0 with the stored answer.
func TestIdempotentWriteCLI(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"--url", s.WebhookURL(), "note.collection.add", "--fields", "{'name':'Notes'}"},
		command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog(), ClientOptions: []b24.Option{
			b24.WithRetry(b24.DefaultRetries, time.Millisecond), b24.WithHTTPClient(&http.Client{Transport: &loseFirstAnswer{}})}})
	calls := s.Calls()
	if code != 0 || len(calls) != 2 || calls[0].IdempotencyKey == "" || calls[0].IdempotencyKey != calls[1].IdempotencyKey ||
		s.Runs("note.collection.add") != 1 || !strings.Contains(out.String(), `"result"`) {
		t.Errorf("exit %d, %d calls, %d runs\nstdout %s\nstderr %s", code, len(calls), s.Runs("note.collection.add"), out.String(), errOut.String())
	}
}

// TestBatchV3CLI: b24 batch with REST 3.0 methods sends one 3.0 batch (JSON or form params, a
// reference filled in by the portal) and prints the results by key; a failing command fails the
// whole batch (exit 1, the validation list on stderr); mixing generations is a usage error.
func TestBatchV3CLI(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	s.SetRows("tasks.task.list@3", []json.RawMessage{json.RawMessage(`{"id": 3, "status": 2}`), json.RawMessage(`{"id": 4, "status": 5}`)})
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := command.Run(context.Background(), append([]string{"--url", s.WebhookURL(), "batch"}, args...),
			command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run(`open=tasks.task.list@3 {"filter": [["status", 2]]}`, `one=main.eventlog.get?id=7`,
		`same=tasks.task.list@3 {"filter": [["id", "in", {"$refArray": "open.id"}]]}`)
	var got struct{ Result map[string]json.RawMessage }
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Result) != 3 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, key := range []string{"open", "same"} {
		if r := string(got.Result[key]); strings.Join(strings.Fields(r), "") != `{"items":[{"id":3,"status":2}]}` {
			t.Errorf("%s: %s", key, r)
		}
	}
	calls := s.Calls()
	if len(calls) != 4 || calls[0].Method != "batch" || !calls[0].API3 || fmt.Sprint(calls[2].Params["id"]) != "7" {
		t.Errorf("calls %+v", calls)
	}

	code, _, errOut = run(`a=main.eventlog.get {"id": 5}`, `b=main.eventlog.get {}`)
	if code != 1 || !strings.Contains(errOut, "(id: Required field `id` is not specified)") {
		t.Errorf("a failing command: exit %d, stderr %s", code, errOut)
	}
	s.ResetCalls()
	code, _, errOut = run(`a=main.eventlog.get {"id": 5}`, `b=user.get?ID=1`)
	if code != 2 || !strings.Contains(errOut, "a batch holds one generation") || len(s.Calls()) != 0 {
		t.Errorf("mixed generations: exit %d, stderr %s, %d calls", code, errOut, len(s.Calls()))
	}
}
