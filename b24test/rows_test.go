package b24test_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

func rawRows(rows ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = json.RawMessage(r)
	}
	return out
}

// TestGenerateRows: rows have strictly increasing IDs with gaps, a title and other fields in the
// method family's spelling, and are the same for the same method and count.
func TestGenerateRows(t *testing.T) {
	s := newServer(t)
	if n := s.GenerateRows("crm.deal.list", 1000); n != 1000 || s.ListRows("crm.deal.list") != 1000 {
		t.Fatalf("GenerateRows %d, ListRows %d", n, s.ListRows("crm.deal.list"))
	}
	a := post(t, s.WebhookURL()+"/crm.deal.list", "application/json", []byte(`{"start": 0}`))
	rows := a.env["result"].([]any)
	if len(rows) != 50 || a.env["total"] != 1000.0 || a.env["next"] != 50.0 {
		t.Fatalf("first page: %d rows, total %v next %v", len(rows), a.env["total"], a.env["next"])
	}
	first := rows[0].(map[string]any)
	if _, ok := first["ID"].(string); !ok || first["TITLE"] == nil || len(first) < 4 {
		t.Errorf("an old CRM row has a quoted ID, a TITLE and more: %v", first)
	}
	gaps, prev := 0, int64(0)
	for _, r := range rows {
		id, _ := strconv.ParseInt(r.(map[string]any)["ID"].(string), 10, 64)
		if id <= prev {
			t.Fatalf("IDs not increasing: %d after %d", id, prev)
		}
		if prev != 0 && id > prev+1 {
			gaps++
		}
		prev = id
	}
	if gaps == 0 || prev == 50 {
		t.Errorf("IDs without gaps: last %d", prev)
	}

	again := newServer(t)
	again.GenerateRows("crm.deal.list", 1000)
	if b := post(t, again.WebhookURL()+"/crm.deal.list", "application/json", []byte(`{"start": 0}`)); !reflect.DeepEqual(b.env["result"], a.env["result"]) {
		t.Errorf("rows differ between two servers")
	}

	s.GenerateRows("crm.item.list", 10)
	a = post(t, s.WebhookURL()+"/crm.item.list", "application/json", []byte(`{"entityTypeId": 2}`))
	items := a.env["result"].(map[string]any)["items"].([]any)
	if it := items[0].(map[string]any); len(items) != 10 || it["title"] == nil || fmt.Sprintf("%T", it["id"]) != "float64" {
		t.Errorf("crm.item.list rows: %d, %v", len(items), items[0])
	}
}

// TestSetRowsPaging: set rows are paged by ID filters (> >= < <=, combined), order, start with total
// and next, start -1 without them, and select; a non-numeric >ID compares as 0, as PHP casts it.
func TestSetRowsPaging(t *testing.T) {
	s := newServer(t)
	// out of order and with a repeated ID: stored sorted, the later row kept
	s.SetRows("crm.deal.list", rawRows(`{"ID":"20","TITLE":"t20","X":1}`, `{"ID":"5","TITLE":"t5","X":1}`, `{"ID":"12","TITLE":"old","X":1}`,
		`{"ID":"9","TITLE":"t9","X":1}`, `{"ID":"31","TITLE":"t31","X":1}`, `{"ID":12,"TITLE":"t12","X":1}`))
	if n := s.ListRows("crm.deal.list"); n != 5 {
		t.Fatalf("ListRows %d", n)
	}
	deals := s.WebhookURL() + "/crm.deal.list"
	for _, tc := range []struct {
		body        string
		want        []string
		total, next any
	}{
		{`{}`, []string{"5", "9", "12", "20", "31"}, 5.0, nil},
		{`{"filter": {">ID": 9}, "start": -1}`, []string{"12", "20", "31"}, nil, nil},
		{`{"filter": {">=ID": "9"}}`, []string{"9", "12", "20", "31"}, 4.0, nil},
		{`{"filter": {"<ID": 12}}`, []string{"5", "9"}, 2.0, nil},
		{`{"filter": {"<=id": 12, ">ID": 5}, "order": {"ID": "DESC"}}`, []string{"12", "9"}, 2.0, nil},
		{`{"order": {"ID": "DESC"}, "start": 3}`, []string{"9", "5"}, 5.0, nil},
		{`{"start": 7}`, nil, 5.0, nil},
		{`{"filter": {">ID": "$result[gone][49][ID]"}, "start": -1}`, []string{"5", "9", "12", "20", "31"}, nil, nil},
		{`{"filter": {">ID": "12abc"}, "start": -1}`, []string{"20", "31"}, nil, nil},
	} {
		got, total, next := ids(t, deals, tc.body, "", "ID")
		if !reflect.DeepEqual(got, tc.want) || total != tc.total || next != tc.next {
			t.Errorf("%s: rows %v total %v next %v; want %v %v %v", tc.body, got, total, next, tc.want, tc.total, tc.next)
		}
	}

	a := post(t, deals, "application/json", []byte(`{"select": ["title"], "filter": {">ID": 9}}`))
	if row := a.env["result"].([]any)[0]; !reflect.DeepEqual(row, map[string]any{"ID": 12.0, "TITLE": "t12"}) {
		t.Errorf("select keeps the named keys and the ID: %v", row)
	}
	a = post(t, deals, "application/json", []byte(`{"select": ["*"], "filter": {">ID": 9}}`))
	if row := a.env["result"].([]any)[0].(map[string]any); len(row) != 3 {
		t.Errorf("select * keeps every key: %v", row)
	}

	s.GenerateRows("crm.deal.list", 120)
	for _, tc := range []struct {
		start, rows int
		next        any
	}{{0, 50, 50.0}, {50, 50, 100.0}, {100, 20, nil}, {119, 1, nil}} {
		a := post(t, deals, "application/json", []byte(fmt.Sprintf(`{"start": %d}`, tc.start)))
		if n := len(a.env["result"].([]any)); n != tc.rows || a.env["total"] != 120.0 || a.env["next"] != tc.next {
			t.Errorf("start %d: %d rows total %v next %v", tc.start, n, a.env["total"], a.env["next"])
		}
	}
}

