package b24

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// ListShape tells All where a list method's rows are and how they can be walked. Generated code
// fills it from the spec (crm.New(c).DealListAll).
type ListShape struct {
	Rows string // the result key that holds the rows; "" when the result is the list itself
	ID   string // the rows' ID field as filter and order spell it (ID, id); "" to page with start only
	// Wire names of the paging params: start, filter, order, select. A REST 3.0 list's Filter is
	// set only when it is 3.0's list of conditions, not an object of the method's own.
	Start  string
	Filter string
	Order  string
	Select string
	// API3: a REST 3.0 list, walked by its ID with a condition ["id", ">", last] and pagination
	// {limit: Limit} (50 when 0), or without an ID by pagination offsets; its rows under Rows.
	// Cursor, when set, is the result key of the list's own cursor, sent back as
	// pagination.afterCursor until the answer has none (or says hasMore false).
	API3   bool
	Limit  int
	Cursor string
	// Seek, when set, is the param that takes the walk's position as {field: ID, order: ASC,
	// value: last, limit: Limit} (main.eventlog.tail's cursor), instead of a condition.
	Seek string
}

// WithProgress has All report, after each page, the rows returned so far and the total the portal
// counted on the first request (0 when it did not count).
func WithProgress(f func(done, total int)) CallOption { return func(c *callConfig) { c.progress = f } }

// After has All start after the row with this ID (a walk by ID only): the ID an *ExportError gives
// resumes an export exactly where it stopped.
func After(id int64) CallOption { return func(c *callConfig) { c.after = &id } }

// AfterCursor has All resume a REST 3.0 walk by the list's own cursor (ListShape.Cursor) from this
// cursor: the one an *ExportError gives.
func AfterCursor(cursor json.RawMessage) CallOption {
	return func(c *callConfig) { c.cursor = cursor }
}

// ExportError ends a walk by ID or by cursor: every row up to After was yielded whole, and All with
// After(After) continues exactly there; a cursor walk continues with AfterCursor(Cursor).
type ExportError struct {
	Method string
	After  int64           // ID of the last row yielded; 0 when none was
	Cursor json.RawMessage // a cursor walk: the cursor of the page that failed; nil when none was yielded
	Err    error
}

func (e *ExportError) Error() string {
	switch {
	case e.Cursor != nil:
		return fmt.Sprintf("%v (the rows before cursor %s are complete; resume from it)", e.Err, e.Cursor)
	case e.After == 0:
		return e.Err.Error()
	}
	return fmt.Sprintf("%v (the rows up to ID %d are complete; resume after it)", e.Err, e.After)
}

func (e *ExportError) Unwrap() error { return e.Err }

// PageSize is how many rows one request of the list returns at most: a REST 3.0 list's Limit, else 50.
func (s ListShape) PageSize() int { return cmp.Or(s.Limit, pageSize) }

// pageSize is the portal's fixed page of a list method.
const pageSize = 50

