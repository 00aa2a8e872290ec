package command

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mcpTestTools is a hand-written catalog in the generated form.
var mcpTestTools = []string{
	`{"name":"crm_deal_add","wire":"crm.deal.add","kind":"write","namespace":"crm","summary":{"en":"Creates a deal.","ru":"Создаёт сделку."},"input":{"type":"object","properties":{"fields":{"type":"object"}},"required":["fields"]}}`,
	`{"name":"crm_deal_get","wire":"crm.deal.get","kind":"read","namespace":"crm","summary":{"en":"Returns a deal by its ID.","ru":"Возвращает сделку по ID."},"input":{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}}`,
	`{"name":"crm_deal_list","wire":"crm.deal.list","kind":"read","namespace":"crm","summary":{"en":"Returns a list of deals.","ru":"Возвращает список сделок."},"deprecated":true,"successor":"crm.item.list","list":{"start":"start"},"input":{"type":"object","properties":{"start":{"type":"integer"}}}}`,
	`{"name":"im_chat_get","wire":"im.chat.get","kind":"read","namespace":"im","summary":{"en":"Returns a chat.","ru":"Возвращает чат."},"input":{"type":"object","properties":{"ENTITY_TYPE":{"type":"string"},"ENTITY_ID":{"type":"string"},"CHAT_ID":{"type":"integer"}}},"one_of":[["CHAT_ID","ENTITY_ID"]]}`,
	`{"name":"task_commentitem_add","wire":"task.commentitem.add","kind":"write","namespace":"task","input":{"type":"object","properties":{"TASKID":{"type":"integer"},"FIELDS":{"type":"object"},"EXTRA":{}},"required":["TASKID"]},"positional":["TASKID","FIELDS","EXTRA"]}`,
}

func testTools(t *testing.T) []*toolEntry {
	t.Helper()
	tools, err := loadTools(mcpTestTools)
	if err != nil {
		t.Fatal(err)
	}
	return tools
}

func TestMCPParams(t *testing.T) {
	tools := testTools(t)
	for _, c := range []struct {
		method, args, want, err string
	}{
		{"crm.deal.get", `{"id":5}`, `{"id":5}`, ""},
		{"crm.deal.get", `{"id":5,"extra":"kept"}`, `{"extra":"kept","id":5}`, ""},
		{"crm.deal.get", `{}`, "", "required parameter missing: id"},
		{"crm.deal.get", ``, "", "required parameter missing: id"},
		{"crm.deal.get", `[1]`, "", "must be a JSON object"},
		{"crm.deal.list", `null`, `{}`, ""},
		{"im.chat.get", `{"ENTITY_ID":"x"}`, `{"ENTITY_ID":"x"}`, ""},
		{"im.chat.get", `{"ENTITY_TYPE":"x"}`, "", "one of CHAT_ID, ENTITY_ID"},
		// a JSON array in the order of the parameters: a gap is null, the end is cut
		{"task.commentitem.add", `{"TASKID":1}`, `[1]`, ""},
		{"task.commentitem.add", `{"TASKID":1,"EXTRA":true}`, `[1,null,true]`, ""},
		{"task.commentitem.add", `{"TASKID":1,"OTHER":2}`, "", `"OTHER" is not one of them`},
	} {
		p, err := findTool(tools, c.method).params(json.RawMessage(c.args))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %s: error %v, want %q", c.method, c.args, err, c.err)
			}
			continue
		}
		got, _ := json.Marshal(p)
		if err != nil || string(got) != c.want {
			t.Errorf("%s %s: %s, %v; want %s", c.method, c.args, got, err, c.want)
		}
	}
}

