package b24test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/b24"
)

// pageSize is how many rows a list method returns per request.
const pageSize = 50

// rowSet is the rows a list method pages. Rows set by SetRows and friends are sorted by ID, so that
// an ID filter is a binary search even on 100,000 rows; an example's rows keep the example's order,
// which is the order the portal answered in.
type rowSet struct {
	shape     b24.ListShape
	container map[string]json.RawMessage // the rest of an example's result object around its rows
	rows      []listRow                  // never changed in place: a page may be reading it
	sorted    bool
}

type listRow struct {
	id  int64
	raw json.RawMessage
}

// pageWork is what answering a list page made the database do, for the cost model.
type pageWork struct {
	offset  int // rows skipped to reach start
	counted int // rows counted for total; 0 with start -1
	pages   int // pages of 50 rows the answer holds beyond the first (a REST 3.0 page may hold 1000)
}

// listPage answers a list method from rows the way the portal pages: ID filters (>, >=, <, <=) and
// an order by ID apply, then start picks 50 rows (with total, and next when more remain), or start
// -1 the first 50 without counting; a select keeps the keys it names and the ID.
func listPage(set rowSet, params map[string]any) outcome {
	l := set.shape
	rows, desc := set.rows, false
	if l.ID != "" {
		if o, ok := paramFold(params, l.Order).(map[string]any); ok {
			if dir, ok := paramFold(o, l.ID).(string); ok {
				desc = strings.EqualFold(dir, "DESC")
				if !set.sorted {
					rows = slices.Clone(rows)
					slices.SortFunc(rows, func(a, b listRow) int { return cmp.Compare(a.id, b.id) })
					set.sorted = true
				}
			}
		}
		if f, ok := paramFold(params, l.Filter).(map[string]any); ok && !l.API3 {
			for k, v := range f {
				if op, field := splitFilterKey(k); strings.EqualFold(field, l.ID) {
					rows = filterID(rows, set.sorted, op, phpInt(v))
				}
			}
		}
	}
	if f := paramFold(params, l.Filter); f != nil && l.API3 && l.Filter != "" {
		var err *b24.APIError
		if rows, err = filterV3(rows, set.sorted, l.ID, f); err != nil {
			return outcome{err: err}
		}
	}
	if sel := selectParam(params); l.API3 && len(set.rows) > 0 && sel.unknown(set.rows[0].raw) != "" {
		return outcome{err: filterError("UNKNOWNDTOPROPERTYEXCEPTION", "Unknown field `%s`", sel.unknown(set.rows[0].raw))}
	}
	if l.API3 && l.Cursor != "" {
		return pageCursor(set, params)
	}
	if l.API3 && l.Seek != "" {
		return pageSeek(set, rows, params)
	}
	if l.API3 {
		return pageV3(set, rows, desc, params)
	}
	n := len(rows)
	start := phpInt(paramFold(params, l.Start))
	o := outcome{page: &pageWork{}}
	first := 0
	if start >= 0 {
		first = int(min(start, int64(n)))
		o.page.offset, o.page.counted = first, n
		total := n
		o.total = &total
	}
	count := min(pageSize, n-first)
	if next := first + count; start >= 0 && next < n {
		o.next = &next
	}
	out := pick(rows, first, count, desc, params, l.ID)
	o.result = out
	if l.Rows != "" {
		answer := map[string]any{}
		for k, v := range set.container {
			answer[k] = v
		}
		answer[l.Rows] = out
		o.result = answer
	}
	return o
}

// pageV3 answers a REST 3.0 list page: pagination {limit, offset, page} picks the rows (limit 50
// by default), without total or next; the rows go under the shape's key (items).
func pageV3(set rowSet, rows []listRow, desc bool, params map[string]any) outcome {
	l := set.shape
	pg, _ := paramFold(params, "pagination").(map[string]any)
	limit := pageLimit(pg)
	first := min(max(int(phpInt(pg["offset"])), (int(phpInt(pg["page"]))-1)*limit, 0), len(rows))
	count := min(limit, len(rows)-first)
	out := pick(rows, first, count, desc, params, l.ID)
	return outcome{result: map[string]any{cmp.Or(l.Rows, "items"): out}, page: &pageWork{offset: first, pages: extraPages(count)}}
}

