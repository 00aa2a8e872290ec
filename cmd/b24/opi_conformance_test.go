package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

// opiCatalogPath is OpenIntegrations' Bitrix24 catalog, relative to this package's directory.
const opiCatalogPath = "../../upstream/opi/opi-bitrix24-catalog.json"

// conformanceCount is how many functions OPI's catalog has: one that grows or shrinks must be looked at.
const conformanceCount = 179

// documentedWire are the fields b24 sends under the name the official docs give where OPI's catalog
// names another: tasks.task.mute and unmute take id, not taskId.
var documentedWire = map[string]map[string]string{
	"MuteTask":            {"taskId": "id"},
	"UnmuteTask":          {"taskId": "id"},
	"GetTaskCommentsList": {"taskId": "TASKID"},
}

type opiCatalogFunc struct {
	Region        string           `json:"region"`
	RU            string           `json:"ru_name"`
	RULatest      string           `json:"ru_name_latest"` // OPI's newer spelling; both must work
	EN            string           `json:"en_name"`
	Kind          string           `json:"kind"`
	HTTP          string           `json:"http"` // how OPI sends it: "two-step: …" for an upload by uploadUrl
	BitrixMethods []string         `json:"bitrix_methods"`
	Params        []opiCatalogParm `json:"params"`
	Returns       string           `json:"returns"`
	Notes         string           `json:"notes"`
}

type opiCatalogParm struct {
	EN    string `json:"en"` // OPI's name: ParentID, HeadID, ... name IDs whatever their field
	CLI   string `json:"cli"`
	Types string `json:"types"`
	Field string `json:"field"`
}

func loadOPICatalog(t *testing.T) []opiCatalogFunc {
	t.Helper()
	data, err := os.ReadFile(opiCatalogPath)
	if err != nil {
		abs, _ := filepath.Abs(opiCatalogPath)
		t.Fatalf("OPI catalog not readable: it is expected at %s (%s relative to cmd/b24): %v", abs, opiCatalogPath, err)
	}
	var all []opiCatalogFunc
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatalf("%s: %v", opiCatalogPath, err)
	}
	if len(all) != conformanceCount {
		t.Fatalf("%d functions in %s, want %d", len(all), opiCatalogPath, conformanceCount)
	}
	return all
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// globalFlags are the options every b24 command has besides its own.
var globalFlags = []string{"url", "token", "timeout", "sandbox", "verbose", "help", "jq", "output", "profile"}

var leadingToken = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*`)

// fieldName is the request field a catalog `field` text names: its leading token.
func fieldName(field string) string { return leadingToken.FindString(strings.TrimSpace(field)) }

// isAuthParam reports the options b24 takes as global flags in API functions.
func isAuthParam(p opiCatalogParm) bool { return p.CLI == "--url" || p.CLI == "--token" }

// isSpread: a structure whose keys go to the top level of the request (CreateChat's --fields).
func isSpread(p opiCatalogParm) bool {
	return p.Types == "Structure Of KeyAndValue" && strings.HasPrefix(p.Field, "each key/value copied to top level")
}

// isCollection: a structure sent whole under one field ("fields (Collection)").
func isCollection(p opiCatalogParm) bool {
	return p.Types == "Structure Of KeyAndValue" && strings.HasSuffix(p.Field, "(Collection)")
}

// spreadKeys are the keys a spread structure's `field` text lists in parentheses ("(TYPE, TITLE)",
// "(e.g. EMAIL, ...)"); a text without a list takes the keys the method requires (UpdateCalendar
// sends a calendar as CreateCalendar does), or two made-up ones.
func spreadKeys(f opiCatalogFunc, p opiCatalogParm) []string {
	i, j := strings.Index(p.Field, "("), strings.LastIndex(p.Field, ")")
	if i < 0 || j < i {
		if f.EN == "UpdateCalendar" {
			return []string{"type", "ownerId", "name"}
		}
		return []string{"NAME", "LAST_NAME"}
	}
	var out []string
	for _, k := range strings.Split(strings.TrimPrefix(p.Field[i+1:j], "e.g. "), ",") {
		if k = strings.TrimSpace(k); k != "..." {
			out = append(out, k)
		}
	}
	return out
}

// spreadValue is a realistic value of one key of a chat structure, as GetChatStructure shows them.
func spreadValue(key string) any {
	switch key {
	case "TYPE":
		return "CHAT"
	case "COLOR":
		return "GREEN"
	case "USERS":
		return []any{json.Number("1"), json.Number("10")}
	case "AVATAR":
		return base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nconformance"))
	case "OWNER_ID":
		return json.Number("1")
	}
	return "conformance " + strings.ToLower(key)
}

// singleQuoted writes v as JSON with single quotes, as OPI's docs write structures.
func singleQuoted(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(b, '\'') {
		t.Fatalf("value holds a single quote: %s", b)
	}
	return strings.ReplaceAll(string(b), `"`, `'`)
}