// All returns every row of the list method, decoded into T.
//
// With an ID in the shape and no order of the caller's, All walks the rows by ID, 2,500 rows a
// request: a batch of up to 50 list commands ordered by ID, each asking (start -1, so the portal
// skips counting) for the IDs above the last row of the command before it through a $result
// reference. The first request is a single counted page, for the total; the batches that follow hold
// as many commands as the remaining rows need. The walk ends at a page shorter than 50 rows: the
// commands after it in the same batch are ignored (their reference points at a missing row), and a
// page whose IDs do not rise above the last one is an error, never a silent restart. No row is
// repeated or skipped, even when rows are added or deleted meanwhile; rows added with a higher ID are
// included. The caller's filter and select are kept (select gets the ID field when it lacks it).
// Errors are *ExportError with the last ID yielded, from which After resumes.
//
// Otherwise All reads a first counted page, then the remaining offset pages 50 at a time in batches,
// in the caller's order: a row added or deleted during the walk can then shift the pages.
//
// A REST 3.0 list (shape.API3, sent to /rest/api/) with an ID and no order of the caller's is
// walked by ID, one request a page of Limit rows: ordered by the ID, the caller's conditions plus
// ["id", ">", last], until a short page; a list with a cursor of its own (shape.Cursor) is walked by
// it (resumed with AfterCursor); otherwise it pages by pagination offsets.
//
// A caller's start (3.0: pagination) is refused: All sets it. The sequence yields the first error
// and stops; a break stops the requests.
func All[T any](ctx context.Context, c *Client, method string, params any, shape ListShape, opts ...CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var cc callConfig
		for _, o := range opts {
			if o != nil {
				o(&cc)
			}
		}
		p, err := paramsObject(params)
		if err != nil {
			yield(zero, fmt.Errorf("%s: %w", method, err))
			return
		}
		own := []CallOption{Read()}
		if shape.API3 {
			own = append(own, API3())
		}
		w := &walk{ctx: ctx, c: c, method: method, shape: shape, p: p, opts: append(own, opts...), cc: cc}
		if _, set := p[w.key(cmp.Or(shape.Seek, "pagination"))]; set && shape.API3 {
			yield(zero, w.fail("params set %s, which All sets itself; to begin after a row, use After", cmp.Or(shape.Seek, "pagination")))
			return
		}
		if _, set := p[w.key(shape.Start)]; set && shape.Start != "" {
			yield(zero, w.fail("params set %s, which All sets itself; to begin after a row, use After", shape.Start))
			return
		}
		next := w.pages
		switch {
		case shape.API3 && shape.Cursor != "":
			next = w.pagesCursorV3
		case cc.cursor != nil:
			yield(zero, w.fail("AfterCursor needs a list with a cursor of its own"))
			return
		case shape.API3 && (shape.Seek != "" || w.byID()):
			next = w.pagesV3
		case w.byID():
			next = w.pagesByID
		case cc.after != nil:
			yield(zero, w.fail("After needs a walk by ID, and this one pages by offset (an order of the caller's, a cursor in the filter, or a list without IDs)"))
			return
		case shape.API3:
			next = w.pagesOffsetV3
		}
		for rows, err := range next {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, row := range rows {
				var v T
				if err := json.Unmarshal(row, &v); err != nil {
					yield(zero, w.stopped(&ResultError{Method: method, Raw: row, Err: err}))
					return
				}
				c.logUnfit(ctx, method, Unfit(&v))
				if !yield(v, nil) {
					return
				}
			}
		}
	}
}

// walk is the state of one All.
type walk struct {
	ctx         context.Context
	c           *Client
	method      string
	shape       ListShape
	p           map[string]any
	opts        []CallOption
	cc          callConfig
	done, total int
	last        int64 // ID of the last row handed out, in a walk by ID
	byIDWalk    bool
}