// pageLimit is a REST 3.0 pagination's limit: 50 when it sets none.
func pageLimit(pagination map[string]any) int {
	if n := phpInt(pagination["limit"]); n > 0 {
		return int(n)
	}
	return pageSize
}

// extraPages is how many pages of 50 a page of n rows holds beyond the first, for its cost.
func extraPages(n int) int { return max(0, (n+pageSize-1)/pageSize-1) }

// pick is the page of count rows from first (counted from the end when desc), with the caller's
// select applied.
func pick(rows []listRow, first, count int, desc bool, params map[string]any, id string) []json.RawMessage {
	sel := selectParam(params)
	out := make([]json.RawMessage, count)
	for i := range out {
		j := first + i
		if desc {
			j = len(rows) - 1 - j
		}
		out[i] = sel.apply(rows[j].raw, id)
	}
	return out
}

// pageCursor answers a page of a REST 3.0 list with a cursor of its own: the rows in ID order after
// pagination.afterCursor's ID, limit of them (50 by default), with the next cursor under the shape's
// key while rows remain (the example's cursor fields, taken from the last row, and its ID) and
// hasMore when the example answers it.
//
// Rows without an ID field come in one page without a cursor: the fake cannot order them.
func pageCursor(set rowSet, params map[string]any) outcome {
	l := set.shape
	rows := set.rows
	if l.ID == "" {
		out := make([]json.RawMessage, len(rows))
		for i, r := range rows {
			out[i] = r.raw
		}
		return outcome{result: map[string]any{cmp.Or(l.Rows, "items"): out}}
	}
	if !set.sorted {
		rows = slices.Clone(rows)
		slices.SortFunc(rows, func(a, b listRow) int { return cmp.Compare(a.id, b.id) })
	}
	pg, _ := paramFold(params, "pagination").(map[string]any)
	if c, ok := pg["afterCursor"].(map[string]any); ok {
		rows = filterID(rows, true, ">", phpInt(paramFold(c, l.ID)))
	}
	page := rows[:min(len(rows), pageLimit(pg))]
	result := map[string]any{cmp.Or(l.Rows, "items"): pick(page, 0, len(page), false, params, l.ID)}
	more := len(page) < len(rows)
	if _, ok := set.container["hasMore"]; ok {
		result["hasMore"] = more
	}
	if more {
		var last map[string]json.RawMessage
		json.Unmarshal(page[len(page)-1].raw, &last) // a row is a JSON object (parseRows, exampleRows)
		var fields map[string]json.RawMessage
		json.Unmarshal(set.container[l.Cursor], &fields) // none when the rows were set, not the example's
		next := map[string]any{l.ID: page[len(page)-1].id}
		for k := range fields {
			if v, ok := last[k]; ok && k != l.ID {
				next[k] = v
			}
		}
		result[l.Cursor] = next
	}
	return outcome{result: result, page: &pageWork{pages: extraPages(len(page))}}
}

