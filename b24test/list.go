package b24test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// pageSize is how many rows a list method returns per request.
const pageSize = 50

// listPage answers a list method from the rows of its example the way the portal pages: a ">ID"
// filter and an order by ID apply, then start picks 50 rows (with total, and next when more
// remain), or start -1 the first 50 without counting. ok is false when the example holds no rows.
func listPage(l b24.ListShape, result json.RawMessage, params map[string]any) (outcome, bool) {
	container, rows, ok := exampleRows(l, result)
	if !ok {
		return outcome{}, false
	}
	if l.ID != "" {
		if f, ok := paramFold(params, l.Filter).(map[string]any); ok {
			for k, v := range f {
				if strings.EqualFold(k, ">"+l.ID) {
					min := number(v)
					kept := rows[:0:0]
					for _, r := range rows {
						if r.id > min {
							kept = append(kept, r)
						}
					}
					rows = kept
				}
			}
		}
		if o, ok := paramFold(params, l.Order).(map[string]any); ok {
			if dir, ok := paramFold(o, l.ID).(string); ok {
				desc := strings.EqualFold(dir, "DESC")
				sort.SliceStable(rows, func(i, j int) bool { return rows[i].id < rows[j].id != desc })
			}
		}
	}
	start := number(paramFold(params, l.Start))
	o := outcome{}
	page := rows[:min(len(rows), pageSize)]
	if start >= 0 {
		page = rows[min(int(start), len(rows)):min(int(start)+pageSize, len(rows))]
		total := len(rows)
		o.total = &total
		if next := int(start) + len(page); next < len(rows) {
			o.next = &next
		}
	}
	out := make([]json.RawMessage, len(page))
	for i, r := range page {
		out[i] = r.raw
	}
	o.result = out
	if l.Rows != "" {
		answer := map[string]any{}
		for k, v := range container {
			answer[k] = v
		}
		answer[l.Rows] = out
		o.result = answer
	}
	return o, true
}

// ListRows is how many rows the server pages for list method from the spec's example (0 for a list
// method without one: it answers an empty list); -1 when the method is not a list method.
func (s *Server) ListRows(method string) int {
	fx, ok := fixtures.Lookup(method)
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
	if _, rows, ok := exampleRows(*fx.List, env.Result); ok {
		return len(rows)
	}
	return -1
}

type exampleRow struct {
	id  int64
	raw json.RawMessage
}

// exampleRows finds the rows of an example result (and the object around them, with a Rows key).
// With an ID, every row must have one, and a repeated ID is kept once: a portal's IDs are unique.
func exampleRows(l b24.ListShape, result json.RawMessage) (map[string]json.RawMessage, []exampleRow, bool) {
	var container map[string]json.RawMessage
	raw := result
	if l.Rows != "" {
		if json.Unmarshal(result, &container) != nil {
			return nil, nil, false
		}
		raw = container[l.Rows]
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil, nil, false
	}
	seen := map[int64]bool{}
	var rows []exampleRow
	for _, r := range list {
		if l.ID == "" {
			rows = append(rows, exampleRow{raw: r})
			continue
		}
		var fields map[string]json.RawMessage
		var id b24.Int
		if json.Unmarshal(r, &fields) != nil || json.Unmarshal(fields[l.ID], &id) != nil {
			return nil, nil, false // not rows with IDs: the example is answered as it is
		}
		if !seen[int64(id)] {
			seen[int64(id)] = true
			rows = append(rows, exampleRow{int64(id), r})
		}
	}
	return container, rows, true
}

// number reads an integer parameter as JSON or a form sends it; anything else is 0.
func number(v any) int64 {
	s := fmt.Sprint(v)
	if n, ok := v.(json.Number); ok {
		s = n.String()
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
