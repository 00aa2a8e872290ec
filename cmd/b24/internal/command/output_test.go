package command

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// listServer answers crm.deal.list with three rows whose keys come in an order of their own (not
// sorted), one of them missing a key and one holding a nested value, and crm.deal.get with one object.
func listServer(t *testing.T) *b24test.Server {
	t.Helper()
	srv := b24test.New()
	t.Cleanup(srv.Close)
	srv.Handle("crm.deal.list", func(b24test.Call) (any, *b24.APIError) {
		return json.RawMessage(`[
			{"TITLE":"Deal, first","ID":"1","OPPORTUNITY":10.5},
			{"TITLE":"Line\nbreak","ID":"2","STAGE":{"id":"WON","sort":[1,2]}},
			{"TITLE":"<b>&</b>","ID":"3","OPPORTUNITY":null}]`), nil
	})
	srv.Handle("crm.deal.get", func(b24test.Call) (any, *b24.APIError) {
		return json.RawMessage(`{"TITLE":"Деал","ID":"12345678901234567890123","TAGS":["a","b"]}`), nil
	})
	return srv
}

// TestJQSingle: --jq sees the whole envelope of a single call; a string result prints raw, anything
// else as indented JSON (one line with -o jsonl); big numbers stay exact; no HTML escaping.
func TestJQSingle(t *testing.T) {
	srv := listServer(t)
	u := srv.WebhookURL()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result.TITLE"}, "Деал\n"},
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result.ID | tonumber"}, "12345678901234567890123\n"},
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result.TAGS"}, "[\n  \"a\",\n  \"b\"\n]\n"},
		{[]string{"crm.deal.get", "--id", "1", "-o", "jsonl", "--jq", ".result.TAGS"}, "[\"a\",\"b\"]\n"},
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result.TAGS[]"}, "a\nb\n"},
		{[]string{"crm.deal.get", "--id", "1", "--jq", "(.result | has(\"ID\")), (.time | type), .result.NONE"}, "true\nobject\nnull\n"},
		{[]string{"crm.deal.list", "--jq", ".result[] | select(.ID == \"3\") | {TITLE}"}, "{\n  \"TITLE\": \"<b>&</b>\"\n}\n"},
		{[]string{"crm.deal.list", "--jq", ".result | length"}, "3\n"},
		{[]string{"crm.deal.list", "--jq", "empty"}, ""},
		{[]string{"crm.deal.list", "--jq", ".result[].ID, halt, 9"}, "1\n2\n3\n"},
		// a flag before the method: the word after --jq is its value, not the command
		{[]string{"--jq", ".result.ID", "crm.deal.get", "--id", "1"}, "12345678901234567890123\n"},
	} {
		r := run(t, nil, nil, append([]string{"--url", u}, c.args...)...)
		r.check(t, 0)
		if d := cmp.Diff(c.want, r.stdout); d != "" {
			t.Errorf("%v (-want +got):\n%s", c.args, d)
		}
		if strings.Contains(r.stderr, "--jq") {
			t.Errorf("%v: stderr %q", c.args, r.stderr)
		}
	}

	// The filter cannot read the environment, where the token may be.
	t.Setenv("B24_TOKEN", "s3cr3t-token-value")
	r := run(t, nil, nil, "--url", u, "crm.deal.get", "--id", "1", "--jq", "[env, $ENV]")
	r.check(t, 0)
	if strings.Contains(r.stdout, "s3cr3t") || strings.Join(strings.Fields(r.stdout), "") != "[{},{}]" {
		t.Errorf("env: %q", r.stdout)
	}

	// b24 call and an OPI helper go through the same filter.
	r = run(t, nil, nil, "--url", u, "call", "crm.deal.get", "id=1", "--jq", ".result.TAGS | join(\"+\")")
	r.check(t, 0)
	if r.stdout != "a+b\n" {
		t.Errorf("call: %q", r.stdout)
	}
}