// attachBlocks is an ATTACH array as GetPictureBlock and GetFileBlock build its blocks.
func attachBlocks() []any {
	return []any{
		map[string]any{"IMAGE": map[string]any{"NAME": "chart.png", "LINK": "https://example.com/chart.png"}},
		map[string]any{"FILE": map[string]any{"NAME": "report.pdf", "LINK": "https://example.com/report.pdf"}},
	}
}

// uploadField prefixes what an option must put into the upload of a two-step function (b24test
// records the posted file's name and size).
const uploadField = "upload:"

// expectation is what one option must put into the request.
type expectation struct {
	field string
	check func(got any) error
}

// argument builds the text of one option and what the request must hold for it; n makes IDs distinct.
func argument(t *testing.T, f opiCatalogFunc, p opiCatalogParm, n int) (string, []expectation) {
	t.Helper()
	name := fieldName(p.Field)
	id := strconv.Itoa(15600 + n)
	if strings.HasPrefix(f.HTTP, "two-step") {
		// OPI asks the method for an upload URL and posts the file there as multipart: the file's
		// name and size are checked on that second request (upload:…), the rest on the first.
		switch {
		case strings.HasPrefix(p.Field, "multipart file name"):
			return "Отчёт.txt", []expectation{{uploadField + "name", equalJSON("Отчёт.txt")}}
		case strings.HasPrefix(p.Field, "multipart file content"):
			data := []byte("conformance upload")
			path := filepath.Join(t.TempDir(), "report.txt")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			return path, []expectation{{uploadField + "size", equalJSON(len(data))}}
		}
	}
	switch {
	case isSpread(p):
		obj := map[string]any{}
		var exps []expectation
		for _, k := range spreadKeys(f, p) {
			v := spreadValue(k)
			obj[k] = v
			exps = append(exps, expectation{k, equalJSON(v)})
		}
		return singleQuoted(t, obj), exps
	case strings.HasPrefix(p.Field, "only keys section"): // GetCalendarEvents --filter: three keys of the top level
		obj := map[string]any{"section": json.Number(id), "from": "2025-03-01", "to": "2025-03-31", "ignored": "x"}
		return singleQuoted(t, obj), []expectation{
			{"section", numericArray(id)}, {"from", equalJSON("2025-03-01")}, {"to", equalJSON("2025-03-31")},
		}
	case isCollection(p):
		obj := map[string]any{"TITLE": "Conformance " + f.EN, "ASSIGNED_BY_ID": json.Number(id)}
		return singleQuoted(t, obj), []expectation{{name, equalJSON(obj)}}
	case p.Types == "Boolean" && strings.Contains(p.Field, "no Y/N conversion"): // UpdateKanbansStage --admin
		return "true", []expectation{{name, equalJSON(true)}}
	case p.Types == "Boolean":
		if !strings.Contains(p.Field, "MakeBoolean") {
			t.Fatalf("%s %s: a Boolean whose field %q is not MakeBoolean: extend the test", f.EN, p.CLI, p.Field)
		}
		if strings.Contains(p.Field, "= not "+p.EN) { // ChangeUserStatus: ACTIVE = not Fire
			return "true", []expectation{{name, equalJSON("N")}}
		}
		return "true", []expectation{{name, equalJSON("Y")}}
	case p.Types == "Array Of String, Number":
		a, b := strconv.Itoa(20+n), strconv.Itoa(30+n)
		return "['" + a + "','" + b + "']", []expectation{{name, numericArray(a, b)}}
	case p.Types == "Array Of Structure":
		blocks := attachBlocks()
		return singleQuoted(t, blocks), []expectation{{name, equalJSON(blocks)}}
	case p.Types == "Map Of KeyAndValue" && strings.Contains(p.Field, "[name, base64 content]"): // CreatePost --files: name → path
		data := []byte("conformance attachment " + f.EN)
		path := filepath.Join(t.TempDir(), "scan.pdf")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return singleQuoted(t, map[string]any{"contract.pdf": path}),
			[]expectation{{name, equalJSON([]any{[]any{"contract.pdf", base64.StdEncoding.EncodeToString(data)}})}}
	case p.Types == "String, BinaryData" && strings.Contains(p.Field, "[name, base64]"): // UploadFileToStorage
		data := []byte("conformance file " + f.EN)
		path := filepath.Join(t.TempDir(), "report.txt")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path, []expectation{{name, equalJSON([]any{"report.txt", base64.StdEncoding.EncodeToString(data)})}}
	case p.Types == "String, BinaryData":
		data := []byte("\x89PNG\r\n\x1a\nconformance picture " + f.EN)
		path := filepath.Join(t.TempDir(), "picture.png")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path, []expectation{{name, equalJSON(base64.StdEncoding.EncodeToString(data))}}
	case p.Types == "String, Number" && name == "DIALOG_ID":
		return "chat" + id, []expectation{{name, equalJSON("chat" + id)}}
	case p.Types == "String, Number" && name == "STATUS":
		return "dnd", []expectation{{name, equalJSON("dnd")}}
	case p.Types == "String, Number" || p.Types == "Number, String" || p.Types == "Number" ||
		p.Types == "String" && strings.HasSuffix(p.EN, "ID"): // IDs, counts, seconds; CreateStorageFolder's StorageID is a String
		return id, []expectation{{name, numeric(id)}}
	case p.Types == "Date":
		return "2025-03-0" + strconv.Itoa(1+n%9), []expectation{{name, equalJSON("2025-03-0" + strconv.Itoa(1+n%9))}}
	case p.Types == "Number, Array Of Number":
		a, b := strconv.Itoa(20+n), strconv.Itoa(30+n)
		return "[" + a + "," + b + "]", []expectation{{name, numericArray(a, b)}}
	case p.Types == "String, Array Of String" || p.Types == "Array Of String":
		return "['ID','TITLE']", []expectation{{name, equalJSON([]any{"ID", "TITLE"})}}
	case p.Types == "String":
		v := "Conformance " + strings.TrimPrefix(p.CLI, "--")
		if name == "COLOR" {
			v = "AZURE"
		}
		if strings.Contains(p.Field, "(Array)") || strings.Contains(p.Field, "(added as Array)") { // one value sent as a list
			return v, []expectation{{name, equalJSON([]any{v})}}
		}
		return v, []expectation{{name, equalJSON(v)}}
	}
	t.Fatalf("%s %s: no sample for OPI type %q (field %q): extend the test", f.EN, p.CLI, p.Types, p.Field)
	return "", nil
}