// key is the params key spelled as the caller did (Bitrix24 reads these case-insensitively), else name.
func (w *walk) key(name string) string {
	for k := range w.p {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// byID reports whether the rows can be walked by ID: the shape has an ID and the caller chose no
// order of their own and no cursor on the ID.
func (w *walk) byID() bool {
	if w.shape.ID == "" || w.shape.Filter == "" || w.shape.Order == "" {
		return false
	}
	switch o := w.p[w.key(w.shape.Order)].(type) {
	case nil:
	case map[string]any:
		if len(o) > 0 {
			return false
		}
	default:
		return false
	}
	switch f := w.p[w.key(w.shape.Filter)].(type) {
	case nil:
		return true
	case []any: // REST 3.0 conditions: the walk's is added to them
		return w.shape.API3
	case map[string]any:
		for k := range f {
			if strings.EqualFold(strings.TrimLeft(k, "<>=!@%"), w.shape.ID) && (strings.HasPrefix(k, "<") || strings.HasPrefix(k, ">")) {
				return false
			}
		}
		return true
	}
	return false
}

// fail is an error of the walk itself, named after the method as the client's errors are.
func (w *walk) fail(format string, a ...any) error {
	return fmt.Errorf("%s: "+format, append([]any{w.method}, a...)...)
}

// stopped wraps the error that ends a walk by ID with where to resume.
func (w *walk) stopped(err error) error {
	if !w.byIDWalk {
		return err
	}
	return &ExportError{Method: w.method, After: w.last, Err: err}
}

// counted notes a page's rows for the progress report.
func (w *walk) counted(n int) {
	w.done += n
	if w.cc.progress != nil {
		w.cc.progress(w.done, w.total)
	}
}

// first sends the first, counted page as a single call.
func (w *walk) first(p map[string]any) ([]json.RawMessage, *RawResponse, error) {
	rows, resp, err := w.page(w.ctx, p)
	if err == nil {
		w.total = resp.Total
	}
	return rows, resp, err
}

// page sends one list call and returns its rows and the response. It changes nothing of w: 3.0
// walks call it from the goroutine that fetches ahead.
func (w *walk) page(ctx context.Context, p map[string]any) ([]json.RawMessage, *RawResponse, error) {
	resp, err := w.c.Do(ctx, w.method, p, w.opts...)
	if err != nil {
		return nil, nil, err
	}
	rows, err := pageRows(resp.Result, w.shape.Rows)
	if err != nil {
		return nil, nil, w.fail("%w", err)
	}
	return rows, resp, nil
}

// batch sends the list commands ps as one batch of reads and returns each command's rows, in order,
// up to the first command that failed; that failure is returned when it is the first command's.
func (w *walk) batch(ctx context.Context, ps []map[string]any) ([][]json.RawMessage, error) {
	var b Batch
	for i, p := range ps {
		b.cmds = append(b.cmds, batchCmd{key: cmdKey(i), method: w.method, params: p, read: true, api3: w.shape.API3})
	}
	var res *BatchResult
	for attempt := 0; ; attempt++ {
		// the commands count against the list method's time budget, not the batch's
		if err := w.c.ops.wait(ctx, w.method); err != nil {
			return nil, w.fail("gave up waiting for the method's time limit to reset: %w", err)
		}
		var err error
		if res, err = w.c.Batch(ctx, &b, w.opts...); err != nil {
			return nil, err
		}
		e, refused := res.Errors[cmdKey(0)]
		if !refused || !errors.Is(e, ErrOperationTimeLimit) || w.c.cfg.operating == 0 || attempt >= w.c.cfg.retries {
			break
		}
		if err := w.c.ops.refused(ctx, w.method, attempt, w.c.cfg.backoff); err != nil {
			return nil, w.fail("gave up waiting for the method's time limit to reset: %w", err)
		}
	}
	var pages [][]json.RawMessage
	for i := range ps {
		key := cmdKey(i)
		if e, failed := res.Errors[key]; failed {
			if i == 0 {
				e.Method = w.method
				return nil, e
			}
			break // the next batch asks again from the last row
		}
		raw, ok := res.Results[key]
		if !ok {
			break
		}
		rows, err := pageRows(raw, w.shape.Rows)
		if err != nil {
			return nil, w.fail("%w", err)
		}
		pages = append(pages, rows)
	}
	return pages, nil
}

func cmdKey(i int) string { return "p" + strconv.Itoa(i) }

// pages reads a first counted page, then the offset pages the total announces in batches of 50,
// then (when rows were added meanwhile) on until an empty page.
func (w *walk) pages(yield func([]json.RawMessage, error) bool) {
	startKey := w.key(w.shape.Start)
	p := maps.Clone(w.p)
	p[startKey] = 0
	rows, resp, err := w.first(p)
	if err != nil {
		yield(nil, err)
		return
	}
	w.counted(len(rows))
	if !yield(rows, nil) || resp.Next == 0 || len(rows) == 0 {
		return
	}
	start := resp.Next
	for {
		n := min(MaxBatch, max(0, w.total-start)/pageSize+1)
		ps := make([]map[string]any, n)
		for i := range ps {
			ps[i] = maps.Clone(w.p)
			ps[i][startKey] = start + i*pageSize
		}
		pages, err := w.batch(w.ctx, ps)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, rows := range pages {
			w.counted(len(rows))
			if !yield(rows, nil) {
				return
			}
			if len(rows) < pageSize {
				return
			}
			start += pageSize
		}
	}
}

// pagesByID walks by ID: a first counted page, then chained batches (see All).
func (w *walk) pagesByID(yield func([]json.RawMessage, error) bool) {
	w.byIDWalk = true
	id := w.shape.ID
	filterKey, startKey := w.key(w.shape.Filter), w.key(w.shape.Start)
	w.p[w.key(w.shape.Order)] = map[string]any{id: "ASC"}
	w.keepID()
	filter, _ := w.p[filterKey].(map[string]any)
	// ask with the filter as the caller wrote it, plus the cursor
	page := func(cursor any, start int) map[string]any {
		p := maps.Clone(w.p)
		f := maps.Clone(filter)
		if f == nil {
			f = map[string]any{}
		}
		if cursor != nil {
			f[">"+id] = cursor
		}
		p[filterKey], p[startKey] = f, start
		return p
	}
	var cursor any
	if w.cc.after != nil {
		w.last, cursor = *w.cc.after, *w.cc.after
	}
	rows, _, err := w.first(page(cursor, 0))
	if !w.handOut(yield, rows, err, cursor != nil, pageSize) {
		return
	}
	ref := "$result[%s]" + rowsRef(w.shape.Rows) + "[" + strconv.Itoa(pageSize-1) + "][" + id + "]"
	// plan is the batch after the row with ID last, done rows in: the pages the count leaves, plus
	// room for the one that shows the end
	plan := func(last any, done int) []map[string]any {
		ps := make([]map[string]any, min(MaxBatch, max(0, w.total-done)/pageSize+1))
		for i := range ps {
			c := last
			if i > 0 {
				c = fmt.Sprintf(ref, cmdKey(i-1))
			}
			ps[i] = page(c, -1)
		}
		return ps
	}
	// The next batch leaves as soon as its cursor is known (the last row of a batch of full pages),
	// while this batch's rows are handed out: the walk waits for the portal, not for its caller.
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	type fetched struct {
		pages [][]json.RawMessage
		err   error
	}
	fetch := func(ps []map[string]any) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			pages, err := w.batch(ctx, ps)
			ch <- fetched{pages, err}
		}()
		return ch
	}
	pending := fetch(plan(w.last, w.done))
	for {
		f := <-pending
		if f.err != nil {
			yield(nil, w.stopped(f.err))
			return
		}
		pages := f.pages
		pending = nil
		if n, ok := nextCursor(pages, id); ok {
			rows := 0
			for _, p := range pages {
				rows += len(p)
			}
			pending = fetch(plan(n, w.done+rows))
		}
		for _, rows := range pages {
			if err := w.rise(rows, true); err != nil {
				yield(nil, w.stopped(err))
				return
			}
			w.counted(len(rows))
			if !yield(rows, nil) {
				return
			}
			if len(rows) < pageSize {
				return // the end; later commands referred to a row that is not there
			}
		}
		if pending == nil {
			pending = fetch(plan(w.last, w.done))
		}
	}
}