// TestJQErrors: a bad expression is a usage error naming --jq, and nothing is sent; a filter that does
// not fit the answer is one too, after the call.
func TestJQErrors(t *testing.T) {
	srv := listServer(t)
	u := srv.WebhookURL()
	for _, c := range []struct {
		args []string
		msg  string
		sent int
	}{
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result | ]"}, `b24: --jq: unexpected token "]"` + "\n", 0},
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result | nosuchfunc"}, "b24: --jq: function not defined: nosuchfunc/0\n", 0},
		{[]string{"crm.deal.get", "--id", "1", "--jq", "$nope"}, "b24: --jq: variable not defined: $nope\n", 0},
		{[]string{"crm.deal.list", "--all", "--jq", "{"}, "b24: --jq: unexpected EOF\n", 0},
		{[]string{"call", "crm.deal.get", "--jq", "]["}, `b24: --jq: unexpected token "]"` + "\n", 0},
		{[]string{"batch", "a=crm.deal.get?id=1", "--jq", "]["}, `b24: --jq: unexpected token "]"` + "\n", 0},
		{[]string{"crm.deal.get", "--id", "1", "--jq", ".result.TITLE.x"}, "b24: --jq: expected an object but got: string (\"Деал\")\n", 1},
		{[]string{"crm.deal.get", "--id", "1", "--jq", `error("stop")`}, "b24: --jq: error: stop\n", 1},
	} {
		srv.ResetCalls()
		r := run(t, nil, nil, append([]string{"--url", u}, c.args...)...)
		// a filter refused before the call is the usage's mistake; one failing on an answer is not
		r.check(t, map[bool]int{true: ExitUsage, false: ExitOutput}[c.sent == 0])
		if d := cmp.Diff(c.msg, r.stderr); d != "" {
			t.Errorf("%v: %s", c.args, d)
		}
		// a filter refused before the call prints nothing; one failing on the answer prints the answer
		if (c.sent == 0) != (r.stdout == "") {
			t.Errorf("%v: stdout %q", c.args, r.stdout)
		}
		if n := len(srv.Calls()); n != c.sent {
			t.Errorf("%v: %d calls sent, want %d", c.args, n, c.sent)
		}
	}
}

// TestOutputSingle: -o jsonl, table and csv of a single call's list result.
func TestOutputSingle(t *testing.T) {
	srv := listServer(t)
	u := srv.WebhookURL()

	r := run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "jsonl")
	r.check(t, 0)
	var env map[string]any
	if strings.Count(r.stdout, "\n") != 1 || json.Unmarshal([]byte(r.stdout), &env) != nil || len(env["result"].([]any)) != 3 {
		t.Errorf("jsonl: %q", r.stdout)
	}
	if !strings.HasPrefix(r.stdout, `{"result":[{"TITLE":"Deal, first","ID":"1","OPPORTUNITY":10.5},`) {
		t.Errorf("jsonl keeps the answer's order and form: %q", r.stdout)
	}

	// csv: columns in the order first seen, nested values as compact JSON, null and missing empty.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--output", "csv")
	r.check(t, 0)
	want := "TITLE,ID,OPPORTUNITY,STAGE\n" +
		"\"Deal, first\",1,10.5,\n" +
		"\"Line\nbreak\",2,,\"{\"\"id\"\":\"\"WON\"\",\"\"sort\"\":[1,2]}\"\n" +
		"<b>&</b>,3,,\n"
	if d := cmp.Diff(want, r.stdout); d != "" {
		t.Errorf("csv (-want +got):\n%s", d)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) != 4 || recs[2][0] != "Line\nbreak" || recs[2][3] != `{"id":"WON","sort":[1,2]}` {
		t.Errorf("csv does not read back: %v %q", err, recs)
	}

	// table: aligned columns, a line break in a value does not break the row.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "table")
	r.check(t, 0)
	want = "" +
		"TITLE        ID  OPPORTUNITY  STAGE\n" +
		"Deal, first  1   10.5\n" +
		"Line break   2                {\"id\":\"WON\",\"sort\":[1,2]}\n" +
		"<b>&</b>     3\n"
	if d := cmp.Diff(want, strings.Join(trimLines(r.stdout), "\n")+"\n"); d != "" {
		t.Errorf("table (-want +got):\n%s", d)
	}

	// --select gives the columns and their order; the portal here ignores it.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "csv", "--select", "['ID','TITLE']")
	r.check(t, 0)
	if d := cmp.Diff("ID,TITLE\n1,\"Deal, first\"\n2,\"Line\nbreak\"\n3,<b>&</b>\n", r.stdout); d != "" {
		t.Errorf("csv --select (-want +got):\n%s", d)
	}

	// An object holding the list under its only key (tasks.task.list) or under items; a select of
	// UPPER_SNAKE names finds the camelCase keys the rows have.
	srv.Handle("tasks.task.list", func(b24test.Call) (any, *b24.APIError) {
		return json.RawMessage(`{"tasks":[{"id":1,"title":"T1","createdBy":5},{"id":2,"title":"T2","createdBy":6}]}`), nil
	})
	srv.Handle("x.items", func(b24test.Call) (any, *b24.APIError) {
		return json.RawMessage(`{"items":[{"a":1},{"b":2}],"total":2}`), nil
	})
	r = run(t, nil, nil, "--url", u, "call", "tasks.task.list", "select=['ID','CREATED_BY']", "-o", "csv")
	r.check(t, 0)
	if d := cmp.Diff("id,createdBy\n1,5\n2,6\n", r.stdout); d != "" {
		t.Errorf("tasks csv (-want +got):\n%s", d)
	}
	r = run(t, nil, nil, "--url", u, "call", "x.items", "-o", "csv")
	r.check(t, 0)
	if d := cmp.Diff("a,b\n1,\n,2\n", r.stdout); d != "" {
		t.Errorf("items csv (-want +got):\n%s", d)
	}

	// An empty list: nothing, or the header of the selected fields.
	srv.Handle("crm.deal.list", func(b24test.Call) (any, *b24.APIError) { return json.RawMessage(`[]`), nil })
	if r = run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "csv"); r.code != 0 || r.stdout != "" {
		t.Errorf("empty csv: %d %q", r.code, r.stdout)
	}
	if r = run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "table", "--select", "['ID','TITLE']"); r.code != 0 || strings.TrimSpace(r.stdout) != "ID  TITLE" {
		t.Errorf("empty table with --select: %d %q", r.code, r.stdout)
	}
}