// normalize makes decoded JSON comparable: numbers as json.Number text.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshalable %T", v)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	dec.Decode(&out)
	return out
}

func equalJSON(want any) func(any) error {
	return func(got any) error {
		if !reflect.DeepEqual(normalize(want), normalize(got)) {
			w, _ := json.Marshal(want)
			g, _ := json.Marshal(got)
			return fmt.Errorf("got %s, want %s", g, w)
		}
		return nil
	}
}

// isNumeric says whether v is the number s, sent as a JSON number or a numeric string.
func isNumeric(v any, s string) bool {
	switch x := v.(type) {
	case json.Number:
		return x.String() == s
	case string:
		return x == s
	}
	return false
}

func numeric(s string) func(any) error {
	return func(got any) error {
		if !isNumeric(got, s) {
			g, _ := json.Marshal(got)
			return fmt.Errorf("got %s (%T), want %s as a number or a numeric string", g, got, s)
		}
		return nil
	}
}

func numericArray(want ...string) func(any) error {
	return func(got any) error {
		g, _ := json.Marshal(got)
		a, ok := got.([]any)
		if !ok || len(a) != len(want) {
			return fmt.Errorf("got %s (%T), want an array of %v", g, got, want)
		}
		for i := range a {
			if !isNumeric(a[i], want[i]) {
				return fmt.Errorf("got %s, want an array of %v (numbers or numeric strings)", g, want)
			}
		}
		return nil
	}
}