// walk fetches a list with the fast walk of section 5.3 from the ID after: batches of 50 commands,
// each filtering >id by the last row of the one before; it returns the IDs in order, stopping at the
// first short page.
func walk(t *testing.T, target, method, rowsKey, idKey string, after int64) []int64 {
	t.Helper()
	var got []int64
	for {
		cmd := map[string]string{}
		for i := range 50 {
			ref := strconv.FormatInt(after, 10)
			if i > 0 {
				ref = fmt.Sprintf("$result[c%02d][%s][49][%s]", i-1, rowsKey, idKey)
			}
			cmd[fmt.Sprintf("c%02d", i)] = fmt.Sprintf("%s?entityTypeId=2&order[%s]=ASC&start=-1&filter[>%s]=%s", method, idKey, idKey, ref)
		}
		body, _ := json.Marshal(map[string]any{"halt": 1, "cmd": cmd})
		resp, err := http.Post(target, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Result struct {
				Result map[string]map[string][]struct {
					ID b24.Int `json:"id"` // matches ID too
				}
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("batch: %d %v", resp.StatusCode, err)
		}
		for i := range 50 {
			page := answer.Result.Result[fmt.Sprintf("c%02d", i)][rowsKey]
			for _, row := range page {
				got = append(got, int64(row.ID))
			}
			if len(page) < 50 {
				return got // a short page: the next command's reference did not resolve
			}
			after = got[len(got)-1]
		}
	}
}

// TestLargeList: on 100,000 rows, deep offsets count and page exactly, and a walk in batches whose
// commands reference the previous command's last row brings every row from a deep ID on exactly
// once and in order (the walk covers the last 20,000 rows, to stay quick under -race).
func TestLargeList(t *testing.T) {
	s := newServer(t)
	if n := s.GenerateRows("crm.item.list", 100_000); n != 100_000 || s.ListRows("crm.item.list") != 100_000 {
		t.Fatalf("GenerateRows %d, ListRows %d", n, s.ListRows("crm.item.list"))
	}
	items := s.WebhookURL() + "/crm.item.list"
	got, total, next := ids(t, items, `{"entityTypeId": 2, "start": 79999}`, "items", "id")
	if len(got) != 50 || total != 100_000.0 || next != 80049.0 {
		t.Fatalf("start 79999: %d rows total %v next %v", len(got), total, next)
	}
	after, _ := strconv.ParseInt(got[0], 10, 64)
	if last, total, _ := ids(t, items, `{"entityTypeId": 2, "start": 99990}`, "items", "id"); len(last) != 10 || total != 100_000.0 {
		t.Errorf("last page: %d rows total %v", len(last), total)
	}
	rest, total, _ := ids(t, items, `{"entityTypeId": 2, "filter": {">id": `+got[0]+`}, "start": 0}`, "items", "id")
	if total != 20_000.0 || rest[0] != got[1] {
		t.Errorf(">id of row 79999 counts %v rows from %s, want 20000 from %s", total, rest[0], got[1])
	}

	walked := walk(t, s.WebhookURL()+"/batch", "crm.item.list", "items", "id", after)
	if len(walked) != 20_000 || strconv.FormatInt(walked[0], 10) != got[1] {
		t.Fatalf("%d rows walked from %d, want 20000 from %s", len(walked), walked[0], got[1])
	}
	for i := 1; i < len(walked); i++ {
		if walked[i] <= walked[i-1] {
			t.Fatalf("row %d: id %d after %d", i, walked[i], walked[i-1])
		}
	}
	// 8 batches of 50 pages; then an empty page, after which the 49 references cannot resolve and
	// each page restarts from the first row: the waste a client must avoid
	if n := s.Runs("crm.item.list"); n != 3+400+50 {
		t.Errorf("crm.item.list ran %d times", n)
	}
}

// TestUnresolvedReferenceRestarts: a reference into a short page does not resolve, so its literal
// text is passed on, and as a >ID filter it compares as 0: the walk starts again at the first row.
func TestUnresolvedReferenceRestarts(t *testing.T) {
	s := newServer(t)
	s.GenerateRows("crm.deal.list", 70)
	body := `{"cmd": {
		"a": "crm.deal.list?order[ID]=ASC&start=-1",
		"b": "crm.deal.list?order[ID]=ASC&start=-1&filter[>ID]=$result[a][49][ID]",
		"c": "crm.deal.list?order[ID]=ASC&start=-1&filter[>ID]=$result[b][49][ID]"}}`
	r := batchAnswer(t, s.WebhookURL()+"/batch", "application/json", body)
	var res map[string][]map[string]string
	if err := json.Unmarshal(r["result"], &res); err != nil {
		t.Fatal(err)
	}
	if len(res["a"]) != 50 || len(res["b"]) != 20 || res["b"][0]["ID"] <= res["a"][49]["ID"] {
		t.Errorf("pages a %d, b %d rows", len(res["a"]), len(res["b"]))
	}
	if len(res["c"]) != 50 || res["c"][0]["ID"] != res["a"][0]["ID"] {
		t.Errorf("c should restart at the first row %s: %d rows from %v", res["a"][0]["ID"], len(res["c"]), res["c"][0])
	}
	calls := s.Calls()
	if f := calls[len(calls)-1].Params["filter"].(map[string]any)[">ID"]; f != "$result[b][49][ID]" {
		t.Errorf("the literal reference did not arrive: %v", f)
	}
}

// TestRowsChangeDuringWalk: rows deleted ahead of a walk are skipped, rows added above it show up,
// rows added below it are not seen, an added row with a known ID replaces it; AddRows starts from
// the example's rows when none were set.
func TestRowsChangeDuringWalk(t *testing.T) {
	s := newServer(t)
	s.GenerateRows("crm.item.list", 120)
	items := s.WebhookURL() + "/crm.item.list"
	page := func(after string) []string {
		got, _, _ := ids(t, items, `{"entityTypeId": 2, "order": {"id": "ASC"}, "start": -1, "filter": {">id": `+after+`}}`, "items", "id")
		return got
	}
	p1 := page("0")
	p2 := page(p1[49])
	del, _ := strconv.ParseInt(p2[10], 10, 64)
	s.DeleteRows("crm.item.list", del, 999_999_999)
	s.AddRows("crm.item.list", json.RawMessage(`{"id": 1, "title": "below"}`), json.RawMessage(`{"id": 900000, "title": "above"}`),
		json.RawMessage(`{"id": `+p2[0]+`, "title": "updated"}`))
	if n := s.ListRows("crm.item.list"); n != 121 {
		t.Errorf("ListRows %d, want 120 - 1 + 2", n)
	}
	var seen []string
	for last := p1[49]; ; {
		got := page(last)
		if len(got) == 0 {
			break
		}
		seen = append(seen, got...)
		last = got[len(got)-1]
	}
	joined := "," + strings.Join(seen, ",") + ","
	if len(seen) != 70-1+1 || strings.Contains(joined, ","+p2[10]+",") || !strings.HasSuffix(joined, ",900000,") || strings.Contains(joined, ",1,") {
		t.Errorf("walk after the changes: %d rows %v", len(seen), seen)
	}
	a := post(t, items, "application/json", []byte(`{"entityTypeId": 2, "filter": {">=id": `+p2[0]+`, "<=id": `+p2[0]+`}}`))
	if row := a.env["result"].(map[string]any)["items"].([]any); len(row) != 1 || row[0].(map[string]any)["title"] != "updated" {
		t.Errorf("AddRows with a known ID: %v", row)
	}

	s.AddRows("crm.deal.list", json.RawMessage(`{"ID": "100", "TITLE": "new"}`))
	got, total, _ := ids(t, s.WebhookURL()+"/crm.deal.list", `{}`, "", "ID")
	if !reflect.DeepEqual(got, []string{"37", "38", "39", "40", "41", "42", "100"}) || total != 7.0 {
		t.Errorf("AddRows onto the example's rows: %v total %v", got, total)
	}
}