// TestOutputJQColumns: --jq first, then -o table or csv formats its objects (keys sorted, as gojq
// gives them), or the objects of a list it gives.
func TestOutputJQColumns(t *testing.T) {
	srv := listServer(t)
	u := srv.WebhookURL()
	r := run(t, nil, nil, "--url", u, "crm.deal.list", "--jq", ".result[] | {name: .TITLE, id: .ID}", "-o", "csv")
	r.check(t, 0)
	if d := cmp.Diff("id,name\n1,\"Deal, first\"\n2,\"Line\nbreak\"\n3,<b>&</b>\n", r.stdout); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	r = run(t, nil, nil, "--url", u, "crm.deal.get", "--id", "1", "--jq", "[.result | {ID, TITLE}]", "-o", "table")
	r.check(t, 0)
	if d := cmp.Diff([]string{"ID                       TITLE", "12345678901234567890123  Деал"}, trimLines(r.stdout)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--jq", ".result[].ID", "-o", "csv")
	r.check(t, ExitOutput)
	if want := "b24: --output csv prints objects, and --jq gave a string; make the filter give objects (e.g. {id: .ID}), or use -o json\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}

// TestOutputNotList: table and csv of a result that is not a list end with the output's exit code
// (3) and say what to do; a format b24 does not know is a usage error, before any call.
func TestOutputNotList(t *testing.T) {
	srv := listServer(t)
	u := srv.WebhookURL()
	srv.Handle("im.dialog.unread", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"crm.deal.get", "--id", "1", "-o", "table"}, "b24: --output table prints a list of objects, and the result of crm.deal.get is an object; pick a list with --jq (e.g. --jq '.result.items'), or use -o json\n"},
		{[]string{"im.dialog.unread", "--chat", "1", "--message", "2", "-o", "csv"}, "b24: --output csv prints a list of objects, and the result of im.dialog.unread is a boolean; pick a list with --jq (e.g. --jq '.result.items'), or use -o json\n"},
		{[]string{"call", "crm.deal.get", "id=1", "-otable"}, "b24: --output table prints a list of objects, and the result of crm.deal.get is an object; pick a list with --jq (e.g. --jq '.result.items'), or use -o json\n"},
	} {
		r := run(t, nil, nil, append([]string{"--url", u}, c.args...)...)
		r.check(t, ExitOutput)
		// the method ran: its answer is printed as it came, so that a write's result is not lost
		if d := cmp.Diff(c.msg, r.stderr); d != "" || !strings.HasPrefix(r.stdout, "{\n  \"result\": ") {
			t.Errorf("%v: stdout %q; stderr: %s", c.args, r.stdout, d)
		}
	}
	srv.ResetCalls()
	r := run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "yaml")
	r.check(t, ExitUsage)
	if r.stderr != "b24: --output: expected json, jsonl, table or csv, got \"yaml\"\n" || len(srv.Calls()) != 0 {
		t.Errorf("stderr %q, %d calls", r.stderr, len(srv.Calls()))
	}
	// Upper case is accepted.
	run(t, nil, nil, "--url", u, "crm.deal.list", "-o", "CSV").check(t, 0)
}

