package b24test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// SetRows replaces the rows that list method pages (instead of its example's) with rows, in calls
// and in batch commands alike. Each row must be a JSON object with the method's ID field (a number
// or a quoted one); the rows are kept sorted by ID, and of rows with the same ID the last is kept.
// A twin's REST 3.0 list is named with its @3 suffix (tasks.task.list@3). It panics when method is
// not a list method with an ID field: a test's mistake.
func (s *Server) SetRows(method string, rows []json.RawMessage) {
	l := s.listShape("SetRows", method)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[strings.ToLower(method)] = &rowSet{shape: l, rows: mergeRows(nil, parseRows("SetRows", method, l.ID, rows)), sorted: true}
}

// AddRows adds rows to the rows of list method (its example's until SetRows or GenerateRows): a row
// whose ID is there already replaces it, as an update would. Pages answered later see the
// change, the way rows added during a walk show up on a portal.
func (s *Server) AddRows(method string, rows ...json.RawMessage) {
	l := s.listShape("AddRows", method)
	added := parseRows("AddRows", method, l.ID, rows)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[strings.ToLower(method)] = &rowSet{shape: l, rows: mergeRows(s.currentRows(method, l), added), sorted: true}
}

// DeleteRows removes the rows with the given IDs from the rows of list method (its example's until
// SetRows or GenerateRows); unknown IDs are ignored.
func (s *Server) DeleteRows(method string, ids ...int64) {
	l := s.listShape("DeleteRows", method)
	gone := make(map[int64]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := slices.DeleteFunc(slices.Clone(s.currentRows(method, l)), func(r listRow) bool { return gone[r.id] })
	s.rows[strings.ToLower(method)] = &rowSet{shape: l, rows: kept, sorted: true}
}

// GenerateRows makes n rows for list method, replacing its rows as SetRows does, and returns n.
// The rows are the same for the same method and n: strictly increasing IDs with gaps, a title and a
// few other fields, spelled like the method's family (ID and UPPER_SNAKE keys with quoted numbers,
// or id and camelCase keys with numbers).
func (s *Server) GenerateRows(method string, n int) int {
	l := s.listShape("GenerateRows", method)
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(method)))
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(n)))
	rows := make([]listRow, n)
	id := int64(100 + r.IntN(900))
	for i := range rows {
		id += 1 + int64(r.IntN(4))
		rows[i] = listRow{id, generatedRow(l.ID, id, r)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[strings.ToLower(method)] = &rowSet{shape: l, rows: rows, sorted: true}
	return n
}

var stages = []string{"NEW", "PREPARATION", "EXECUTING", "WON", "LOSE"}

// generatedRow writes the JSON by hand, every value being plain ASCII: json.Marshal would make
// 100,000 rows take a good part of a second.
func generatedRow(idField string, id int64, r *rand.Rand) json.RawMessage {
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * 17 * time.Minute).Format("2006-01-02T15:04:05-07:00")
	amount, stage, assigned := float64(r.IntN(10_000_000))/100, stages[r.IntN(len(stages))], 1+r.IntN(9)
	if idField == strings.ToUpper(idField) {
		return fmt.Appendf(nil, `{%q:"%d","TITLE":"Row %d","STAGE_ID":%q,"OPPORTUNITY":"%.2f","ASSIGNED_BY_ID":"%d","DATE_CREATE":%q}`,
			idField, id, id, stage, amount, assigned, created)
	}
	return fmt.Appendf(nil, `{%q:%d,"title":"Row %d","stageId":%q,"opportunity":%.2f,"assignedById":%d,"createdTime":%q}`,
		idField, id, id, stage, amount, assigned, created)
}

// listShape is the list shape of method; rows can be set only where rows have IDs.
func (s *Server) listShape(fn, method string) b24.ListShape {
	fx, ok := s.fixtureOf(method)
	if !ok || fx.List == nil || fx.List.ID == "" {
		panic(fmt.Sprintf("b24test: %s(%q): not a list method whose rows have an ID field", fn, method))
	}
	return *fx.List
}

func parseRows(fn, method, idField string, rows []json.RawMessage) []listRow {
	out := make([]listRow, len(rows))
	for i, raw := range rows {
		id, ok := rowID(raw, idField)
		if !ok {
			panic(fmt.Sprintf("b24test: %s(%q): row %d has no %s: %s", fn, method, i, idField, raw))
		}
		out[i] = listRow{id, raw}
	}
	return out
}

// mergeRows is base (sorted by ID) with added, sorted by ID; of equal IDs the later is kept. base is
// not changed: pages may be reading it.
func mergeRows(base, added []listRow) []listRow {
	all := append(slices.Clone(base), added...)
	slices.SortStableFunc(all, func(a, b listRow) int { return cmp.Compare(a.id, b.id) })
	out := all[:0]
	for i, r := range all {
		if i+1 < len(all) && all[i+1].id == r.id {
			continue
		}
		out = append(out, r)
	}
	return out
}

// currentRows is what method pages now, sorted by ID: the rows set, else the example's. s.mu is held.
func (s *Server) currentRows(method string, l b24.ListShape) []listRow {
	if set := s.rows[strings.ToLower(method)]; set != nil {
		return set.rows
	}
	fx, _ := s.fixture(method, false)
	var env struct{ Result json.RawMessage }
	if json.Unmarshal([]byte(fx.Example), &env) != nil {
		return nil
	}
	set, _ := exampleRows(l, env.Result)
	return mergeRows(nil, set.rows)
}
