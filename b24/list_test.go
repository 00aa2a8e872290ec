package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/mainapi"
	"github.com/google/go-cmp/cmp"
)

// table is a list method over rows with IDs, answering as the portal does: 50 rows a page, order by
// ID or TITLE, a ">ID" filter, start as an offset with total and next, start -1 without counting.
type table struct {
	mu       sync.Mutex
	ids      []int
	requests []map[string]any
	onPage   func(t *table) // runs after each answer, to change the data mid-walk
	resetAt  int64          // the operating_reset_at of the answers; 0: the fake portal's default
}

func newTable(n int) *table {
	t := &table{}
	for i := 1; i <= n; i++ {
		t.ids = append(t.ids, i*10)
	}
	return t
}

func (t *table) handle(rowsKey string) b24test.Handler {
	return func(c b24test.Call) (any, *b24.APIError) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.requests = append(t.requests, c.Params)
		ids := append([]int(nil), t.ids...)
		if f, ok := c.Params["filter"].(map[string]any); ok {
			if v, ok := f[">ID"]; ok {
				min := num(v)
				kept := ids[:0]
				for _, id := range ids {
					if int64(id) > min {
						kept = append(kept, id)
					}
				}
				ids = kept
			}
		}
		if o, ok := c.Params["order"].(map[string]any); ok && o["ID"] == "DESC" {
			sort.Sort(sort.Reverse(sort.IntSlice(ids)))
		}
		start := num(c.Params["start"])
		var page []map[string]any
		for i := max(int(start), 0); i < len(ids) && len(page) < 50; i++ {
			page = append(page, map[string]any{"ID": fmt.Sprint(ids[i]), "TITLE": fmt.Sprintf("row %d", ids[i])})
		}
		var result any = page
		if rowsKey != "" {
			result = map[string]any{rowsKey: page}
		}
		env := b24test.Envelope{Result: result, OperatingResetAt: t.resetAt}
		if start >= 0 {
			total := len(ids)
			env.Total = &total
			if next := int(start) + len(page); next < len(ids) {
				env.Next = &next
			}
		}
		if t.onPage != nil {
			t.onPage(t)
		}
		return env, nil
	}
}

// num reads a number as JSON (json.Number) or a batch command's query (text) sends it.
func num(v any) int64 {
	n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
	return n
}

type row struct {
	ID    b24.Int
	TITLE string
}

var shape = b24.ListShape{ID: "ID", Start: "start", Filter: "filter", Order: "order"}

func collect(t *testing.T, seq func(func(row, error) bool)) ([]int, error) {
	t.Helper()
	var ids []int
	for r, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, int(r.ID))
	}
	return ids, nil
}

func tens(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i*10)
	}
	return out
}

// TestAllByID: 120 rows in 3 pages, in two requests; only the first page counts; the caller's
// filter is kept; the progress sees the total.
func TestAllByID(t *testing.T) {
	s := newPortal(t)
	tb := newTable(120)
	s.Handle("x.list", tb.handle(""))
	var progress []string
	params := map[string]any{"filter": map[string]any{"TYPE": "A"}, "select": []string{"ID"}}
	ids, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", params, shape,
		b24.WithProgress(func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) })))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(tens(1, 120), ids); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"50/120", "100/120", "120/120"}, progress); d != "" {
		t.Errorf("progress (-want +got):\n%s", d)
	}
	// a counted first page, then one batch of the two pages left, chained by reference
	var sent []string
	for _, r := range tb.requests {
		f := r["filter"].(map[string]any)
		sent = append(sent, fmt.Sprintf("TYPE=%v >ID=%v order=%v start=%v", f["TYPE"], f[">ID"], r["order"], r["start"]))
	}
	want := []string{
		"TYPE=A >ID=<nil> order=map[ID:ASC] start=0",
		"TYPE=A >ID=500 order=map[ID:ASC] start=-1",
		"TYPE=A >ID=1000 order=map[ID:ASC] start=-1",
	}
	if d := cmp.Diff(want, sent); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	if n := len(s.Calls()); n != 4 {
		t.Errorf("%d calls, want 4: the first page, the batch and its two commands", n)
	}
	if params["start"] != nil || len(params["filter"].(map[string]any)) != 1 {
		t.Errorf("All changed the caller's params: %v", params)
	}
}

