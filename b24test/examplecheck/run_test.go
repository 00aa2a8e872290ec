package examplecheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/b24gen/b24gen/generated/im"
	"github.com/b24gen/b24gen/generated/logapi"
	"github.com/google/go-cmp/cmp"
)

// Of must accept method expressions of the generated packages as they are.
var (
	_ = Of(crm.New, (*crm.Service).DealAdd)
	_ = Of(im.New, (*im.Service).DialogUnread)
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := writeFile(t, "requests.jsonl", `{"method": "crm.deal.add", "params": {"fields": {"TITLE": "x"}}, "doc": "a.md", "repo": "en"}

{"method": "task.commentitem.add", "params": [1, {"POST_MESSAGE": "x"}], "doc": "b.md", "repo": "ru"}
`)
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Line: 1, Method: "crm.deal.add", Params: []byte(`{"fields": {"TITLE": "x"}}`), Doc: "a.md", Repo: "en"},
		{Line: 3, Method: "task.commentitem.add", Params: []byte(`[1, {"POST_MESSAGE": "x"}]`), Doc: "b.md", Repo: "ru"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestLoadErrors(t *testing.T) {
	ok := `{"method": "a.b", "params": {}}` + "\n"
	for _, tc := range []struct{ content, want string }{
		{ok + `{"method": "a.b", "params": {}` + "\n", ":2: unexpected EOF"},
		{ok + ok + `{"params": {}}` + "\n", ":3: no method"},
		{`{"method": "a.b", "params": "x"}`, ":1: a.b: params must be a JSON object or array"},
		{`{"method": "a.b"}`, ":1: a.b: params must be a JSON object or array"},
		{`{"method": "a.b", "params": {}} {}`, ":1: more than one JSON value on the line"},
		{`[1]`, ":1: json: cannot unmarshal array"},
	} {
		path := writeFile(t, "requests.jsonl", tc.content)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+tc.want) {
			t.Errorf("Load(%q) = %v, want %q", tc.content, err, path+tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("Load of a missing file: no error")
	}
}

// doMethod sends params through b24.Client.Do, as the generated functions do.
func doMethod[P any](name string) Method {
	return Method{
		New: func() any { return new(P) },
		Call: func(ctx context.Context, c *b24.Client, p any) error {
			_, err := c.Do(ctx, name, p)
			return err
		},
	}
}

// tAdds sends a zero it was not given: the worst case.
type tAdds struct {
	Name  string `json:"name"`
	Other int    `json:"other"`
}

func TestCheck(t *testing.T) {
	methods := map[string]Method{
		"test.add":        doMethod[tParams]("test.add"),
		"test.adds":       doMethod[tAdds]("test.adds"),
		"test.positional": doMethod[tPositional]("test.positional"),
		"test.fail": {New: func() any { return new(tStrict) },
			Call: func(context.Context, *b24.Client, any) error { return errors.New("boom") }},
	}
	examples := []Example{
		{Line: 1, Method: "test.add", Params: []byte(`{"id": 5, "fields": {"TITLE": "x", "UF_1": "y", "FLAG": "Y"}}`)},
		{Line: 2, Method: "TEST.ADD", Params: []byte(`{"id": "your_id_here", "fields": {"COUNT": "7"}}`)},
		{Line: 3, Method: "test.add", Params: []byte(`{"fields": {"RATE": "abc"}}`)},
		{Line: 4, Method: "test.adds", Params: []byte(`{"name": "x"}`)},
		{Line: 5, Method: "test.add", Params: []byte(`{"order": {}, "id": 1}`)},
		{Line: 6, Method: "test.positional", Params: []byte(`{"TASKID": 8017, "FIELDS": {"TITLE": "x"}}`)},
		{Line: 7, Method: "test.positional", Params: []byte(`[8017, {"TITLE": "x"}]`)},
		{Line: 8, Method: "test.positional", Params: []byte(`{"TASKID": 1, "ITEMID": 3}`)},
		{Line: 9, Method: "nope.method", Params: []byte(`{}`)},
		{Line: 10, Method: "test.fail", Params: []byte(`{}`)},
		// the old task methods: names in any case, in any order, or other names in the parameters' order
		{Line: 12, Method: "test.positional", Params: []byte(`{"fields": {"TITLE": "x"}, "taskId": 8017}`)},
		{Line: 13, Method: "test.positional", Params: []byte(`{"id": 8017, "data": {"TITLE": "x"}}`)},
		{Line: 14, Method: "test.positional", Params: []byte(`{"a": 1, "b": {}, "c": 3, "d": 4}`)},
	}
	got := Check(examples, methods)
	want := map[int]Result{
		1:  {Outcome: Intact},
		2:  {Outcome: Intact, Aside: []string{"id"}},
		3:  {Outcome: Unwritable, Err: `fields.RATE: "abc" does not fit float64`},
		4:  {Outcome: Added, Diffs: []string{"added other = 0"}},
		5:  {Outcome: Changed, Diffs: []string{"lost order"}},
		6:  {Outcome: Intact},
		7:  {Outcome: Intact},
		8:  {Outcome: Intact},
		9:  {Outcome: UnknownMethod, Err: "no generated method nope.method"},
		10: {Outcome: CallFailed, Err: "boom"},
		12: {Outcome: Intact},
		13: {Outcome: Intact},
		14: {Outcome: Unwritable, Err: "(params): 4 values for the 3 positional parameters of examplecheck.tPositional"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	report := Report(append(examples, Example{Line: 11, Method: "x.y"}), got)
	if w := "14 examples: 7 intact, 1 added, 1 changed, 2 unwritable, 1 unknown method, 1 call failed, 1 not checked"; report != w {
		t.Errorf("Report = %q, want %q", report, w)
	}
}

func TestParseFailing(t *testing.T) {
	got, err := ParseFailing(strings.NewReader(`# header
214 imbot.chat.updateAvatar unwritable: AVATAR: "x" does not fit int

17 crm.deal.add call failed: crm.deal.add: id is required
18 crm.deal.add unknown method
`), "failing.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]Failure{
		214: {Line: 214, Method: "imbot.chat.updateAvatar", Outcome: Unwritable, Reason: `AVATAR: "x" does not fit int`},
		17:  {Line: 17, Method: "crm.deal.add", Outcome: CallFailed, Reason: "crm.deal.add: id is required"},
		18:  {Line: 18, Method: "crm.deal.add", Outcome: UnknownMethod},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if s := want[17].String(); s != "17 crm.deal.add call failed: crm.deal.add: id is required" {
		t.Errorf("String() = %q", s)
	}
	for _, bad := range []string{"x crm.deal.add changed: y", "5 crm.deal.add broken: y", "5 crm.deal.add intact", "5", "1 a.b changed\n1 a.b added"} {
		if _, err := ParseFailing(strings.NewReader(bad), "f.txt"); err == nil || !strings.HasPrefix(err.Error(), "f.txt:") {
			t.Errorf("ParseFailing(%q) = %v, want an error naming f.txt:line", bad, err)
		}
	}
}

// recorder is a reporter that keeps what run reports.
type recorder struct{ errors, logs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) { r.Errorf("FATAL "+format, a...) }
func (r *recorder) Logf(format string, a ...any)   { r.logs = append(r.logs, fmt.Sprintf(format, a...)) }

// TestRunGenerated drives a real generated method through run: Fill, the call to b24test, Diff and the
// comparison with a failing file, then its rewrite.
func TestRunGenerated(t *testing.T) {
	examples := writeFile(t, "requests.jsonl", strings.Join([]string{
		`{"method": "im.dialog.unread", "params": {"DIALOG_ID": "chat5", "MESSAGE_ID": 7}}`,
		`{"method": "im.dialog.unread", "params": {"DIALOG_ID": "chat5", "MESSAGE_ID": "seven"}}`,
		`{"method": "im.dialog.unread", "params": {"DIALOG_ID": 15, "MESSAGE_ID": "7"}}`,
		`{"method": "other.method", "params": {}}`,
		`{"method": "crm.deal.get", "params": {}}`,
		`{"method": "IM.DIALOG.UNREAD", "params": {"DIALOG_ID": "<DIALOG_ID>", "MESSAGE_ID": 7}}`,
	}, "\n"))
	failing := writeFile(t, "failing.txt", `# my header
1 im.dialog.unread changed: listed but passes
2 im.dialog.unread unwritable: known
3 im.dialog.unread changed: outcome differs
4 other.method unknown method: not generated here
9 im.dialog.unread changed: no such line
`)
	methods := map[string]Method{"im.dialog.unread": Of(im.New, (*im.Service).DialogUnread), "crm.deal.get": Of(crm.New, (*crm.Service).DealGet)}

	var r recorder
	run(&r, examples, methods, failing, false, false)
	if len(r.logs) == 0 || !strings.HasPrefix(r.logs[0], "6 examples: 3 intact, 0 added, 0 changed, 1 unwritable, 1 unknown method, 1 call failed") {
		t.Errorf("logs: %q", r.logs)
	}
	wantErrors := []string{
		"line 1 now passes: remove it from " + failing,
		"line 3 now passes: remove it from " + failing,
		"line 5 crm.deal.get call failed: crm.deal.get: ", // refused for id, by the client or the portal
		failing + ": line 9 is listed for im.dialog.unread, but the example there is no example",
	}
	if len(r.errors) != len(wantErrors) {
		t.Fatalf("errors:\n%s", strings.Join(r.errors, "\n"))
	}
	for i, w := range wantErrors {
		if !strings.HasPrefix(r.errors[i], w) {
			t.Errorf("error %d = %q, want it to start with %q", i, r.errors[i], w)
		}
	}
	if !strings.Contains(r.errors[2], "id is required") {
		t.Errorf("the call failure does not name id: %q", r.errors[2])
	}

	// Rewrite: the entries follow the results; the header, and the reason of an entry whose outcome
	// holds, stay.
	r = recorder{}
	run(&r, examples, methods, failing, true, false)
	if len(r.errors) != 0 {
		t.Fatalf("rewrite: %q", r.errors)
	}
	data, err := os.ReadFile(failing)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := []string{
		"# my header",
		"2 im.dialog.unread unwritable: known", // its outcome holds: the reason stays
		"4 other.method unknown method: not generated here",
		"5 crm.deal.get call failed: crm.deal.get: ",
	}
	if len(lines) != len(want) {
		t.Fatalf("rewritten file:\n%s", data)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i], w)
		}
	}
	r = recorder{}
	run(&r, examples, methods, failing, false, false)
	if len(r.errors) != 0 {
		t.Errorf("after the rewrite: %q", r.errors)
	}
}

// TestRunRealExamples runs Run itself on the real examples file for one method: the rewrite mode
// writes whatever the generated code does today, and the comparison that follows must agree with it.
func TestRunRealExamples(t *testing.T) {
	failing := filepath.Join(t.TempDir(), "failing.txt")
	methods := map[string]Method{"im.dialog.read": Of(im.New, (*im.Service).DialogRead)}
	t.Setenv(WriteEnv, "1")
	Run(t, methods, failing)
	if _, err := os.Stat(failing); err != nil {
		t.Fatal(err)
	}
	t.Setenv(WriteEnv, "")
	Run(t, methods, failing)
}

// TestExtraCarriesOtherForms: a documented form the typed field cannot hold goes through Extra and
// arrives as the docs show it (the reason failing.txt gives for log.blogpost.update's FILES deletion).
func TestExtraCarriesOtherForms(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := &logapi.BlogpostUpdateParams{PostID: 211, PostTitle: b24.Ptr("New Regulations"),
		Extra: map[string]any{"FILES": map[string]string{"437": "del"}}}
	if _, err := logapi.New(c).BlogpostUpdate(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	want := `{"POST_ID": 211, "POST_TITLE": "New Regulations", "FILES": {"437": "del"}}`
	calls := s.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls arrived, want 1", len(calls))
	}
	w, _ := decodeJSON([]byte(want))
	if d := Diff(w, arrived(calls[0])); len(d) != 0 {
		t.Errorf("sent %s, want %s: %q", calls[0].Body, want, d)
	}
}