// pageSeek answers a page of a REST 3.0 list that takes its position in a param of its own,
// {field, order, value, limit} (main.eventlog.tail's cursor): the rows after value in the field's
// order, limit of them (50 by default). A filter on that field is refused, as the portal refuses
// it: the position is the condition.
func pageSeek(set rowSet, rows []listRow, params map[string]any) outcome {
	l := set.shape
	seek, _ := paramFold(params, l.Seek).(map[string]any)
	field, _ := paramFold(seek, "field").(string)
	if field == "" {
		field = "id"
	}
	if !strings.EqualFold(field, l.ID) {
		return outcome{err: &b24.APIError{Code: v3Code("INVALIDPAGINATIONEXCEPTION"), Status: http.StatusBadRequest,
			Description: "b24test pages " + l.Seek + " by " + l.ID + " only, not " + field}}
	}
	if conds, ok := paramFold(params, l.Filter).([]any); ok {
		for _, c := range conds {
			if c, ok := c.([]any); ok && len(c) > 0 && strings.EqualFold(fmt.Sprint(c[0]), field) {
				return outcome{err: filterError("INVALIDFILTEREXCEPTION", "Unable to recognize filter expression `%s`: %s orders and pages by %s", compact(c), l.Seek, field)}
			}
		}
	}
	if !set.sorted {
		rows = slices.Clone(rows)
		slices.SortFunc(rows, func(a, b listRow) int { return cmp.Compare(a.id, b.id) })
	}
	desc, _ := paramFold(seek, "order").(string)
	value := phpInt(paramFold(seek, "value"))
	if strings.EqualFold(desc, "DESC") {
		rows = slices.Clone(filterID(rows, true, "<", value))
		slices.Reverse(rows)
	} else {
		rows = filterID(rows, true, ">", value)
	}
	limit := pageLimit(seek)
	page := rows[:min(len(rows), limit)]
	return outcome{result: map[string]any{cmp.Or(l.Rows, "items"): pick(page, 0, len(page), false, params, l.ID)}, page: &pageWork{pages: extraPages(len(page))}}
}

// splitFilterKey splits a filter key into its operation prefix and field, as the portal does.
func splitFilterKey(k string) (op, field string) {
	i := strings.IndexFunc(k, func(r rune) bool { return !strings.ContainsRune("<>=!@%", r) })
	if i < 0 {
		return k, ""
	}
	return k[:i], k[i:]
}

// filterID keeps the rows whose ID passes op v; other operations are not modelled and keep all.
func filterID(rows []listRow, sorted bool, op string, v int64) []listRow {
	var keep func(id int64) bool
	switch op {
	case ">":
		keep = func(id int64) bool { return id > v }
	case ">=":
		keep = func(id int64) bool { return id >= v }
	case "<":
		keep = func(id int64) bool { return id < v }
	case "<=":
		keep = func(id int64) bool { return id <= v }
	default:
		return rows
	}
	if !sorted {
		var kept []listRow
		for _, r := range rows {
			if keep(r.id) {
				kept = append(kept, r)
			}
		}
		return kept
	}
	// On sorted rows, > and >= keep a tail, < and <= a head.
	if op[0] == '>' {
		return rows[sort.Search(len(rows), func(i int) bool { return keep(rows[i].id) }):]
	}
	return rows[:sort.Search(len(rows), func(i int) bool { return !keep(rows[i].id) })]
}

// selection is the names of a list call's select; nil keeps every key.
type selection []string

func selectParam(params map[string]any) selection {
	names := selection(texts(paramFold(params, "select")))
	if slices.Contains(names, "*") {
		return nil
	}
	return names
}

// apply keeps the selected keys of a row, and its ID always, as the portal does; a dot path
// (REST 3.0's "responsible.name") keeps that key of a related object, or of each in a list.
func (sel selection) apply(raw json.RawMessage, id string) json.RawMessage {
	if len(sel) == 0 {
		return raw
	}
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return raw
		}
		for i := range list {
			list[i] = sel.apply(list[i], id)
		}
		b, _ := json.Marshal(list) // raw messages that were read as JSON
		return b
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return raw
	}
	for k, v := range fields {
		switch sub := sel.under(k); {
		case strings.EqualFold(k, id) || sel.keeps(k):
		case len(sub) > 0:
			fields[k] = sub.apply(v, "")
		default:
			delete(fields, k)
		}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return raw
	}
	return b
}