// TestOutputAll: --all with --jq (row by row), jsonl, csv and table, against generated rows.
func TestOutputAll(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	const n = 260
	srv.GenerateRows("crm.deal.list", n)
	u := srv.WebhookURL()

	plain := run(t, nil, nil, "--url", u, "crm.deal.list", "--all")
	plain.check(t, 0)
	rows := strings.Split(strings.TrimSuffix(plain.stdout, "\n"), "\n")
	if len(rows) != n {
		t.Fatalf("%d rows", len(rows))
	}
	type deal struct{ ID, TITLE, STAGE_ID, OPPORTUNITY string }
	deals := make([]deal, n)
	for i, row := range rows {
		if err := json.Unmarshal([]byte(row), &deals[i]); err != nil || deals[i].ID == "" {
			t.Fatalf("row %d: %v %s", i, err, row)
		}
	}

	// jsonl is the default's one row a line.
	r := run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "-o", "jsonl")
	r.check(t, 0)
	if r.stdout != plain.stdout {
		t.Error("--all -o jsonl differs from --all")
	}

	// --jq sees each row: strings raw, objects compact, one a line.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "--jq", ".ID")
	r.check(t, 0)
	ids := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(ids) != n || ids[0] != deals[0].ID || ids[n-1] != deals[n-1].ID {
		t.Errorf("--jq .ID: %d lines, %q … %q", len(ids), ids[0], ids[len(ids)-1])
	}
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "--jq", `select(.STAGE_ID == "WON") | {ID, won: true}`)
	r.check(t, 0)
	var won []string
	for _, d := range deals {
		if d.STAGE_ID == "WON" {
			won = append(won, fmt.Sprintf(`{"ID":%q,"won":true}`, d.ID))
		}
	}
	if len(won) == 0 || r.stdout != strings.Join(won, "\n")+"\n" {
		t.Errorf("--jq select: %d won, got %q", len(won), r.stdout)
	}

	// csv streams: the first row's keys as header, or the selected fields.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "-o", "csv")
	r.check(t, 0)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) != n+1 {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	if d := cmp.Diff([]string{"ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "ASSIGNED_BY_ID", "DATE_CREATE"}, recs[0]); d != "" {
		t.Errorf("header: %s", d)
	}
	for i, d := range deals {
		if got := recs[i+1]; got[0] != d.ID || got[1] != d.TITLE || got[3] != d.OPPORTUNITY {
			t.Fatalf("record %d: %q, want %+v", i+1, got, d)
		}
	}
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "-o", "csv", "--select", "['TITLE','STAGE_ID']")
	r.check(t, 0)
	recs, _ = csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if len(recs) != n+1 || strings.Join(recs[0], ",") != "TITLE,STAGE_ID" || recs[n][0] != deals[n-1].TITLE || recs[n][1] != deals[n-1].STAGE_ID {
		t.Errorf("csv --select: %d records, %q … %q", len(recs), recs[0], recs[len(recs)-1])
	}

	// --jq then csv, row by row.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "--jq", "{id: .ID, t: .TITLE}", "-o", "csv")
	r.check(t, 0)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != n+1 || lines[0] != "id,t" || lines[1] != deals[0].ID+","+deals[0].TITLE {
		t.Errorf("--jq -o csv: %d lines, %q %q", len(lines), lines[0], lines[1])
	}

	// table: a header once, every row, and within each chunk of rows the columns line up; a column
	// never narrows further down.
	r = run(t, nil, nil, "--url", u, "crm.deal.list", "--all", "-o", "table", "--select", "['ID','TITLE','STAGE_ID']")
	r.check(t, 0)
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != n+1 || strings.Join(strings.Fields(lines[0]), " ") != "ID TITLE STAGE_ID" {
		t.Fatalf("table: %d lines, header %q", len(lines), lines[0])
	}
	prevTitle, prevStage := 0, 0
	for i, d := range deals {
		line := lines[i+1]
		title, stage := strings.Index(line, d.TITLE), strings.LastIndex(line, d.STAGE_ID)
		if !strings.HasPrefix(line, d.ID+" ") || title < 0 || stage < title {
			t.Fatalf("line %d: %q, want %+v", i+1, line, d)
		}
		if title < prevTitle || stage < prevStage || i%tableChunk != 0 && (title != prevTitle || stage != prevStage) {
			t.Fatalf("line %d: columns at %d, %d after %d, %d:\n%s", i+1, title, stage, prevTitle, prevStage, line)
		}
		prevTitle, prevStage = title, stage
	}
}

