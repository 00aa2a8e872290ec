package examplecheck

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/internal/jsonobj"
)

// Outcome classifies one example.
type Outcome string

const (
	Intact        Outcome = "intact"         // arrived unchanged
	Added         Outcome = "added"          // a key nobody set arrived (worst: it may do something)
	Changed       Outcome = "changed"        // a key was lost or renamed, or a value changed
	Unwritable    Outcome = "unwritable"     // the params struct cannot hold the example (Fill failed)
	UnknownMethod Outcome = "unknown method" // no generated method for the example's method
	CallFailed    Outcome = "call failed"    // the fake portal refused the call, or it never reached it
)

// outcomes in report order.
var outcomes = []Outcome{Intact, Added, Changed, Unwritable, UnknownMethod, CallFailed}

// Classify is the outcome of a Diff: added if any key was added, else changed if anything differs.
func Classify(diffs []string) Outcome {
	for _, d := range diffs {
		if strings.HasPrefix(d, "added ") {
			return Added
		}
	}
	if len(diffs) > 0 {
		return Changed
	}
	return Intact
}

// Result is the check of one example.
type Result struct {
	Outcome Outcome
	Diffs   []string // added, changed
	Err     string   // unwritable, unknown method, call failed
	Aside   []string // placeholder paths: a stand-in was sent, not compared
}

// Reason is the result in one line, as the failing file has it.
func (r Result) Reason() string {
	s := r.Err
	if len(r.Diffs) > 0 {
		s = strings.Join(r.Diffs, "; ")
	}
	return strings.Join(strings.Fields(s), " ")
}

// WriteEnv, set to 1, makes Run rewrite its failing file from the current results instead of
// comparing: B24_EXAMPLES_WRITE=1 go test ./generated/...
const WriteEnv = "B24_EXAMPLES_WRITE"

// callTimeout bounds one call to the local portal.
const callTimeout = 10 * time.Second

// Check runs every example against a fresh fake portal and returns the results by line. An example
// whose method is not in methods (matched case-insensitively, as the docs vary the case) is
// UnknownMethod; every method answers null, so that no spec example answer gets in the way.
func Check(examples []Example, methods map[string]Method) map[int]Result {
	return checkAll(examples, methods, false)
}

// checkAll is Check; with api3, an example that does not arrive at /rest/api/ failed.
func checkAll(examples []Example, methods map[string]Method, api3 bool) map[int]Result {
	byLower := make(map[string]Method, len(methods))
	for name, m := range methods {
		byLower[strings.ToLower(name)] = m
	}
	s := b24test.New()
	defer s.Close()
	for name := range methods {
		s.Handle(name, func(b24test.Call) (any, *b24.APIError) { return nil, nil })
	}
	results := make(map[int]Result, len(examples))
	c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0), b24.WithRetry(0, 0))
	if err != nil { // the test server's own URL: cannot happen
		for _, ex := range examples {
			results[ex.Line] = Result{Outcome: CallFailed, Err: err.Error()}
		}
		return results
	}
	for _, ex := range examples {
		m, ok := byLower[strings.ToLower(ex.Method)+"@3"] // the REST 3.0 twin of a 2.0 name
		if !ok || !api3 {
			m, ok = byLower[strings.ToLower(ex.Method)]
		}
		if !ok {
			results[ex.Line] = Result{Outcome: UnknownMethod, Err: "no generated method " + ex.Method}
			continue
		}
		results[ex.Line] = check(ex, m, s, c, api3)
	}
	return results
}

func check(ex Example, m Method, s *b24test.Server, c *b24.Client, api3 bool) Result {
	p := m.New()
	params := ex.Params
	if info := structInfoOf(reflectElem(p)); info.positional {
		params = inOrder(params, info)
	}
	aside, err := Fill(p, params)
	if err != nil {
		return Result{Outcome: Unwritable, Err: err.Error(), Aside: aside}
	}
	s.ResetCalls()
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	callErr := m.Call(ctx, c, p)
	var resultErr *b24.ResultError
	if errors.As(callErr, &resultErr) {
		callErr = nil // the portal answered success: the request arrived whole
	}
	calls := s.Calls()
	switch {
	case callErr != nil:
		return Result{Outcome: CallFailed, Err: callErr.Error(), Aside: aside}
	case len(calls) == 0:
		return Result{Outcome: CallFailed, Err: "no request reached the portal", Aside: aside}
	case api3 && !calls[len(calls)-1].API3:
		return Result{Outcome: CallFailed, Err: "sent to /rest/" + ex.Method + ", not /rest/api/: REST 3.0 is called there", Aside: aside}
	}
	want, err := Expected(params)
	if err != nil {
		return Result{Outcome: Unwritable, Err: err.Error(), Aside: aside}
	}
	got := arrived(calls[len(calls)-1])
	diffs := Diff(want, got)
	return Result{Outcome: Classify(diffs), Diffs: diffs, Aside: aside}
}

