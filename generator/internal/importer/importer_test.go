package importer

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// tree reads every file under dir: relative slash path → content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func run(t *testing.T, schema, specDir string) (*Summary, string) {
	t.Helper()
	s, err := Run(Options{SchemaDir: schema, SpecDir: specDir})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	s.Write(&b, true)
	return s, b.String()
}

// TestGolden imports the fake schema into an empty tree: the files and the report must match
// testdata/golden byte for byte (go test -update rewrites them).
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	_, report := run(t, "testdata/schema", dir)
	got := tree(t, dir)
	got["report.txt"] = report
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
		for name, body := range got {
			p := filepath.Join(golden, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d := cmp.Diff(tree(t, golden), got); d != "" {
		t.Errorf("import output differs from testdata/golden (-want +got):\n%s", d)
	}
	if _, err := spec.Load(dir); err != nil {
		t.Errorf("the imported tree does not load:\n%v", err)
	}
}

// TestTwice: a second import of the same schema changes nothing.
func TestTwice(t *testing.T) {
	dir := t.TempDir()
	first, _ := run(t, "testdata/schema", dir)
	if len(first.Added) != 6 {
		t.Fatalf("first run added %v, want 6 files", first.Added)
	}
	before := tree(t, dir)
	s, _ := run(t, "testdata/schema", dir)
	if len(s.Added)+len(s.Updated)+len(s.Notes) != 0 || s.Unchanged != 6 {
		t.Errorf("second run: added %v, updated %v, notes %v, unchanged %d; want only 6 unchanged", s.Added, s.Updated, s.Notes, s.Unchanged)
	}
	if d := cmp.Diff(before, tree(t, dir)); d != "" {
		t.Errorf("second run changed files (-first +second):\n%s", d)
	}
}

// TestRemovedMethod: a method the schema dropped is reported and its file kept; one written by hand
// (source: hand) is neither.
func TestRemovedMethod(t *testing.T) {
	dir := t.TempDir()
	run(t, "testdata/schema", dir)
	schema := copySchema(t, "testdata/schema", []string{"fake.item.add", "fake.item.delete", "fake.item.fields", "fake.item.list", "task.commentitem.add"}, nil)
	// a method written by hand from a docs page no source lists is no removed method
	hand := "spec: 1\nmethod: fake.item.bind\nscope: fake\nkind: write\nsource: hand\nparams: []\n"
	if err := os.WriteFile(filepath.Join(dir, "fake", "fake.item.bind.yaml"), []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	s, report := run(t, schema, dir)
	if d := cmp.Diff([]string{"fake/fake.item.get.yaml"}, s.Missing); d != "" {
		t.Errorf("Missing (-want +got):\n%s", d)
	}
	if !strings.Contains(report, "not in the schema (kept): fake/fake.item.get.yaml") {
		t.Errorf("report does not name the missing method:\n%s", report)
	}
	if _, err := os.Stat(filepath.Join(dir, "fake", "fake.item.get.yaml")); err != nil {
		t.Errorf("the file of the removed method is gone: %v", err)
	}
}

// TestResultAgainstExample: a result type that cannot decode the example's result is typed from the
// answer, also when a person chose it (with a note); its summary stays, and the next import is silent.
func TestResultAgainstExample(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fake", "fake.item.delete.yaml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	const curated = "spec: 1\nmethod: fake.item.delete\nscope: fake\nkind: write\nparams:\n  - name: id\n    type: id\n    required: true\nresult:\n  type: boolean\n  summary:\n    en: Whether it was deleted.\n    ru: Удалён ли.\n"
	if err := os.WriteFile(p, []byte(curated), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := copySchema(t, "testdata/schema", []string{"fake.item.delete"}, nil)
	s, _ := run(t, schema, dir)
	want := []Note{{Method: "fake.item.delete", Item: "result", Text: "type boolean cannot decode the example's result: now object, from the answer"}}
	if d := cmp.Diff(want, s.Notes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "result:\n  type: object\n  summary:\n    en: Whether it was deleted.\n    ru: Удалён ли.\n  fields:\n    - name: item\n      type: boolean\n") {
		t.Errorf("the result is not typed from the answer with its summary kept:\n%s", b)
	}
	if s, _ = run(t, schema, dir); len(s.Notes)+len(s.Updated) != 0 {
		t.Errorf("second run: notes %v, updated %v; want none", s.Notes, s.Updated)
	}
}

// copySchema writes a schema with the given methods of src (in that order) to a temp dir;
// edit, when not nil, may change a method file's text first (text, so that key order stays).
func copySchema(t *testing.T, src string, methods []string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "methods"), 0o755); err != nil {
		t.Fatal(err)
	}
	var idx []map[string]string
	for _, name := range methods {
		b, err := os.ReadFile(filepath.Join(src, "methods", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(name, b)
		}
		if err := os.WriteFile(filepath.Join(dir, "methods", name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		idx = append(idx, map[string]string{"method": name})
	}
	b, _ := json.Marshal(map[string]any{"methods": idx})
	if err := os.WriteFile(filepath.Join(dir, "index.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCuratedSurvives imports the real schema over the hand-curated im files: every curated
// field stays as it was, and a parameter the (modified) schema adds is brought in.
func TestCuratedSurvives(t *testing.T) {
	const realSchema = "../../../upstream/b24-schema"
	if _, err := os.Stat(filepath.Join(realSchema, "index.json")); err != nil {
		t.Fatalf("the official schema is vendored in upstream/: %v", err)
	}
	curated := []string{
		"im.chat.add", "im.message.add", "im.chat.mute", "im.dialog.unread", "im.disk.folder.get",
		"im.user.status.get", "im.dialog.read.all", "im.dialog.get", "im.notify.system.add",
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "im"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"_types", "_helpers"}, curated...) {
		b, err := os.ReadFile(filepath.Join("../../../spec/im", f+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "im", f+".yaml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before, err := spec.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	schema := copySchema(t, realSchema, curated, func(name string, b []byte) []byte {
		if name != "im.chat.add" {
			return b
		}
		const p = `"params": [`
		if !bytes.Contains(b, []byte(p)) {
			t.Fatal("im.chat.add.json has no params list")
		}
		return bytes.Replace(b, []byte(p), []byte(p+`{"name": "NEW_FLAG", "type": "boolean", "base": "boolean", "required": true},`), 1)
	})
	s, _ := run(t, schema, dir)
	if len(s.Added) != 0 {
		t.Errorf("added %v, want none", s.Added)
	}
	after, err := spec.Load(dir)
	if err != nil {
		t.Fatalf("the merged tree does not load:\n%v", err)
	}
	// What the schema change must bring in, and nothing else: patch it into "before".
	for _, m := range before.Namespaces[0].Methods {
		if m.Name == "im.chat.add" {
			m.Params = append(m.Params, &spec.Param{Name: "NEW_FLAG", Type: "boolean", Required: true, CLI: "new-flag", Bool: "json"})
		}
	}
	opts := cmp.Options{
		cmpopts.IgnoreTypes(spec.Pos{}),
		cmpopts.IgnoreFields(spec.Method{}, "Result"), // compared below: the schema may add documented keys
		cmpopts.EquateEmpty(),
	}
	if d := cmp.Diff(before, after, opts); d != "" {
		t.Errorf("curated content changed (-before +after):\n%s", d)
	}
	for i, m := range before.Namespaces[0].Methods {
		a := after.Namespaces[0].Methods[i]
		if m.Result == nil {
			continue
		}
		if a.Result == nil || a.Result.Type != m.Result.Type || a.Result.Summary != m.Result.Summary || a.Result.Fix != m.Result.Fix {
			t.Errorf("%s: result %+v became %+v", m.Name, m.Result, a.Result)
		}
	}
	// a second import over the merged files changes nothing
	s, _ = run(t, schema, dir)
	if len(s.Updated) != 0 {
		t.Errorf("second run updated %v", s.Updated)
	}
}

func TestPositional(t *testing.T) {
	for name, want := range map[string]bool{
		"task.commentitem.add": true, "task.checklistitem.complete": true, "task.elapseditem.getlist": true,
		"task.item.update": true, "task.item.addfile": false, "task.item.userfield.add": false,
		"tasks.task.add": false, "task.stages.add": false,
	} {
		if got := positional(name); got != want {
			t.Errorf("positional(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestRealSchemaLoads imports the whole official schema into an empty tree: every method gets a
// file and the strict loader accepts all of them.
func TestRealSchemaLoads(t *testing.T) {
	const realSchema = "../../../upstream/b24-schema"
	if _, err := os.Stat(filepath.Join(realSchema, "index.json")); err != nil {
		t.Fatalf("the official schema is vendored in upstream/: %v", err)
	}
	dir := t.TempDir()
	s, _ := run(t, realSchema, dir)
	if len(s.Added) != 1562 {
		t.Errorf("added %d files, want 1562", len(s.Added))
	}
	sp, err := spec.Load(dir)
	if err != nil {
		t.Fatalf("the imported tree does not load:\n%v", err)
	}
	n := 0
	for _, ns := range sp.Namespaces {
		n += len(ns.Methods)
	}
	if n != 1562 {
		t.Errorf("loaded %d methods, want 1562", n)
	}
}

// TestBadInput: broken files stop the run with an error naming the file, and nothing is written.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fake"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "fake", "fake.item.list.yaml") // after fake.item.add in the index
	for _, body := range []string{"- just\n- a list\n", "spec: [1\n"} {
		if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Run(Options{SchemaDir: "testdata/schema", SpecDir: dir})
		if err == nil || !strings.Contains(err.Error(), "fake.item.list.yaml") {
			t.Errorf("%q: error %v, want one naming the file", body, err)
		}
		if b, _ := os.ReadFile(bad); string(b) != body {
			t.Errorf("%q: the broken file was rewritten", body)
		}
		if _, err := os.Stat(filepath.Join(dir, "fake", "fake.item.add.yaml")); err == nil {
			t.Errorf("%q: other files were written before the error", body)
		}
	}
	if _, err := Run(Options{SchemaDir: t.TempDir(), SpecDir: dir}); err == nil {
		t.Error("a schema folder without index.json gave no error")
	}
}

// TestDrop: a schema param named in drop is not brought back, and drop itself stays.
func TestDrop(t *testing.T) {
	dir := t.TempDir()
	run(t, "testdata/schema", dir)
	p := filepath.Join(dir, "fake", "fake.item.list.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	const start = "  - name: start\n    type: integer\n"
	if !strings.Contains(s, start) {
		t.Fatalf("no start param in\n%s", s)
	}
	s = strings.Replace(s, start, "", 1)
	s = strings.Replace(s, "params:\n", "drop:\n  - name: start\n    fix: Paging goes through the iterator.\nparams:\n", 1)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := run(t, "testdata/schema", dir)
	got, _ := os.ReadFile(p)
	if d := cmp.Diff(s, string(got)); d != "" || len(sum.Updated) != 0 {
		t.Errorf("updated %v; file changed (-want +got):\n%s", sum.Updated, d)
	}
}

// TestListShape: a list method's shape is read from its example, also from one shown without its
// envelope; IDs must be numbers to be walked; an error example or a method without start gives none.
func TestListShape(t *testing.T) {
	params := []*iParam{{Name: "filter"}, {Name: "order"}, {Name: "start"}}
	for name, tc := range map[string]struct {
		example string
		params  []*iParam
		want    *iList
	}{
		"envelope":   {`{"result": [{"ID": "5"}], "total": 1}`, params, &iList{ID: "ID"}},
		"rows key":   {`{"result": {"items": [{"id": 5}]}}`, params, &iList{Rows: "items", ID: "id"}},
		"bare":       {`{"sections": [{"id": 13}], "total": 2, "time": {}}`, params, &iList{Rows: "sections", ID: "id"}},
		"string IDs": {`{"result": [{"ID": "N"}]}`, params, &iList{}},
		"no filter":  {`{"result": [{"ID": 1}]}`, params[2:], &iList{}},
		"no start":   {`{"result": [{"ID": 1}]}`, params[:2], nil},
		"error":      {`{"error": "X", "error_description": "y"}`, params, nil},
		"two keys":   {`{"result": {"a": [], "b": []}}`, params, nil},
		"no example": {``, params, nil},
	} {
		t.Run(name, func(t *testing.T) {
			sm := &schemaMethod{Method: "x.list"}
			if tc.example != "" {
				sm.ResultExample = json.RawMessage(tc.example)
			}
			m := &iMethod{Params: tc.params}
			var env map[string]json.RawMessage
			example := sm.ResultExample
			if json.Unmarshal(example, &env) != nil || env["result"] == nil {
				example = wrapBare(example)
			}
			if json.Unmarshal(example, &env) == nil {
				m.Answer = env["result"]
			}
			if d := cmp.Diff(tc.want, listShape(m, m.Answer)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestWrapBare: a result shown bare gets its envelope, the envelope's keys beside it; an error or an
// envelope under another key is no answer.
func TestWrapBare(t *testing.T) {
	for in, want := range map[string]string{
		`{"sections": [{"id": 13}], "total": 2, "time": {"start": 1}}`: `{"result":{"sections":[{"id": 13}]},"total":2,"time":{"start": 1}}`,
		`[{"id": 1}]`:                              `{"result":[{"id":1}]}`,
		`{"b": 1, "a": 2}`:                         `{"result":{"b":1,"a":2}}`,
		`{"error": 0, "error_description": "x"}`:   ``,
		`{"answer": {"result": true}, "time": {}}`: ``,
		`{"time": {}}`:                             ``,
		`"text"`:                                   ``,
	} {
		if got := string(wrapBare(json.RawMessage(in))); got != want {
			t.Errorf("wrapBare(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRecordID(t *testing.T) {
	for docType, want := range map[string]bool{
		"user.id": true, "catalog_product.id": true, "sale_paysystem.ID": true, "crm_item_product_row.id": true,
		"sale_status.id": false, "crm_status.id": false, "crm_currency.CURRENCY": false, "file": false, "user.name": false,
	} {
		if got := recordID(docType); got != want {
			t.Errorf("recordID(%q) = %v, want %v", docType, got, want)
		}
	}
}

// TestShapeRules imports the fake schema with request examples: each rule changes what its examples
// show and is counted once.
func TestShapeRules(t *testing.T) {
	examples := filepath.Join(t.TempDir(), "requests.jsonl")
	lines := []string{
		// a positional method named otherwise, with a value its table lacks first
		`{"method": "task.commentitem.add", "params": {"ID": 3, "taskId": 7, "fields": {"POST_MESSAGE": "x"}}}`,
		// a list filter with operator keys, and a key the table lacks
		`{"method": "fake.item.list", "params": {"filter": {">=ID": 5}, "order": {"ID": "desc"}, "lang": "en"}}`,
	}
	if err := os.WriteFile(examples, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := Run(Options{SchemaDir: "testdata/schema", SpecDir: dir, Examples: examples})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spec.Load(dir)
	if err != nil {
		t.Fatalf("the imported tree does not load:\n%v", err)
	}
	params := map[string]string{}
	for _, ns := range sp.Namespaces {
		for _, m := range ns.Methods {
			var names []string
			for _, p := range m.Params {
				names = append(names, p.Name+" "+p.Type)
			}
			params[m.Name] = strings.Join(names, ", ")
		}
	}
	for method, want := range map[string]string{
		"task.commentitem.add": "ID id, TASKID integer, FIELDS object",
		"fake.item.list":       "select []string, filter map[string]any, order map[string]string, start integer, lang string",
	} {
		if params[method] != want {
			t.Errorf("%s params = %q, want %q", method, params[method], want)
		}
	}
	counts := map[string]int{}
	for _, a := range s.Applied {
		counts[a.Rule]++
	}
	for rule, want := range map[string]int{ruleOrdered: 1, ruleAdded: 1, ruleRole: 1} {
		if counts[rule] != want {
			t.Errorf("rule %q applied %d times, want %d: %v", rule, counts[rule], want, s.Applied)
		}
	}
}

// TestListShapeV3: a REST 3.0 list is walked by ID when it takes filter, order and pagination and
// its example's rows under items have a numeric id, else by offsets; a list with a cursor of its
// own (a pagination afterCursor, with the answer's …Cursor) pages by it; more than items in an answer
// without a cursor is none of these.
func TestListShapeV3(t *testing.T) {
	params := []*iParam{{Name: "filter"}, {Name: "order"}, {Name: "pagination"}}
	cursor := []*iParam{{Name: "filter"}, {Name: "order"}, {Name: "pagination", Fields: []*iParam{{Name: "limit"}, {Name: "afterCursor"}}}}
	for name, tc := range map[string]struct {
		answer string
		params []*iParam
		want   *iList
	}{
		"items":         {`{"items": [{"id": 177}]}`, params, &iList{Rows: "items", ID: "id", Limit: 100}},
		"string IDs":    {`{"items": [{"id": "a"}]}`, params, &iList{Rows: "items", Limit: 100}},
		"no pagination": {`{"items": [{"id": 1}]}`, params[:2], nil},
		"no order":      {`{"items": [{"id": 1}]}`, []*iParam{params[0], params[2]}, &iList{Rows: "items", Limit: 100}},
		"after cursor":  {`{"items": [{"id": 1}]}`, cursor, nil},
		"next cursor":   {`{"items": [{"id": 1}], "nextCursor": {"id": 1}}`, cursor, &iList{Rows: "items", ID: "id", Limit: 100, Cursor: "nextCursor"}},
		"cursor more":   {`{"items": [{"id": 1}], "hasMore": true, "afterCursor": {"id": 1}}`, cursor, &iList{Rows: "items", ID: "id", Limit: 100, Cursor: "afterCursor"}},
		"cursor no ID":  {`{"items": [{"x": 1}], "nextCursor": {"x": 1}}`, cursor, &iList{Rows: "items", Limit: 100, Cursor: "nextCursor"}},
		"two cursors":   {`{"items": [{"id": 1}], "nextCursor": {}, "prevCursor": {}}`, cursor, nil},
		"has more":      {`{"items": [{"id": 1}], "hasMore": true}`, params, nil},
		"no rows":       {`{"items": []}`, params, nil},
		"no example":    {``, params, nil},
	} {
		t.Run(name, func(t *testing.T) {
			m := &iMethod{Name: "mail.mailbox.list", API: spec.API3, Params: tc.params, Answer: json.RawMessage(tc.answer)}
			if d := cmp.Diff(tc.want, listShape(m, m.Answer)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