// TestOutputAllStops: an export that stops half-way has its rows so far printed whole in csv, then the
// error and how to resume.
func TestOutputAllStops(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	calls := 0
	srv.Handle("crm.deal.list", func(c b24test.Call) (any, *b24.APIError) {
		if calls++; calls == 2 {
			return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"}
		}
		var rows []map[string]any
		for id := 1; id <= 50; id++ {
			rows = append(rows, map[string]any{"ID": fmt.Sprint(id), "TITLE": fmt.Sprint("T", id)})
		}
		return b24test.Page(rows, 120, 50), nil
	})
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--all", "-o", "table")
	r.check(t, 1)
	lines := trimLines(r.stdout)
	if len(lines) != 51 || lines[0] != "ID  TITLE" || lines[50] != "50  T50" {
		t.Errorf("%d lines: %q", len(lines), r.stdout)
	}
	if !strings.HasSuffix(r.stderr, "b24: the rows up to ID 50 are printed; to go on from there, repeat the command with --after 50\n") {
		t.Errorf("stderr %q", r.stderr)
	}
	// The error's JSON goes to stdout only when stdout is plain JSON.
	srv.Handle("crm.deal.get", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "NOT_FOUND", Description: "Not found", Status: 400}
	})
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.get", "--id", "9", "--jq", ".result")
	if r.check(t, 1); r.stdout != "" || !strings.HasPrefix(r.stderr, "b24: crm.deal.get: NOT_FOUND: Not found\n") {
		t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
	}
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.get", "--id", "9")
	if r.check(t, 1); !strings.Contains(r.stdout, `"error": "NOT_FOUND"`) {
		t.Errorf("stdout %q", r.stdout)
	}
}

// TestOutputHelper: an OPI helper's structure goes through --jq too, and by default prints as built.
func TestOutputHelper(t *testing.T) {
	var plain, filtered bytes.Buffer
	cat := (&testCatalog{}).catalog()
	var helper string
	for _, f := range cat.OPI() {
		if f.Method == "" {
			helper = f.EN
			break
		}
	}
	if helper == "" {
		t.Fatal("the test catalog has no helper")
	}
	if code := Run(context.Background(), []string{"bitrix24", helper}, Env{Stdout: &plain, Catalog: cat}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if code := Run(context.Background(), []string{"bitrix24", helper, "--jq", "type"}, Env{Stdout: &filtered, Catalog: cat}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var v any
	if json.Unmarshal(plain.Bytes(), &v) != nil {
		t.Fatalf("helper output is not JSON: %s", plain.String())
	}
	want := map[bool]string{true: "object\n", false: "array\n"}[fmt.Sprintf("%T", v) == "map[string]interface {}"]
	if filtered.String() != want {
		t.Errorf("--jq type: %q, want %q", filtered.String(), want)
	}
}

// TestOutputFlagsIndex: --jq, --output and -o take a value, so the word after them is not the command.
func TestOutputFlagsIndex(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--jq", ".x", "im.x"}, 2},
		{[]string{"-o", "table", "im.x"}, 2},
		{[]string{"--output", "csv", "--sandbox", "im.x"}, 3},
		{[]string{"-ocsv", "im.x"}, 1},
		{[]string{"--output=csv", "im.x"}, 1},
	} {
		if got := commandIndex(c.args); got != c.want {
			t.Errorf("commandIndex(%v) = %d, want %d", c.args, got, c.want)
		}
	}
	r := run(t, nil, nil, "crm.deal.list", "--help")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "--jq expression") || !strings.Contains(r.stdout, "-o, --output format") {
		t.Errorf("help:\n%s", r.stdout)
	}
}

func TestColumnsOf(t *testing.T) {
	keys := []string{"id", "title", "createdBy", "UF_CRM_1"}
	for _, c := range []struct {
		selected, want []string
	}{
		{nil, keys},
		{[]string{"TITLE", "ID"}, []string{"title", "id"}},
		{[]string{"CREATED_BY", "GONE"}, []string{"createdBy", "GONE"}},
		{[]string{"ID", "UF_*"}, keys},
		{[]string{"nothing", "here"}, keys},
	} {
		if d := cmp.Diff(c.want, columnsOf(c.selected, keys)); d != "" {
			t.Errorf("columnsOf(%q): %s", c.selected, d)
		}
	}
}

// trimLines splits output into lines without the spaces a table leaves at their ends.
func trimLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}