func TestMCPFilter(t *testing.T) {
	tools := testTools(t)
	refused := func(f *mcpFilter) (out []string) {
		for _, e := range tools {
			if f.refused(e) == "" {
				out = append(out, e.Wire)
			}
		}
		return out
	}
	for _, c := range []struct {
		writes         bool
		namespaces     string
		methods        string
		allowed, error string
	}{
		{false, "", "", "crm.deal.get crm.deal.list im.chat.get", ""},
		{true, "", "", "crm.deal.add crm.deal.get crm.deal.list im.chat.get task.commentitem.add", ""},
		{true, "CRM", "", "crm.deal.add crm.deal.get crm.deal.list", ""},
		{false, "crm,im", "crm.deal.g*,im.chat.get", "crm.deal.get im.chat.get", ""},
		{false, "", "CRM.DEAL.LIST", "crm.deal.list", ""},
		{false, "sale", "", "", "--namespaces sale: no such namespace (b24 --help lists them)"},
		{false, "", "crm.lead.*", "", "--methods crm.lead.*: no method of the spec matches it"},
		{false, "", "crm.[", "", "--methods crm.[: syntax error in pattern"},
	} {
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		f, err := newMCPFilter(tools, c.writes, split(c.namespaces), split(c.methods))
		var ue *usageError
		switch {
		case c.error != "":
			if !errors.As(err, &ue) || ue.Error() != c.error {
				t.Errorf("%+v: error %v, want %q", c, err, c.error)
			}
		case err != nil:
			t.Errorf("%+v: %v", c, err)
		default:
			if d := cmp.Diff(c.allowed, strings.Join(refused(f), " ")); d != "" {
				t.Errorf("%+v: allowed (-want +got):\n%s", c, d)
			}
		}
	}
	f, _ := newMCPFilter(tools, false, nil, nil)
	if why := f.refused(findTool(tools, "crm.deal.add")); !strings.Contains(why, "--allow-writes") {
		t.Errorf("a write without --allow-writes: %q", why)
	}
}

func TestMCPSearch(t *testing.T) {
	tools := testTools(t)
	s := index(tools)
	all := func(*toolEntry) bool { return true }
	for _, c := range []struct {
		query, namespace, want string
	}{
		{"сделки", "", "crm.deal.list crm.deal.add crm.deal.get"},                // сделку, сделок: one stem; an entity alone: its list first
		{"сделку по ID", "", "crm.deal.get"},                                     // every word, when one has them all
		{"deals list", "", "crm.deal.list crm.deal.get crm.deal.add"},            // deals finds deal; the list first
		{"список сделок", "", "crm.deal.list crm.deal.get crm.deal.add"},         // Russian only
		{"crm.deal.list", "", "crm.deal.list crm.deal.get crm.deal.add"},         // an exact name first
		{"deal chat", "", "crm.deal.list im.chat.get crm.deal.add crm.deal.get"}, // none has both: each has one
		{"returns", "im", "im.chat.get"},
		{"nothing like it", "", ""}, // "it" is not in "its": short words match whole
		{"im", "", "im.chat.get"},
		{"  ", "", ""},
	} {
		found, _ := searchTools(s, all, c.query, c.namespace, 10)
		var names []string
		for _, e := range found {
			names = append(names, e.Wire)
		}
		if d := cmp.Diff(c.want, strings.Join(names, " ")); d != "" {
			t.Errorf("%q: (-want +got)\n%s", c.query, d)
		}
	}
	if e := findTool(tools, "CRM.Deal.Get"); e == nil || e.Wire != "crm.deal.get" {
		t.Errorf("findTool ignoring case: %v", e)
	}
}

func TestMCPBearer(t *testing.T) {
	h := bearer("tok3n", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for auth, want := range map[string]int{
		"": 401, "Bearer": 401, "Bearer ": 401, "Bearer tok3": 401, "Bearer tok3nn": 401, "Basic tok3n": 401,
		"Bearer tok3n": http.StatusTeapot, "bearer tok3n": http.StatusTeapot,
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/mcp", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != want || want == 401 && (rec.Header().Get("WWW-Authenticate") == "" || strings.Contains(rec.Body.String(), "tok3n")) {
			t.Errorf("Authorization %q: %d %q, want %d", auth, rec.Code, rec.Body.String(), want)
		}
	}
}