var fixedInNotes = regexp.MustCompile(`\b([A-Z][A-Z0-9_]*)=([A-Za-z0-9]+)\b`)

// helpOptions reads the option names of a help text: those of the command's own section and those of
// the global section.
func helpOptions(help string) (own, global []string) {
	section := ""
	for _, line := range strings.Split(help, "\n") {
		switch strings.TrimSpace(line) {
		case "Flags:":
			section = "own"
			continue
		case "Global Flags:":
			section = "global"
			continue
		}
		if !strings.HasPrefix(line, " ") {
			section = ""
			continue
		}
		var flag string
		for _, w := range strings.Fields(strings.ReplaceAll(line, ",", " ")) {
			if strings.HasPrefix(w, "--") {
				flag = strings.TrimPrefix(w, "--")
				break
			}
		}
		switch {
		case flag == "":
		case section == "own":
			own = append(own, flag)
		case section == "global":
			global = append(global, flag)
		}
	}
	sort.Strings(own)
	sort.Strings(global)
	return own, global
}

func setOf(xs ...string) []string {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return keys(m)
}

// conformanceCatalog is the catalog under test.
var conformanceCatalog = catalog

// runConformance runs b24 in-process with the environment env.
func runConformance(env map[string]string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := command.Run(context.Background(), args, command.Env{Stdout: &out, Stderr: &errOut, Getenv: getenv, Catalog: conformanceCatalog()})
	return code, out.String(), errOut.String()
}

// TestOPIConformance runs every function of OPI's catalog that b24 has, by its RU and its EN name, with
// OPI's options, and checks the request (or the helper's output) against the catalog.
func TestOPIConformance(t *testing.T) {
	for _, f := range loadOPICatalog(t) {
		t.Run(f.EN, func(t *testing.T) {
			names := []string{f.RU, f.EN}
			if f.RULatest != "" {
				names = append(names, f.RULatest)
			}
			for _, name := range names {
				checkHelp(t, f, name)
				switch {
				case f.EN == "GetAppAuthLink":
					checkAuthLink(t, name)
				case f.EN == "GetToken" || f.EN == "RefreshToken":
					checkOAuth(t, f, name)
				case f.EN == "GetFolderFilterStructure":
					checkFolderFilter(t, name)
				case f.Kind == "api":
					checkAPI(t, f, name)
				case f.Kind == "helper":
					checkHelper(t, f, name)
				default:
					t.Errorf("%s: unknown kind %q", f.EN, f.Kind)
				}
			}
		})
	}
}

func checkHelp(t *testing.T, f opiCatalogFunc, name string) {
	code, stdout, stderr := runConformance(nil, "bitrix24", name, "--help")
	if code != 0 {
		t.Errorf("bitrix24 %s --help: exit %d: %s", name, code, stderr)
		return
	}
	var opi []string
	for _, p := range f.Params {
		if f.Kind == "api" && isAuthParam(p) {
			continue
		}
		opi = append(opi, strings.TrimPrefix(p.CLI, "--"))
	}
	own, global := helpOptions(stdout)
	if want := setOf(append(opi, "help")...); !reflect.DeepEqual(own, want) {
		t.Errorf("bitrix24 %s --help: own options %v, want OPI's %v", name, own, want)
	}
	if got, want := setOf(append(own, global...)...), setOf(append(opi, globalFlags...)...); !reflect.DeepEqual(got, want) || len(own)+len(global) != len(got) {
		t.Errorf("bitrix24 %s --help: options %v + global %v, want each of %v once", name, own, global, want)
	}
}