// arrived is the request as it came over the wire: the JSON body (it keeps arrays as arrays, where
// Params turns a positional body into keys "0", "1"…), or Params when the body is not JSON.
func arrived(c b24test.Call) any {
	if v, err := decodeJSON(c.Body); err == nil && v != nil {
		return v
	}
	if c.Params == nil {
		return map[string]any{}
	}
	return c.Params
}

// inOrder turns an object example of a positional method into the list the portal reads: by name
// where every key names a parameter (case aside), else the values in the order written — the docs
// name the old task methods' values freely (fields for TASKDATA); their order is what counts.
func inOrder(params json.RawMessage, info *structInfo) json.RawMessage {
	members, err := jsonobj.Members(params)
	if err != nil || len(members) == 0 {
		return params
	}
	list := make([]json.RawMessage, len(members))
	for i, mb := range members {
		list[i] = mb.Value
	}
	at := make([]int, len(members))
	for i, mb := range members {
		at[i] = -1
		for j, f := range info.fields {
			if strings.EqualFold(f.name, mb.Key) {
				at[i] = j
			}
		}
		if at[i] < 0 {
			return array(list)
		}
	}
	byName := []json.RawMessage{}
	for i, j := range at {
		for len(byName) <= j {
			byName = append(byName, json.RawMessage("null"))
		}
		byName[j] = members[i].Value
	}
	return array(byName)
}

// array writes raw values as one JSON array.
func array(list []json.RawMessage) json.RawMessage {
	out := []byte{'['}
	for i, v := range list {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, v...)
	}
	return append(out, ']')
}

// Report counts results by outcome over examples, e.g.
// "1101 examples: 900 intact, 3 added, 150 changed, 40 unwritable, 0 unknown method, 8 call failed".
func Report(examples []Example, results map[int]Result) string {
	counts := map[Outcome]int{}
	notRun := 0
	for _, ex := range examples {
		r, ok := results[ex.Line]
		if !ok {
			notRun++
			continue
		}
		counts[r.Outcome]++
	}
	parts := make([]string, 0, len(outcomes)+1)
	for _, o := range outcomes {
		parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
	}
	if notRun > 0 {
		parts = append(parts, fmt.Sprintf("%d not checked", notRun))
	}
	return fmt.Sprintf("%d examples: %s", len(examples), strings.Join(parts, ", "))
}

// Run checks every example against methods (one whose method is missing there is an unknown method)
// and compares the failures with failingFile, a list of known failures (see Failure for its format; a
// missing file lists none). It fails the test for an unlisted failure, for a listed example that now
// passes, and for a listed one whose outcome changed. Run logs the counts by outcome. With
// B24_EXAMPLES_WRITE=1 it rewrites the entries of the examples' methods in failingFile instead,
// keeping the header comments.
func Run(t *testing.T, methods map[string]Method, failingFile string) {
	t.Helper()
	runAt(t, ExamplesPath, methods, failingFile, false)
}

// ExamplesV3Path is the REST 3.0 examples file, relative to the module root.
const ExamplesV3Path = "upstream/b24-v3/examples.jsonl"

// RunV3 is Run over the REST 3.0 examples: each must also arrive at /rest/api/, or it failed.
func RunV3(t *testing.T, methods map[string]Method, failingFile string) {
	t.Helper()
	runAt(t, ExamplesV3Path, methods, failingFile, true)
}

func runAt(t *testing.T, examplesFile string, methods map[string]Method, failingFile string, api3 bool) {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	run(t, filepath.Join(root, examplesFile), methods, failingFile, os.Getenv(WriteEnv) == "1", api3)
}

// reporter is the part of *testing.T that run uses, so that the tests can watch what it reports.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

