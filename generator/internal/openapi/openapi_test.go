package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"gopkg.in/yaml.v3"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/b24gen/b24gen/generated/disk"
	"github.com/b24gen/b24gen/generated/im"
	"github.com/b24gen/b24gen/generated/task"
	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
)

// rendered is the document of the real spec, rendered once for all tests (they only read it).
type rendered struct {
	model *model.Model
	files map[string][]byte
	doc   document
}

// document is what the tests read of the JSON file.
type document struct {
	OpenAPI string                          `json:"openapi"`
	Paths   map[string]map[string]operation `json:"paths"`
	Tags    []struct {
		Name string `json:"name"`
	} `json:"tags"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	OperationID  string   `json:"operationId"`
	Tags         []string `json:"tags"`
	Deprecated   bool     `json:"deprecated"`
	Kind         string   `json:"x-b24-kind"`
	Scope        string   `json:"x-b24-scope"`
	ExternalDocs *struct {
		URL string `json:"url"`
	} `json:"externalDocs"`
	RequestBody struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var real = sync.OnceValues(func() (*rendered, error) {
	s, err := spec.LoadSources(spec.Source{FS: os.DirFS("../../../spec"), Name: "spec"})
	if err != nil {
		return nil, err
	}
	m, err := model.Build(s, model.GeneratedPath)
	if err != nil {
		return nil, err
	}
	r := &rendered{model: m, files: map[string][]byte{}}
	if err := Render(m, r.files); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(r.files[JSONFile], &r.doc); err != nil {
		return nil, err
	}
	return r, nil
})

func load(t *testing.T) *rendered {
	t.Helper()
	r, err := real()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checker is libopenapi-validator over the real document. Its schema cache is off: warming it
// compiles the schema of every operation up front, minutes for 1,600 of them, where these tests
// send a few bodies.
var checker = sync.OnceValues(func() (validator.Validator, error) {
	r, err := real()
	if err != nil {
		return nil, err
	}
	doc, err := libopenapi.NewDocument(r.files[JSONFile])
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc, config.WithSchemaCache(nil))
	if len(errs) > 0 {
		return nil, fmt.Errorf("%v", errs)
	}
	return v, nil
})

func check(t *testing.T) validator.Validator {
	t.Helper()
	v, err := checker()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestValidates checks the document against the OpenAPI 3.1 specification's schema, as
// libopenapi-validator embeds it, after libopenapi built its model without errors.
func TestValidates(t *testing.T) {
	r := load(t)
	if r.doc.OpenAPI != Version || !strings.HasPrefix(Version, "3.1.") {
		t.Fatalf("openapi %s, want 3.1", r.doc.OpenAPI)
	}
	ok, errs := check(t).ValidateDocument()
	for i, e := range errs {
		if i == 20 {
			t.Errorf("… %d more", len(errs)-i)
			break
		}
		t.Errorf("%s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			t.Errorf("  %s: %s", f.KeywordLocation, f.Reason)
		}
	}
	if !ok && len(errs) == 0 {
		t.Error("the document does not validate, and no error says why")
	}
}

// TestYAMLIsJSON: the two files hold the same document.
func TestYAMLIsJSON(t *testing.T) {
	r := load(t)
	var fromJSON, fromYAML any
	if err := json.Unmarshal(r.files[JSONFile], &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(r.files[YAMLFile], &fromYAML); err != nil {
		t.Fatal(err)
	}
	// YAML decodes whole numbers as int, JSON as float64: compare through JSON
	y, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(y, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromJSON, back); diff != "" {
		t.Errorf("YAML and JSON differ (-json +yaml):\n%.3000s", diff)
	}
	if !strings.HasPrefix(string(r.files[YAMLFile]), "# "+notice+"\n") {
		t.Error("the YAML file does not start with the generated notice")
	}
	var fromEncoding bytes.Buffer
	enc := json.NewEncoder(&fromEncoding)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(json.RawMessage(r.files[JSONFile])); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fromEncoding.Bytes(), r.files[JSONFile]) {
		t.Error("the JSON file is not printed as encoding/json indents it")
	}
}

// TestEveryMethod: each method of the model is exactly one operation, POST /<wire name>, with its
// name as operationId, its namespace as tag, its kind, scope, docs and deprecation; every
// structure of the model is a component, and so are every method's parameters.
func TestEveryMethod(t *testing.T) {
	r := load(t)
	if got, want := len(r.doc.Paths), len(r.model.Methods); got != want {
		t.Errorf("%d paths, %d methods", got, want)
	}
	ids := map[string]bool{}
	for _, mm := range r.model.Methods {
		path := "/" + mm.Wire
		if mm.Command != mm.Wire {
			path += ".json" // the REST 3.0 twin of a 2.0 name
		}
		item := r.doc.Paths[path]
		op, ok := item["post"]
		if len(item) != 1 || !ok {
			t.Errorf("%s: operations %v, want post only", mm.Wire, keys(item))
			continue
		}
		if op.OperationID != mm.Command || ids[op.OperationID] {
			t.Errorf("%s: operationId %q", mm.Wire, op.OperationID)
		}
		ids[op.OperationID] = true
		if len(op.Tags) != 1 || op.Tags[0] != mm.NS.Name {
			t.Errorf("%s: tags %v", mm.Wire, op.Tags)
		}
		if op.Deprecated != mm.Deprecated || op.Kind != mm.Kind || op.Scope != mm.Scope {
			t.Errorf("%s: deprecated %v, kind %q, scope %q", mm.Wire, op.Deprecated, op.Kind, op.Scope)
		}
		if mm.Docs != "" && (op.ExternalDocs == nil || op.ExternalDocs.URL != mm.Docs) {
			t.Errorf("%s: no link to its docs", mm.Wire)
		}
		want := "#/components/schemas/" + mm.NS.Package + "." + mm.ParamsType
		if got := op.RequestBody.Content["application/json"].Schema.Ref; got != want {
			t.Errorf("%s: request body %q, want %q", mm.Wire, got, want)
		}
		for _, status := range append([]string{"200"}, errorStatuses...) {
			if op.Responses[status] == nil {
				t.Errorf("%s: no response %s", mm.Wire, status)
			}
		}
	}
	// every structure of a method is a component, and every component is referred to: none unused
	refs := map[string]bool{}
	for _, m := range regexp.MustCompile(`"\$ref": "#/components/schemas/([^"]+)"`).FindAllSubmatch(r.files[JSONFile], -1) {
		refs[string(m[1])] = true
	}
	tags := 0
	for _, ns := range r.model.Namespaces {
		if len(ns.Methods) > 0 {
			tags++
		}
		for _, mm := range ns.Methods {
			for _, st := range mm.Structs {
				if r.doc.Components.Schemas[ns.Package+"."+st.Name] == nil {
					t.Errorf("%s: no component %s.%s", mm.Wire, ns.Package, st.Name)
				}
			}
		}
	}
	for name := range r.doc.Components.Schemas {
		if !refs[name] {
			t.Errorf("component %s is not referred to", name)
		}
	}
	if len(r.doc.Tags) != tags {
		t.Errorf("%d tags, want one per namespace (%d)", len(r.doc.Tags), tags)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// post validates a request body against the document, as a request to a portal.
func post(t *testing.T, method string, body []byte) error {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://example.bitrix24.com/rest/"+method, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.URL.RawQuery = "auth=token"
	ok, errs := check(t).ValidateHttpRequest(req)
	if ok {
		return nil
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message+": "+e.Reason)
		for _, f := range e.SchemaValidationErrors {
			msgs = append(msgs, "  "+f.FieldPath+": "+f.Reason)
		}
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

// TestBodies sends what the typed params of the generated packages marshal to through the
// document: a dialog and an ID, a structure with nested fields and user fields, a list method's
// filter, order and select, positional methods; and bodies that must not validate.
func TestBodies(t *testing.T) {
	good := []struct {
		method string
		params any
	}{
		{"im.dialog.unread", &im.DialogUnreadParams{DialogID: b24.ChatDialog(872), MessageID: 15}},
		{"im.dialog.unread", &im.DialogUnreadParams{DialogID: b24.UserDialog(1), MessageID: 15}},
		{"crm.deal.add", &crm.DealAddParams{Fields: &crm.DealAddFields{
			Title:       b24.Ptr("Deal"),
			Opportunity: b24.Ptr(1500.5),
			ContactIDs:  []int{1, 2},
			BeginDate:   b24.Ptr("2024-04-07"),
			Extra:       map[string]any{"UF_CRM_1": "x"},
		}}},
		{"crm.deal.list", &crm.DealListParams{
			Select: []string{"ID", "TITLE"},
			Filter: map[string]any{">ID": 5, "STAGE_ID": "NEW"},
			Order:  map[string]string{"ID": "ASC"},
			Start:  b24.Ptr(50),
		}},
		{"task.checklistitem.add", &task.ChecklistitemAddParams{TaskID: b24.Ptr(7), Fields: &task.ChecklistitemAddFields{
			Title: b24.Ptr("Check"), IsComplete: b24.Ptr(b24.YesNo(false)),
		}}},
		{"disk.folder.addSubFolder", &disk.FolderAddSubFolderParams{ID: 1, Data: disk.FolderAddSubFolderData{Name: b24.Ptr("Reports")}}}, // a closed structure
		{"task.commentitem.getlist", &task.CommentitemGetlistParams{TaskID: b24.Ptr(7)}},                                                 // unset params at the end are left out
		{"task.elapseditem.getlist", &task.ElapseditemGetlistParams{Order: map[string]string{"ID": "DESC"}}},                             // [null, {...}]
	}
	for _, c := range good {
		b, err := json.Marshal(c.params)
		if err != nil {
			t.Fatal(err)
		}
		if err := post(t, c.method, b); err != nil {
			t.Errorf("%s %s:\n%v", c.method, b, err)
		}
	}
	bad := []struct {
		method, body, want string
	}{
		{"crm.deal.update", `{"fields": {"TITLE": "x"}}`, "missing property 'id'"},
		{"im.dialog.unread", `{"DIALOG_ID": "chat872", "MESSAGE_ID": "fifteen"}`, "$.MESSAGE_ID: got string, want integer"},
		{"im.dialog.unread", `{"DIALOG_ID": true, "MESSAGE_ID": 5}`, "$.DIALOG_ID: got boolean, want string"},
		{"crm.deal.add", `{"fields": {"OPPORTUNITY": "a lot"}}`, "$.fields.OPPORTUNITY: got string, want number"},
		{"crm.deal.list", `{"select": "ID"}`, "$.select: got string, want array"},
		{"crm.deal.list", `{"order": {"ID": 1}}`, "$.order.ID: got number, want string"},
		{"task.checklistitem.add", `[7]`, "minItems: got 1, want 2"},
		{"task.checklistitem.add", `[null, {"TITLE": "x"}]`, "$[0]: got null, want integer"},
		{"task.checklistitem.add", `[7, {"TITLE": "x"}, 1]`, "maxItems: got 3, want 2"},
		{"task.checklistitem.add", `[7, {"TITLE": "x", "IS_COMPLETE": true}]`, "$[1].IS_COMPLETE: got boolean, want string"},
		{"disk.folder.addSubFolder", `{"id": 1, "data": {"NAME": "x", "COLOR": "red"}}`, "additional properties 'COLOR' not allowed"},
	}
	for _, c := range bad {
		err := post(t, c.method, []byte(c.body))
		switch {
		case err == nil:
			t.Errorf("%s %s validates; want %q", c.method, c.body, c.want)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s %s: %v\nwant %q", c.method, c.body, err, c.want)
		}
	}
}

// schemas are the document's schemas compiled by the JSON Schema 2020-12 validator that
// libopenapi-validator uses (pb33f/jsonschema), as one resource: the components under $defs, and
// each operation's 200 response schema as $defs/response:<method>. Compiling it checks every
// schema against the 2020-12 metaschema and resolves every reference.
const schemasURL = "https://b24gen.invalid/schemas.json"

var schemas = sync.OnceValues(func() (*jsonschema.Compiler, error) { return compile(false) })

// lenientSchemas are the same schemas read as x-b24-lenient-decoding says portals write values,
// which is how the Go client decodes answers (see widen).
var lenientSchemas = sync.OnceValues(func() (*jsonschema.Compiler, error) { return compile(true) })

func compile(lenient bool) (*jsonschema.Compiler, error) {
	r, err := real()
	if err != nil {
		return nil, err
	}
	var raw struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.files[JSONFile], &raw); err != nil {
		return nil, err
	}
	defs := raw.Components.Schemas
	for path, item := range raw.Paths {
		defs["response:"+path[1:]] = item["post"].Responses["200"].Content["application/json"].Schema
	}
	b, err := json.Marshal(map[string]any{"$defs": defs})
	if err != nil {
		return nil, err
	}
	b = bytes.ReplaceAll(b, []byte(`"#/components/schemas/`), []byte(`"#/$defs/`))
	if lenient {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		if b, err = json.Marshal(widen(v)); err != nil {
			return nil, err
		}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(schemasURL, doc); err != nil {
		return nil, err
	}
	if _, err := c.Compile(schemasURL); err != nil {
		return nil, err
	}
	return c, nil
}

// widen reads every schema as the document's x-b24-lenient-decoding says portals write values: an
// ID or a number also as a string, a flag also as a string or a number, any value also as null, an
// empty map or a keyed list as the other container; enums and formats then say nothing more.
func widen(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = widen(x[i])
		}
	case map[string]any:
		for k, e := range x {
			x[k] = widen(e)
		}
		also := map[string][]string{
			"integer": {"string", "null"}, "number": {"string", "null"}, "string": {"number", "boolean", "null"},
			"boolean": {"string", "integer", "null"}, "object": {"array", "null"}, "array": {"object", "null"},
		}
		if t, ok := x["type"].(string); ok && also[t] != nil {
			x["type"] = append([]any{t}, toAny(also[t])...)
			delete(x, "enum")
			delete(x, "format")
		}
		if t, _ := x["type"].(string); t == "" && x["oneOf"] != nil {
			x["anyOf"], x["oneOf"] = x["oneOf"], nil // a text and a map of texts both fit "5" once widened
			delete(x, "oneOf")
		}
	}
	return v
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	return compiled(t, schemas, name)
}