// nextCursor is the ID after which the next batch starts when every page of this one is full: the
// last row's; false when a page is short (the end) or there is none.
func nextCursor(pages [][]json.RawMessage, id string) (int64, bool) {
	if len(pages) == 0 || slices.ContainsFunc(pages, func(p []json.RawMessage) bool { return len(p) < pageSize }) {
		return 0, false
	}
	last := pages[len(pages)-1]
	n, err := rowID(last[len(last)-1], id)
	return n, err == nil
}

// pagesV3 walks a REST 3.0 list by ID: ordered by it, the caller's conditions and one that the ID
// be above the last row's (or, with a Seek param, the last ID sent there), Limit rows a request,
// until a page comes short.
func (w *walk) pagesV3(yield func([]json.RawMessage, error) bool) {
	w.byIDWalk = true
	id, limit := w.shape.ID, w.shape.PageSize()
	filterKey := w.key(w.shape.Filter)
	if w.shape.Seek == "" {
		w.p[w.key(w.shape.Order)] = map[string]any{id: "ASC"}
	}
	w.keepID()
	conds, _ := w.p[filterKey].([]any)
	if f := w.p[filterKey]; conds == nil && f != nil && w.shape.Seek == "" {
		yield(nil, w.fail("a walk by ID adds its condition to a REST 3.0 filter's list of conditions (b24.Where, or [\"field\", \"op\", value]), not to a %T", f))
		return
	}
	var cursor any
	if w.cc.after != nil {
		w.last, cursor = *w.cc.after, *w.cc.after
	}
	// As in pagesByID, the next page is asked for as soon as its cursor (this page's last ID) is
	// known, while this page's rows are handed out.
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	type fetched struct {
		rows []json.RawMessage
		err  error
	}
	fetch := func(cursor any) <-chan fetched {
		p := maps.Clone(w.p)
		if w.shape.Seek != "" {
			p[w.key(w.shape.Seek)] = map[string]any{"field": id, "order": "ASC", "value": cmp.Or[any](cursor, 0), "limit": limit}
		} else {
			c := slices.Clip(conds)
			if cursor != nil {
				c = append(c, []any{id, ">", cursor})
			}
			if len(c) > 0 {
				p[filterKey] = c
			}
			p[w.key("pagination")] = map[string]any{"limit": limit}
		}
		ch := make(chan fetched, 1)
		go func() {
			rows, _, err := w.page(ctx, p)
			ch <- fetched{rows, err}
		}()
		return ch
	}
	pending, resumed := fetch(cursor), cursor != nil
	for pending != nil {
		f := <-pending
		pending = nil
		if len(f.rows) >= limit && f.err == nil {
			if next, err := rowID(f.rows[len(f.rows)-1], id); err == nil {
				pending = fetch(next)
			}
		}
		if !w.handOut(yield, f.rows, f.err, resumed, limit) {
			return
		}
		resumed = true
	}
}