func run(t reporter, examplesFile string, methods map[string]Method, failingFile string, write, api3 bool) {
	t.Helper()
	all, err := Load(examplesFile)
	if err != nil {
		t.Fatalf("%v", err)
		return
	}
	// Every example is checked: one whose method is not generated is an unknown method, which the
	// failing file must list with its reason like any other failure.
	byLine := map[int]Example{}
	for _, ex := range all {
		byLine[ex.Line] = ex
	}
	results := checkAll(all, methods, api3)
	t.Logf("%s", Report(all, results))

	if write {
		if err := rewriteFailing(failingFile, all, results); err != nil {
			t.Fatalf("%v", err)
			return
		}
		t.Logf("rewrote %s", failingFile)
		return
	}

	known, err := readFailingFile(failingFile)
	if err != nil {
		t.Fatalf("%v", err)
		return
	}
	for _, ex := range all {
		r := results[ex.Line]
		k, listed := known[ex.Line]
		switch {
		case r.Outcome != Intact && !listed:
			t.Errorf("line %d %s %s: %s\n\tparams: %s\n\tdocs: %s (%s)\n\t(list it in %s if it is known)",
				ex.Line, ex.Method, r.Outcome, r.Reason(), shorten(string(ex.Params), 300), ex.Doc, ex.Repo, failingFile)
		case r.Outcome == Intact && listed:
			t.Errorf("line %d now passes: remove it from %s", ex.Line, failingFile)
		case listed && k.Outcome != r.Outcome:
			t.Errorf("line %d %s: %s lists it as %s, now it is %s: %s", ex.Line, ex.Method, failingFile, k.Outcome, r.Outcome, r.Reason())
		}
	}
	// Every entry must still name the example at its line.
	for _, line := range sortedLines(known) {
		k := known[line]
		if ex, ok := byLine[line]; !ok || !strings.EqualFold(ex.Method, k.Method) {
			got := "no example"
			if ok {
				got = ex.Method
			}
			t.Errorf("%s: line %d is listed for %s, but the example there is %s: remove or renumber the entry", failingFile, line, k.Method, got)
		}
	}
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Failure is one entry of a failing file. The file is plain text, one known failure a line:
//
//	<line number> <method> <outcome>: <reason>
//
// e.g. "214 imbot.chat.updateAvatar unwritable: AVATAR: ..." or "17 crm.deal.add added: added fields.X = 0".
// The outcome is one of the Outcome values; only it is compared, the reason is for the reader (Run
// writes the diffs there). Blank lines and lines starting with # are ignored.
type Failure struct {
	Line    int
	Method  string
	Outcome Outcome
	Reason  string
}

func (f Failure) String() string {
	s := fmt.Sprintf("%d %s %s", f.Line, f.Method, f.Outcome)
	if f.Reason != "" {
		s += ": " + f.Reason
	}
	return s
}

// ParseFailing reads a failing file; name is used in error messages.
func ParseFailing(r io.Reader, name string) (map[int]Failure, error) {
	out := map[int]Failure{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f, err := parseFailure(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if _, dup := out[f.Line]; dup {
			return nil, fmt.Errorf("%s:%d: example line %d is listed twice", name, n, f.Line)
		}
		out[f.Line] = f
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

func parseFailure(line string) (Failure, error) {
	const want = `want "<line> <method> <outcome>: <reason>"`
	num, rest, _ := strings.Cut(line, " ")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return Failure{}, fmt.Errorf("%q is not a line number; %s", num, want)
	}
	method, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	outcome, reason, _ := strings.Cut(strings.TrimSpace(rest), ":")
	o := Outcome(strings.TrimSpace(outcome))
	known := false
	for _, x := range outcomes {
		known = known || x == o
	}
	if method == "" || !known || o == Intact {
		return Failure{}, fmt.Errorf("%q: %s, outcome one of added, changed, unwritable, unknown method, call failed", line, want)
	}
	return Failure{Line: n, Method: method, Outcome: o, Reason: strings.TrimSpace(reason)}, nil
}

func readFailingFile(path string) (map[int]Failure, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[int]Failure{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseFailing(f, path)
}

func sortedLines(m map[int]Failure) []int {
	lines := make([]int, 0, len(m))
	for l := range m {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	return lines
}

const failingHeader = `# Known failures of the docs' request examples (upstream/b24-examples/requests.jsonl), checked by
# b24test/examplecheck. One a line: <line number> <method> <outcome>: <reason>. Only the outcome is
# compared. Regenerate with: B24_EXAMPLES_WRITE=1 go test ./generated/...
`

// rewriteFailing replaces the entries of our methods in path with the current failures. Several test
// binaries may share the file and run at once, hence the lock around the read-modify-write.
func rewriteFailing(path string, examples []Example, results map[int]Result) error {
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	header := failingHeader
	known := map[int]Failure{}
	if data, err := os.ReadFile(path); err == nil {
		if known, err = ParseFailing(strings.NewReader(string(data)), path); err != nil {
			return err
		}
		var b strings.Builder
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if !strings.HasPrefix(l, "#") {
				break
			}
			b.WriteString(l)
		}
		if b.Len() > 0 {
			header = b.String()
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// A failure listed with the same outcome keeps its reason: a person wrote it.
	failures := map[int]Failure{}
	for _, ex := range examples {
		r := results[ex.Line]
		if r.Outcome == Intact {
			continue
		}
		f := Failure{Line: ex.Line, Method: ex.Method, Outcome: r.Outcome, Reason: r.Reason()}
		if k, ok := known[ex.Line]; ok && k.Outcome == r.Outcome && strings.EqualFold(k.Method, ex.Method) {
			f.Reason = k.Reason
		}
		failures[ex.Line] = f
	}
	known = failures
	var b strings.Builder
	b.WriteString(header)
	for _, line := range sortedLines(known) {
		b.WriteString(known[line].String())
		b.WriteByte('\n')
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// lockFile takes an exclusive lock by creating path, waiting for another holder for up to a minute.
func lockFile(path string) (unlock func(), err error) {
	deadline := time.Now().Add(time.Minute)
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is held for over a minute; remove it if no test is writing", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// reflectElem is the struct type a params pointer points to.
func reflectElem(p any) reflect.Type { return reflect.TypeOf(p).Elem() }
