package b24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// ListShape tells All where a list method's rows are and how they can be walked. Generated code
// fills it from the spec (crm.New(c).DealListAll).
type ListShape struct {
	Rows   string // the result key that holds the rows; "" when the result is the list itself
	ID     string // the rows' ID field as filter and order spell it (ID, id); "" to page with start only
	Start  string // wire names of the paging params: start, filter, order
	Filter string
	Order  string
}

// WithProgress has All report, after each request, the rows returned so far and the total the
// portal counted on the first request (0 when it did not count).
func WithProgress(f func(done, total int)) CallOption { return func(c *callConfig) { c.progress = f } }

// All returns every row of the list method, decoded into T, 50 rows a request.
//
// With an ID in the shape and no order in params, All walks the rows by ID: ordered by it,
// each request asking for the IDs above the last one seen, with start -1 so that the portal skips
// counting (only the first request counts, for the total). No row is repeated or skipped, even
// when rows are added or deleted meanwhile; rows added with a higher ID are included. The walk ends
// at the first empty page. Otherwise All pages with start in params' order: a row added or
// deleted during the walk can then shift the pages.
//
// The sequence yields the first error and stops; a break stops the requests.
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
		w := &walk{ctx: ctx, c: c, method: method, shape: shape, p: p, opts: opts, progress: cc.progress}
		next := w.pages
		if w.byID() {
			next = w.pagesByID
		}
		for rows, err := range next {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, row := range rows {
				var v T
				if err := json.Unmarshal(row, &v); err != nil {
					yield(zero, &ResultError{Method: method, Raw: row, Err: err})
					return
				}
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
	progress    func(done, total int)
	done, total int
	resetAt     int64 // operating_reset_at of the last answer: when a method blocked for its time limit opens again
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

// page sends one request and returns its rows. A long walk may use up the method's execution-time
// budget: the portal then refuses the next call (OPERATION_TIME_LIMIT, before running it), and the
// walk waits until the reset time the last answer gave and asks again, once per refusal.
func (w *walk) page() ([]json.RawMessage, *RawResponse, error) {
	resp, err := w.c.Do(w.ctx, w.method, w.p, w.opts...)
	if errors.Is(err, ErrOperationTimeLimit) && w.resetAt > 0 {
		if serr := sleepCtx(w.ctx, time.Until(time.Unix(w.resetAt+1, 0))); serr != nil {
			return nil, nil, w.fail("waiting for the time limit to reset: %w", serr)
		}
		resp, err = w.c.Do(w.ctx, w.method, w.p, w.opts...)
	}
	if err != nil {
		return nil, nil, err
	}
	w.resetAt = resp.Time.OperatingResetAt
	rows, err := pageRows(resp.Result, w.shape.Rows)
	if err != nil {
		return nil, nil, w.fail("%w", err)
	}
	if w.done == 0 && w.total == 0 {
		w.total = resp.Total
	}
	w.done += len(rows)
	if w.progress != nil {
		w.progress(w.done, w.total)
	}
	return rows, resp, nil
}

// pages follows start and next.
func (w *walk) pages(yield func([]json.RawMessage, error) bool) {
	startKey := w.key(w.shape.Start)
	start := 0
	for {
		w.p[startKey] = start
		rows, resp, err := w.page()
		if err != nil {
			yield(nil, err)
			return
		}
		if !yield(rows, nil) {
			return
		}
		if resp.Next == 0 || len(rows) == 0 {
			return
		}
		if resp.Next <= start {
			yield(nil, w.fail("the portal's next start %d does not advance past %d", resp.Next, start))
			return
		}
		start = resp.Next
	}
}

// pagesByID orders by ID and asks for the IDs above the last one seen, until a page is empty.
func (w *walk) pagesByID(yield func([]json.RawMessage, error) bool) {
	id := w.shape.ID
	w.p[w.key(w.shape.Order)] = map[string]any{id: "ASC"}
	filterKey := w.key(w.shape.Filter)
	filter, _ := w.p[filterKey].(map[string]any)
	if filter == nil {
		filter = map[string]any{}
	}
	w.p[filterKey] = filter
	startKey := w.key(w.shape.Start)
	w.p[startKey] = 0 // the first request counts, for the total
	var last int64
	seen := false
	for {
		rows, _, err := w.page()
		if err != nil {
			yield(nil, err)
			return
		}
		if len(rows) == 0 {
			return
		}
		for _, row := range rows {
			n, err := rowID(row, id)
			if err != nil {
				yield(nil, w.fail("%w", err))
				return
			}
			if seen && n <= last {
				yield(nil, w.fail("row %s %d came after %d: the rows are not in ascending %s order, so walking by it would repeat or skip rows", id, n, last, id))
				return
			}
			last, seen = n, true
		}
		if !yield(rows, nil) {
			return
		}
		filter[">"+id] = last
		w.p[startKey] = -1
	}
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