// TestAllByIDChangingData: rows deleted and added during the walk: no row twice, none of the rows
// present throughout missed, rows added at the end included.
func TestAllByIDChangingData(t *testing.T) {
	s := newPortal(t)
	tb := newTable(120)
	pages := 0
	tb.onPage = func(tb *table) {
		pages++
		if pages == 1 {
			tb.ids = append(tb.ids[:5:5], tb.ids[6:]...) // delete 60, already returned
			tb.ids = append(tb.ids, 5000)                // add one with a higher ID
		}
	}
	s.Handle("x.list", tb.handle("items"))
	ids, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", nil, b24.ListShape{Rows: "items", ID: "ID", Start: "start", Filter: "filter", Order: "order"}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(append(tens(1, 120), 5000), ids); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

// TestAllPages: with an order of the caller's, All pages with start and next in that order.
func TestAllPages(t *testing.T) {
	s := newPortal(t)
	tb := newTable(75)
	s.Handle("x.list", tb.handle(""))
	ids, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", map[string]any{"order": map[string]string{"ID": "DESC"}}, shape))
	if err != nil {
		t.Fatal(err)
	}
	want := tens(1, 75)
	sort.Sort(sort.Reverse(sort.IntSlice(want)))
	if d := cmp.Diff(want, ids); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if len(tb.requests) != 2 || fmt.Sprint(tb.requests[1]["start"]) != "50" || tb.requests[1]["filter"] != nil {
		t.Errorf("requests %v", tb.requests)
	}
	// a cursor of the caller's on the ID pages too, and keeps it
	tb.requests = nil
	if ids, err = collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", map[string]any{"filter": map[string]any{">ID": 500, "": 1}}, shape)); err != nil || len(ids) != 25 || tb.requests[0]["order"] != nil {
		t.Errorf("%d rows, %v; requests %v", len(ids), err, tb.requests)
	}
	// a shape without ID pages too
	tb.requests = nil
	if ids, err = collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", nil, b24.ListShape{Start: "start"})); err != nil || len(ids) != 75 || len(tb.requests) != 2 {
		t.Errorf("%d rows in %d requests, %v", len(ids), len(tb.requests), err)
	}
}

// TestAllStops: a break stops the requests; an error is yielded once, after the rows before it.
func TestAllStops(t *testing.T) {
	s := newPortal(t)
	tb := newTable(120)
	s.Handle("x.list", tb.handle(""))
	c := webhook(t, s)
	n := 0
	for _, err := range b24.All[row](context.Background(), c, "x.list", nil, shape) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	if len(tb.requests) != 1 {
		t.Errorf("%d requests after a break in the first page", len(tb.requests))
	}

	tb.requests = nil
	tb.onPage = func(*table) { s.FailNext("x.list", 1, &b24.APIError{Code: "ACCESS_DENIED", Status: 403}) }
	ids, err := collect(t, b24.All[row](context.Background(), c, "x.list", nil, shape))
	if len(ids) != 50 || !errors.Is(err, b24.ErrAccessDenied) || !strings.HasPrefix(err.Error(), "x.list: ") {
		t.Errorf("%d rows, err %v", len(ids), err)
	}
}