func checkAPI(t *testing.T, f opiCatalogFunc, name string) {
	if len(f.BitrixMethods) == 0 {
		t.Fatalf("%s: api function without bitrix_methods", f.EN)
	}
	srv := b24test.New()
	defer srv.Close()
	args := []string{"bitrix24", name, "--url", srv.WebhookURL()}
	want := map[string]func(any) error{}
	for i, p := range f.Params {
		if isAuthParam(p) {
			continue
		}
		text, exps := argument(t, f, p, i)
		args = append(args, p.CLI, text)
		for _, e := range exps {
			if e.field == "" {
				t.Fatalf("%s %s: no field name in %q", f.EN, p.CLI, p.Field)
			}
			if w, ok := documentedWire[f.EN][e.field]; ok {
				e.field = w
			}
			want[e.field] = e.check
		}
	}
	for _, m := range fixedInNotes.FindAllStringSubmatch(f.Notes, -1) {
		want[m[1]] = equalJSON(m[2])
	}
	code, stdout, stderr := runConformance(nil, args...)
	if code != 0 {
		t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}
	calls := srv.Calls()
	uploaded := map[string]func(any) error{}
	for field, check := range want {
		if k, ok := strings.CutPrefix(field, uploadField); ok {
			uploaded[k] = check
			delete(want, field)
		}
	}
	if n := 1 + min(len(uploaded), 1); len(calls) != n {
		t.Fatalf("%s: %d calls, want %d", name, len(calls), n)
	}
	if len(uploaded) > 0 {
		if up := calls[1]; up.Method != "upload" || up.ContentType == "" || !strings.HasPrefix(up.ContentType, "multipart/form-data") {
			t.Errorf("%s: second request %s (%s), want the file posted as multipart to the upload URL", name, up.Method, up.ContentType)
		}
		for k, check := range uploaded {
			if err := check(calls[1].Params[k]); err != nil {
				t.Errorf("%s: the uploaded file's %s: %v", name, k, err)
			}
		}
	}
	c := calls[0]
	if !strings.EqualFold(c.Method, f.BitrixMethods[0]) {
		t.Errorf("%s: called %q, want %q", name, c.Method, f.BitrixMethods[0])
	}
	heads := map[string]bool{} // FIELDS of FIELDS.TITLE
	for field := range want {
		head, _, _ := strings.Cut(field, ".")
		heads[head] = true
	}
	if got, exp := keys(c.Params), keys(heads); !reflect.DeepEqual(got, exp) {
		body, _ := json.Marshal(c.Params)
		t.Errorf("%s: request fields %v, want %v\nrequest: %s", name, got, exp, body)
	}
	for field, check := range want {
		v, ok := lookup(c.Params, field)
		if !ok {
			t.Errorf("%s: %s not sent", name, field)
			continue
		}
		if err := check(v); err != nil {
			t.Errorf("%s: %s: %v", name, field, err)
		}
	}
}

var structureKeys = regexp.MustCompile(`\{([A-Z_]+):\s*\{([^}]*)\}\}`)

// lookup finds a field of the request, FIELDS.TITLE inside FIELDS.
func lookup(params map[string]any, field string) (any, bool) {
	head, key, nested := strings.Cut(field, ".")
	v, ok := params[head]
	if !nested || !ok {
		return v, ok
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		return nil, false
	}
	v, ok = obj[key]
	return v, ok
}