func compiled(t *testing.T, of func() (*jsonschema.Compiler, error), name string) *jsonschema.Schema {
	t.Helper()
	c, err := of()
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemasURL + "#/$defs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemasCompile(t *testing.T) {
	for _, of := range []func() (*jsonschema.Compiler, error){schemas, lenientSchemas} {
		if _, err := of(); err != nil {
			t.Fatal(err)
		}
	}
}

func validateJSON(s *jsonschema.Schema, b []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// TestResponseExamples: every example answer of the spec validates against its operation's 200
// response, the envelope with the method's result, read as x-b24-lenient-decoding says.
func TestResponseExamples(t *testing.T) {
	r := load(t)
	n := 0
	for _, mm := range r.model.Methods {
		if mm.Compact == "" {
			continue
		}
		n++
		if err := validateJSON(compiled(t, lenientSchemas, "response:"+mm.Wire), []byte(mm.Compact)); err != nil {
			t.Errorf("%s (%s): the example answer does not validate: %v", mm.Wire, mm.SpecFile, err)
		}
	}
	if n < 1000 {
		t.Errorf("%d example answers, want the spec's 1,000 and more", n)
	}
}

// TestRequestExamples measures the request examples of the official docs
// (upstream/b24-examples/requests.jsonl) against the operations' request bodies. Not all can pass:
// the document is as strict as the spec, and the docs send IDs as strings ("id": "5"), the
// positional task methods' parameters as an object, keys in another case, placeholders. -v lists
// the ones that fail; the share that passes must not drop.
func TestRequestExamples(t *testing.T) {
	r := load(t)
	f, err := os.ReadFile("../../../upstream/b24-examples/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	byLower := map[string]*model.Method{}
	for _, mm := range r.model.Methods {
		byLower[strings.ToLower(mm.Wire)] = mm
	}
	ok, all := 0, 0
	for i, line := range bytes.Split(f, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var ex struct {
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(line, &ex); err != nil {
			t.Fatalf("requests.jsonl:%d: %v", i+1, err)
		}
		mm := byLower[strings.ToLower(ex.Method)]
		if mm == nil {
			continue
		}
		all++
		if err := validateJSON(schema(t, mm.NS.Package+"."+mm.ParamsType), ex.Params); err != nil {
			t.Logf("requests.jsonl:%d %s: %s", i+1, ex.Method, strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		ok++
	}
	t.Logf("%d of %d request examples validate", ok, all)
	if all < 1000 || ok*100 < all*88 {
		t.Errorf("%d of %d request examples validate, want 88%% and more", ok, all)
	}
}

// BenchmarkRender is the emitter alone on the real spec: the document built, printed as JSON and
// as YAML.
func BenchmarkRender(b *testing.B) {
	r, err := real()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Render(r.model, map[string][]byte{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParts splits the emitter's time: the document, the JSON and the YAML.
func BenchmarkParts(b *testing.B) {
	r, err := real()
	if err != nil {
		b.Fatal(err)
	}
	doc := build(r.model)
	b.Run("document", func(b *testing.B) {
		for b.Loop() {
			build(r.model)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			encodeJSON(doc)
		}
	})
	b.Run("yaml", func(b *testing.B) {
		for b.Loop() {
			encodeYAML(doc)
		}
	})
}