// TestAllBadAnswers: rows out of ID order, rows that are not a list or lack the ID, rows that do not
// decode, params that are not an object: errors, never a silent skip.
func TestAllBadAnswers(t *testing.T) {
	for name, tc := range map[string]struct {
		result any
		params any
		want   string
	}{
		"out of order": {[]map[string]any{{"ID": 5}, {"ID": 3}}, nil, "row ID 3 came after 5"},
		"not a list":   {"nope", nil, "the rows are not a list"},
		"no ID":        {[]map[string]any{{"X": 1}}, nil, "a row has no ID"},
		"bad row":      {[]map[string]any{{"ID": 1, "TITLE": map[string]any{}}}, nil, "does not decode"},
		"params":       {[]any{}, []int{1}, "params of a list method must be a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newPortal(t)
			s.Handle("x.list", func(b24test.Call) (any, *b24.APIError) { return tc.result, nil })
			_, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", tc.params, shape))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestAllOperatingLimit: a walk refused for the method's time limit waits for the reset time of the
// last answer (already past here) and asks again; with WithOperatingLimit(0) a refusal is the error.
func TestAllOperatingLimit(t *testing.T) {
	s := newPortal(t)
	tb := newTable(120)
	tb.resetAt = 1 // long past: no real wait
	s.Handle("x.list", tb.handle(""))
	refuse := &b24.APIError{Code: "OPERATION_TIME_LIMIT", Status: 429}
	tb.onPage = func(tb *table) {
		if len(tb.requests) == 1 { // the first command of the batch that follows is refused
			s.FailNext("x.list", 1, refuse)
		}
	}
	ids, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", nil, shape))
	if err != nil || len(ids) != 120 {
		t.Errorf("%d rows, err %v", len(ids), err)
	}
	// the first page, the refused batch's second command (which ran on an unresolved reference and
	// is ignored), then the batch again
	if n := len(tb.requests); n != 4 {
		t.Errorf("%d pages answered, want 4", n)
	}

	// with the waiting turned off, a refusal is the error
	tb.onPage = nil
	s.FailNext("x.list", 1, refuse)
	if _, err := collect(t, b24.All[row](context.Background(), webhook(t, s, b24.WithOperatingLimit(0)), "x.list", nil, shape)); !errors.Is(err, b24.ErrOperationTimeLimit) {
		t.Errorf("err = %v", err)
	}
}

// TestAllRefusesStart: All sets start itself; a caller's start is refused by name, not overwritten,
// and After on a walk that pages by offset is refused too.
func TestAllRefusesStart(t *testing.T) {
	s := newPortal(t)
	tb := newTable(10)
	s.Handle("x.list", tb.handle(""))
	_, err := collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", map[string]any{"start": 50}, shape))
	if err == nil || !strings.Contains(err.Error(), "params set start") || len(tb.requests) != 0 {
		t.Errorf("err = %v after %d requests", err, len(tb.requests))
	}
	_, err = collect(t, b24.All[row](context.Background(), webhook(t, s), "x.list", map[string]any{"order": map[string]string{"ID": "DESC"}}, shape, b24.After(5)))
	if err == nil || !strings.Contains(err.Error(), "After needs a walk by ID") {
		t.Errorf("After with an order: err = %v", err)
	}
}

// TestAllOffsetV3: a REST 3.0 walk by offset (an order of the caller's) sends a first page alone,
// then 3.0 batches of 2, 4, 8… up to 50 pages, each asked for as soon as the one before came back
// full; every row once, in the caller's order, also when requests fail, are dropped or lose their
// answer (a batch of reads is sent again).
func TestAllOffsetV3(t *testing.T) {
	for _, faults := range []b24test.Faults{{}, {Seed: 1, Status500: 0.2, JSON500: 0.1, DropBefore: 0.1, LostAfter: 0.2}} {
		s := newPortal(t)
		n := s.GenerateRows("tasks.task.list@3", 1234)
		s.SetFaults(faults)
		c := webhook(t, s, b24.WithRetry(20, time.Millisecond), b24.WithRateLimit(0, 0))
		shape := b24.ListShape{Rows: "items", ID: "id", Filter: "filter", Order: "order", API3: true, Limit: 10}
		var ids []int64
		for r, err := range b24.All[struct{ ID int64 }](t.Context(), c, "tasks.task.list", map[string]any{"order": map[string]any{"id": "DESC"}}, shape) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		descending := true
		for i := 1; i < len(ids); i++ {
			descending = descending && ids[i] < ids[i-1]
		}
		if len(ids) != n || !descending {
			t.Fatalf("faults %+v: %d rows, want %d, each once in descending order (%v)", faults, len(ids), n, descending)
		}
		if faults.Seed != 0 {
			if met := s.FaultsInjected(); met["500"] == 0 || met["lost"] == 0 {
				t.Errorf("faults met: %v", met)
			}
			continue
		}
		var sizes []int
		for _, call := range s.Calls() {
			if call.Method == "batch" {
				sizes = append(sizes, len(call.Params))
			}
		}
		// 124 pages: 1 alone, then 2+4+8+16+32+50, then 50 more, the 11th of them short
		if d := cmp.Diff([]int{2, 4, 8, 16, 32, 50, 50}, sizes); d != "" {
			t.Errorf("batch sizes (-want +got):\n%s", d)
		}
	}
}

// TestAllV3 walks a REST 3.0 list (tasks.task.list@3, 1000 rows a page) on the fake portal: every
// row once, in ID order, at /rest/api/, with the caller's conditions kept and ["id", ">", last]
// added; rows deleted and added during the walk neither repeat nor hide the others; After resumes.
func TestAllV3(t *testing.T) {
	s := newPortal(t)
	n := s.GenerateRows("tasks.task.list@3", 2150)
	c := webhook(t, s)
	shape := b24.ListShape{Rows: "items", ID: "id", Filter: "filter", Order: "order", Select: "select", API3: true, Limit: 1000}
	type task struct{ ID int64 }
	walk := func(params any, opts ...b24.CallOption) (ids []int64, err error) {
		for r, err := range b24.All[task](t.Context(), c, "tasks.task.list", params, shape, opts...) {
			if err != nil {
				return ids, err
			}
			if len(ids) == 0 && len(params.(map[string]any)) == 0 && opts == nil {
				s.DeleteRows("tasks.task.list@3", r.ID) // already returned
				s.AddRows("tasks.task.list@3", []byte(`{"id":999999999,"title":"added"}`))
			}
			ids = append(ids, r.ID)
		}
		return ids, nil
	}
	all, err := walk(map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n+1 || all[len(all)-1] != 999999999 || !sort.SliceIsSorted(all, func(i, j int) bool { return all[i] < all[j] }) {
		t.Fatalf("%d rows (want %d, the added one last), sorted %v", len(all), n+1, sort.SliceIsSorted(all, func(i, j int) bool { return all[i] < all[j] }))
	}
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			t.Fatalf("row %d twice", all[i])
		}
	}
	var sent []string
	for _, call := range s.Calls() {
		if !call.API3 || !strings.HasPrefix(call.Path, "/rest/api/") {
			t.Errorf("call %s sent to %s (API3 %v)", call.Method, call.Path, call.API3)
		}
		sent = append(sent, fmt.Sprintf("%v %v %v", call.Params["filter"], call.Params["order"], call.Params["pagination"]))
	}
	want := []string{
		"<nil> map[id:ASC] map[limit:1000]",
		fmt.Sprintf("[[id > %d]] map[id:ASC] map[limit:1000]", all[999]),
		fmt.Sprintf("[[id > %d]] map[id:ASC] map[limit:1000]", all[1999]),
	}
	if d := cmp.Diff(want, sent); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	// the caller's conditions are kept, and After resumes above a row
	below := []any{b24.Where("id", "<=", all[1500])}
	part, err := walk(map[string]any{"filter": below}, b24.After(all[1200]))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all[1201:1501], part); d != "" {
		t.Errorf("After + condition (-want +got):\n%s", d)
	}
	if len(below) != 1 {
		t.Errorf("All changed the caller's filter: %v", below)
	}

	// an order of the caller's: pages by offset in that order, every row once
	s.ResetCalls()
	desc, err := walk(map[string]any{"order": map[string]any{"id": "DESC"}})
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(all[1:]) // the first row was deleted
	slices.Reverse(reversed)
	if d := cmp.Diff(reversed, desc); d != "" {
		t.Errorf("by offset, descending (-want +got):\n%s", d)
	}
	// a first page alone, then the next pages in one 3.0 batch
	var offsets []string
	for _, call := range s.Calls() {
		if call.Method == "batch" {
			offsets = append(offsets, "batch")
			continue
		}
		offsets = append(offsets, call.BatchKey+fmt.Sprint(call.Params["pagination"]))
	}
	if d := cmp.Diff([]string{"map[limit:1000 offset:0]", "batch", "p0map[limit:1000 offset:1000]", "p1map[limit:1000 offset:2000]"}, offsets); d != "" {
		t.Errorf("offset pages (-want +got):\n%s", d)
	}

	for _, bad := range []struct {
		params map[string]any
		opts   []b24.CallOption
	}{
		{map[string]any{"pagination": map[string]any{"limit": 10}}, nil},
		{map[string]any{"filter": map[string]any{"title": "x"}}, nil},
		{map[string]any{"order": map[string]any{"id": "DESC"}}, []b24.CallOption{b24.After(5)}}, // After needs the walk by ID
	} {
		if _, err := walk(bad.params, bad.opts...); err == nil {
			t.Errorf("%v: no error", bad.params)
		}
	}
}

// TestAllCursorV3 walks a REST 3.0 list by its own cursor (note.collection.list's nextCursor, sent
// back as pagination.afterCursor): every row once, in order; a failure gives the cursor of the page
// that failed, and AfterCursor resumes there with nothing repeated or lost.
func TestAllCursorV3(t *testing.T) {
	s := newPortal(t)
	n := s.GenerateRows("note.collection.list", 230)
	c := webhook(t, s, b24.WithRetry(0, 0))
	shape := b24.ListShape{Rows: "items", ID: "id", API3: true, Cursor: "nextCursor"}
	type note struct{ ID int64 }
	walk := func(opts ...b24.CallOption) (ids []int64, err error) {
		for r, err := range b24.All[note](t.Context(), c, "note.collection.list", nil, shape, opts...) {
			if err != nil {
				return ids, err
			}
			ids = append(ids, r.ID)
		}
		return ids, nil
	}
	all, err := walk()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != n {
		t.Fatalf("%d rows of %d, sorted %v", len(all), n, slices.IsSorted(all))
	}
	var sent []string
	for _, call := range s.Calls() {
		if !call.API3 {
			t.Errorf("call at %s", call.Path)
		}
		sent = append(sent, fmt.Sprint(call.Params["pagination"]))
	}
	want := []string{"map[]"}
	for _, i := range []int{49, 99, 149, 199} {
		want = append(want, fmt.Sprintf("map[afterCursor:map[id:%d]]", all[i]))
	}
	if d := cmp.Diff(want, sent); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	// the third page fails: the rows before it are complete, and its cursor resumes the walk
	got, err := func() (ids []int64, err error) {
		for r, err := range b24.All[note](t.Context(), c, "note.collection.list", nil, shape) {
			if err != nil {
				return ids, err
			}
			if ids = append(ids, r.ID); len(ids) == 100 {
				s.FailNext("note.collection.list", 1, &b24.APIError{Code: "ACCESS_DENIED", Description: "no", Status: 403})
			}
		}
		return ids, nil
	}()
	var stop *b24.ExportError
	if !errors.As(err, &stop) || stop.Cursor == nil || len(got) != 100 {
		t.Fatalf("%d rows, error %v", len(got), err)
	}
	rest, err := walk(b24.AfterCursor(stop.Cursor))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all, append(got, rest...)); d != "" {
		t.Errorf("resumed (-want +got):\n%s", d)
	}
}