// topLevel splits "a, b{c, d}, e" at the commas outside braces and brackets: a, b{c, d}, e.
func topLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func checkHelper(t *testing.T, f opiCatalogFunc, name string) {
	// GetChatStructure: "Structure: TYPE (OPEN|CHAT), TITLE, ..."; the others: "Structure {IMAGE: {NAME, LINK}} ...".
	// "Structure: A, B" or "Structure (or Map) of task filter fields: A, B"
	if before, rest, ok := strings.Cut(f.Returns, ": "); ok && strings.HasPrefix(before, "Structure") && !strings.Contains(before, "{") {
		var want []string
		for _, part := range topLevel(rest) {
			want = append(want, fieldName(part))
		}
		var clear string
		var others []string // boolean options that do not change the keys (GetTasksFilterStructure --map)
		for _, p := range f.Params {
			switch {
			case p.Types != "Boolean":
				t.Fatalf("%s: helper option %s of type %q: extend the test", f.EN, p.CLI, p.Types)
			case p.EN == "Clear":
				clear = p.CLI
			default:
				others = append(others, p.CLI, "true")
			}
		}
		for _, empty := range []bool{true, false} {
			args := append([]string{"bitrix24", name, clear, strconv.FormatBool(empty)}, others...)
			out := runHelper(t, args)
			if out == nil {
				continue
			}
			if got := keys(out); !reflect.DeepEqual(got, setOf(want...)) {
				t.Errorf("%v: keys %v, want %v", args, got, setOf(want...))
			}
			for k, v := range out {
				if isEmpty(v) != empty {
					t.Errorf("%v: %s = %#v, want it empty: %v", args, k, v, empty)
				}
			}
		}
		return
	}
	m := structureKeys.FindStringSubmatch(f.Returns)
	if m == nil {
		t.Fatalf("%s: returns %q: extend the test", f.EN, f.Returns)
	}
	top := m[1]
	var inner []string
	for _, k := range strings.Split(m[2], ",") {
		inner = append(inner, strings.TrimSpace(k))
	}
	args := []string{"bitrix24", name}
	want := map[string]string{}
	for _, p := range f.Params {
		path := strings.SplitN(fieldName(p.Field), ".", 2)
		if len(path) != 2 || path[0] != top || p.Types != "String" {
			t.Fatalf("%s %s: field %q, type %q: extend the test", f.EN, p.CLI, p.Field, p.Types)
		}
		v := "conformance-" + strings.TrimPrefix(p.CLI, "--")
		if p.CLI == "--url" {
			v = "https://example.com/files/conformance.png"
		}
		args = append(args, p.CLI, v)
		want[path[1]] = v
	}
	out := runHelper(t, args)
	if out == nil {
		return
	}
	if got := keys(out); !reflect.DeepEqual(got, []string{top}) {
		t.Errorf("%v: keys %v, want [%s]", args, got, top)
	}
	block, ok := out[top].(map[string]any)
	if !ok {
		t.Fatalf("%v: %s is %#v, want an object", args, top, out[top])
	}
	if got := keys(block); !reflect.DeepEqual(got, setOf(inner...)) {
		t.Errorf("%v: %s keys %v, want %v", args, top, got, setOf(inner...))
	}
	for k, v := range want {
		if block[k] != v {
			t.Errorf("%v: %s.%s = %#v, want %q", args, top, k, block[k], v)
		}
	}
}

// runHelper runs a helper against a portal that must receive nothing and decodes its output object.
func runHelper(t *testing.T, args []string) map[string]any {
	t.Helper()
	srv := b24test.New()
	defer srv.Close()
	// A helper must not call even when a portal is configured; GetPictureBlock's own --url hides the
	// global one, so the portal comes from B24_URL.
	code, stdout, stderr := runConformance(map[string]string{"B24_URL": srv.WebhookURL()}, args...)
	if code != 0 {
		t.Errorf("%v: exit %d: %s", args, code, stderr)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%v: %d calls, want none", args, n)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Errorf("%v: stdout is not a JSON object (%v):\n%s", args, err, stdout)
		return nil
	}
	return out
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isEmpty(e) {
				return false
			}
		}
		return true
	}
	return false
}
