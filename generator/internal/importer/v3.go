package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// v3Method is one line of upstream/b24-v3/methods.jsonl: a method the docs mark REST 3.0.
type v3Method struct {
	Method   string          `json:"method"`
	Doc      string          `json:"doc"` // the docs page, relative to the repository root
	Scope    []string        `json:"scope"`
	Params   []*schemaParam  `json:"params"`
	Response json.RawMessage `json:"response_example"`
}

// twin reports a 3.0 page of a name REST 2.0 also has, with other parameters and answers: the
// docs give it a page of its own, named …-rest-v3.md (tasks.task.get); and batch, which the runtime
// sends itself in both generations.
func (m *v3Method) twin() bool { return strings.HasSuffix(m.Doc, "-rest-v3.md") || m.Method == "batch" }

// readV3 reads methods.jsonl, one method a line.
func readV3(path string) (map[string]*v3Method, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]*v3Method{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var m v3Method
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil || m.Method == "" {
			return nil, fmt.Errorf("%s:%d: not a method: %v", path, n, err)
		}
		out[strings.ToLower(m.Method)] = &m
	}
	return out, sc.Err()
}

// schemaOf is a 3.0 method the schema lacks, in the schema's terms: its parameters, its docs page
// and its example answer. Methods named by what they return read; the others write.
func (m *v3Method) schemaOf() *schemaMethod {
	sm := &schemaMethod{Method: m.Method, Params: m.Params, ResultExample: m.Response, Kind: "write"}
	if len(m.Scope) > 0 {
		sm.Scope = &m.Scope[0]
	}
	page, anchor, _ := strings.Cut(m.Doc, "#")
	sm.Docs = "https://apidocs.bitrix24.com/" + strings.TrimSuffix(page, ".md") + ".html"
	if anchor != "" {
		sm.Docs += "#" + anchor
	}
	if v3ReadName(m.Method) {
		sm.Kind = "read"
	}
	return sm
}

// v3ReadName reports a REST 3.0 name whose last word reads: get, list, search, count, tail, openapi.
func v3ReadName(method string) bool {
	last := strings.ToLower(method[strings.LastIndexByte(method, '.')+1:])
	for _, read := range []string{"get", "list", "search", "count", "tail", "openapi"} {
		if strings.HasPrefix(last, read) {
			return true
		}
	}
	return false
}