// TestAllSeekV3 walks main.eventlog.tail, which takes its position in a cursor param of its own:
// every row once, each request cursor {field: id, order: ASC, value: the last id, limit: 50} and
// no condition on id (the portal refuses one there); a failure stops it with the last id, from
// which After resumes; a caller's cursor is refused.
func TestAllSeekV3(t *testing.T) {
	s := newPortal(t)
	n := s.GenerateRows("main.eventlog.tail", 120)
	svc := mainapi.New(webhook(t, s, b24.WithRetry(0, 0)))
	walk := func(p *mainapi.EventlogTailParams, opts ...b24.CallOption) (ids []int64, err error) {
		for raw, err := range svc.EventlogTailAll(t.Context(), p, opts...) {
			if err != nil {
				return ids, err
			}
			var r struct{ ID int64 }
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		return ids, nil
	}
	all, err := walk(&mainapi.EventlogTailParams{Filter: []any{b24.Where("title", "!=", "none")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != n {
		t.Fatalf("%d rows of %d, sorted %v", len(all), n, slices.IsSorted(all))
	}
	var sent []string
	for _, call := range s.Calls() {
		if !call.API3 || call.Params["pagination"] != nil || call.Params["order"] != nil {
			t.Errorf("call %s: %v", call.Path, call.Params)
		}
		sent = append(sent, fmt.Sprint(call.Params["cursor"], call.Params["filter"]))
	}
	want := []string{"map[field:id limit:50 order:ASC value:0] [[title != none]]"}
	for _, i := range []int{49, 99} {
		want = append(want, fmt.Sprintf("map[field:id limit:50 order:ASC value:%d] [[title != none]]", all[i]))
	}
	if d := cmp.Diff(want, sent); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	// the third request fails: which one it meets does not hang on how far the rows were read
	s.FailNext("main.eventlog.tail", 2, nil)
	s.FailNext("main.eventlog.tail", 1, &b24.APIError{Code: "ACCESS_DENIED", Description: "no", Status: 403})
	got, err := walk(&mainapi.EventlogTailParams{Select: []string{"id", "title"}})
	var stop *b24.ExportError
	if !errors.As(err, &stop) || stop.After != all[99] || len(got) != 100 {
		t.Fatalf("%d rows, error %v", len(got), err)
	}
	rest, err := walk(&mainapi.EventlogTailParams{}, b24.After(stop.After))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all, append(got, rest...)); d != "" {
		t.Errorf("resumed (-want +got):\n%s", d)
	}
	if _, err := walk(&mainapi.EventlogTailParams{Cursor: map[string]any{"value": 5}}); err == nil || !strings.Contains(err.Error(), "params set cursor, which All sets itself") {
		t.Errorf("a caller's cursor: %v", err)
	}
	if _, err := walk(&mainapi.EventlogTailParams{Filter: []any{b24.Where("id", ">", 5)}}); !errors.Is(err, &b24.APIError{Code: "BITRIX_REST_V3_EXCEPTION_INVALIDFILTEREXCEPTION"}) {
		t.Errorf("a condition on id: %v", err)
	}
}