// keeps matches a key blind to case and underscores, because families differ (tasks select
// UPPER_SNAKE names of camelCase fields); a name ending in * ("UF_*") is a prefix mask.
func (sel selection) keeps(key string) bool {
	k := foldName(key)
	for _, name := range sel {
		if prefix, mask := strings.CutSuffix(name, "*"); mask {
			if strings.HasPrefix(k, foldName(prefix)) {
				return true
			}
		} else if k == foldName(name) {
			return true
		}
	}
	return false
}

// under is the selected paths inside key: "name" of "responsible.name".
func (sel selection) under(key string) selection {
	var sub selection
	for _, name := range sel {
		if head, rest, ok := strings.Cut(name, "."); ok && foldName(head) == foldName(key) {
			sub = append(sub, rest)
		}
	}
	return sub
}

// unknown is the first selected name whose first segment the row lacks: REST 3.0 refuses it.
func (sel selection) unknown(row json.RawMessage) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(row, &fields) != nil {
		return ""
	}
	for _, name := range sel {
		head, _, _ := strings.Cut(name, ".")
		if strings.HasSuffix(head, "*") {
			continue
		}
		if !slices.ContainsFunc(slices.Collect(maps.Keys(fields)), func(k string) bool { return foldName(k) == foldName(head) }) {
			return name
		}
	}
	return ""
}

// texts is a list parameter's values as text: a list, a form's map of them, or one text.
func texts(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
	case map[string]any:
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
	case string:
		out = []string{t}
	}
	return out
}

func foldName(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// ListRows is how many rows the server pages for list method (a twin's REST 3.0 list with its @3
// suffix): those set by SetRows and friends, else
// those of the spec's example (0 for a list method without one: it answers an empty list); -1 when
// the method is not a list method.
func (s *Server) ListRows(method string) int {
	s.mu.Lock()
	set := s.rows[strings.ToLower(method)]
	s.mu.Unlock()
	if set != nil {
		return len(set.rows)
	}
	fx, ok := s.fixture(method, false)
	if !ok || fx.List == nil {
		return -1
	}
	if fx.Example == "" && fx.Kind == "read" {
		return 0
	}
	var env struct{ Result json.RawMessage }
	if json.Unmarshal([]byte(fx.Example), &env) != nil {
		return -1
	}
	if set, ok := exampleRows(*fx.List, env.Result); ok {
		return len(set.rows)
	}
	return -1
}

// exampleRows finds the rows of an example result (and the object around them, with a Rows key).
// With an ID, every row must have one, and a repeated ID is kept once: a portal's IDs are unique.
func exampleRows(l b24.ListShape, result json.RawMessage) (rowSet, bool) {
	set := rowSet{shape: l}
	raw := result
	if l.Rows != "" {
		if json.Unmarshal(result, &set.container) != nil {
			return rowSet{}, false
		}
		raw = set.container[l.Rows]
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return rowSet{}, false
	}
	seen := map[int64]bool{}
	for _, r := range list {
		if l.ID == "" {
			set.rows = append(set.rows, listRow{raw: r})
			continue
		}
		id, ok := rowID(r, l.ID)
		if !ok {
			return rowSet{}, false // not rows with IDs: the example is answered as it is
		}
		if !seen[id] {
			seen[id] = true
			set.rows = append(set.rows, listRow{id, r})
		}
	}
	return set, true
}

// rowID reads the ID field of a row, a number or a quoted one.
func rowID(row json.RawMessage, field string) (int64, bool) {
	var fields map[string]json.RawMessage
	var id b24.Int
	if json.Unmarshal(row, &fields) != nil || json.Unmarshal(fields[field], &id) != nil {
		return 0, false
	}
	return int64(id), true
}

// phpInt is PHP's intval of a parameter as JSON or a form sends it: the leading integer of a string
// ("12abc" is 12), 0 when it has none ("abc", an unresolved "$result[x][ID]").
func phpInt(v any) int64 {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = t
	case bool:
		if t {
			return 1
		}
		return 0
	default:
		return 0
	}
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && '0' <= s[end] && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64) // out of range saturates, as PHP's intval does
	return n
}