// pagesCursorV3 walks a REST 3.0 list by its own cursor: each page's answer carries the cursor of
// the next (shape.Cursor), sent back as pagination.afterCursor; the walk ends at an answer without
// one, with hasMore false, or without rows.
func (w *walk) pagesCursorV3(yield func([]json.RawMessage, error) bool) {
	pagination := map[string]any{}
	if w.shape.Limit > 0 {
		pagination["limit"] = w.shape.Limit
	}
	cursor := w.cc.cursor
	for {
		p := maps.Clone(w.p)
		pg := maps.Clone(pagination)
		if cursor != nil {
			pg["afterCursor"] = cursor
		}
		p[w.key("pagination")] = pg
		rows, resp, err := w.page(w.ctx, p)
		var obj map[string]json.RawMessage
		hasMore := true // when the answer does not say
		if err == nil {
			err = json.Unmarshal(resp.Result, &obj)
		}
		if h, ok := obj["hasMore"]; ok && err == nil && json.Unmarshal(h, &hasMore) != nil {
			err = w.fail("hasMore is %s, not a boolean", h)
		}
		if err != nil {
			yield(nil, &ExportError{Method: w.method, Cursor: cursor, Err: err})
			return
		}
		next := obj[w.shape.Cursor]
		w.counted(len(rows))
		if !yield(rows, nil) || len(rows) == 0 || !hasMore || len(next) == 0 || string(next) == "null" {
			return
		}
		if bytes.Equal(next, cursor) {
			yield(nil, w.fail("the answer gave back the cursor it was sent (%s): the walk would not move", cursor))
			return
		}
		cursor = next
	}
}

// pagesOffsetV3 pages a REST 3.0 list by pagination offsets, Limit rows a page in the caller's
// order, until a page comes short: as with 2.0's offset pages, a row added or deleted meanwhile can
// shift them. After a first page alone, the pages go in 3.0 batches of 2, 4, 8… up to 50 pages a
// request (the list has no total to size them by), and the next batch leaves as soon as this one
// came back full, while its rows are handed out.
func (w *walk) pagesOffsetV3(yield func([]json.RawMessage, error) bool) {
	limit := w.shape.PageSize()
	page := func(offset int) map[string]any {
		p := maps.Clone(w.p)
		p[w.key("pagination")] = map[string]any{"limit": limit, "offset": offset}
		return p
	}
	rows, _, err := w.page(w.ctx, page(0))
	if err != nil {
		yield(nil, err)
		return
	}
	w.counted(len(rows))
	if !yield(rows, nil) || len(rows) < limit {
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	type fetched struct {
		pages [][]json.RawMessage
		err   error
	}
	offset, n := limit, 2
	fetch := func() <-chan fetched {
		ps := make([]map[string]any, n)
		for i := range ps {
			ps[i] = page(offset + i*limit)
		}
		offset, n = offset+n*limit, min(2*n, MaxBatch)
		ch := make(chan fetched, 1)
		go func() {
			pages, err := w.batch(ctx, ps)
			ch <- fetched{pages, err}
		}()
		return ch
	}
	for pending := fetch(); pending != nil; {
		f := <-pending
		if f.err != nil {
			yield(nil, f.err)
			return
		}
		pending = nil
		if !slices.ContainsFunc(f.pages, func(p []json.RawMessage) bool { return len(p) < limit }) {
			pending = fetch()
		}
		for _, rows := range f.pages {
			w.counted(len(rows))
			if !yield(rows, nil) || len(rows) < limit {
				return
			}
		}
	}
}

// handOut yields a page of a walk by ID after checking that its IDs rise (from the cursor when
// resumed), or the error that stopped it; it reports whether the walk goes on: the page was full
// and the caller wants more.
func (w *walk) handOut(yield func([]json.RawMessage, error) bool, rows []json.RawMessage, err error, resumed bool, full int) bool {
	if err == nil {
		err = w.rise(rows, resumed)
	}
	if err != nil {
		yield(nil, w.stopped(err))
		return false
	}
	w.counted(len(rows))
	return yield(rows, nil) && len(rows) >= full
}

// rowsRef is the reference path to the rows of a command's result.
func rowsRef(key string) string {
	if key == "" {
		return ""
	}
	return "[" + key + "]"
}

// keepID adds the ID field to a select that names fields without it: the walk reads it.
func (w *walk) keepID() {
	if w.shape.Select == "" {
		return
	}
	k := w.key(w.shape.Select)
	sel, ok := w.p[k].([]any)
	if !ok || len(sel) == 0 {
		return
	}
	for _, f := range sel {
		if s, _ := f.(string); s == "*" || strings.EqualFold(s, w.shape.ID) {
			return
		}
	}
	w.p[k] = append(slices.Clone(sel), w.shape.ID)
}

// rise checks that the rows' IDs rise above the last one handed out, and moves it. A page that does
// not is a cursor that did not advance (a filter the portal ignored, a walk restarted by an
// unresolved reference): an error, since going on would repeat rows.
func (w *walk) rise(rows []json.RawMessage, cursor bool) error {
	for _, row := range rows {
		n, err := rowID(row, w.shape.ID)
		if err != nil {
			return w.fail("%w", err)
		}
		if (cursor || w.done > 0) && n <= w.last {
			return w.fail("row %s %d came after %d: the rows are not in ascending %s order or the cursor did not advance, so going on would repeat rows", w.shape.ID, n, w.last, w.shape.ID)
		}
		w.last, cursor = n, true
	}
	return nil
}

// rowID reads the ID field of a row, a number or a numeric string.
func rowID(row json.RawMessage, field string) (int64, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(row, &m); err != nil {
		return 0, fmt.Errorf("a row is not an object: %.40s", row)
	}
	raw, ok := m[field]
	if !ok {
		return 0, fmt.Errorf("a row has no %s: %.60s", field, row)
	}
	var n Int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("row %s: %w", field, err)
	}
	return int64(n), nil
}

// pageRows finds the rows of a page: the result itself, or its key rows. PHP sends an empty map as
// [] and an empty list as {}, so both count as no rows.
func pageRows(result json.RawMessage, key string) ([]json.RawMessage, error) {
	raw := bytes.TrimSpace(result)
	if key != "" {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			if isEmptyJSON(raw) {
				return nil, nil
			}
			return nil, fmt.Errorf("the result is not an object with %q: %.60s", key, raw)
		}
		raw = bytes.TrimSpace(obj[key])
	}
	if len(raw) == 0 || isEmptyJSON(raw) {
		return nil, nil
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, fmt.Errorf("the rows are not a list: %.60s", raw)
	}
	return rows, nil
}

func isEmptyJSON(b []byte) bool {
	s := string(bytes.Join(bytes.Fields(b), nil))
	return s == "null" || s == "[]" || s == "{}"
}

// paramsObject is params as a JSON object that All can add its paging keys to.
func paramsObject(params any) (map[string]any, error) {
	b, err := marshalParams(params)
	if err != nil {
		return nil, fmt.Errorf("params: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("params of a list method must be a JSON object: %w", err)
	}
	return m, nil
}
