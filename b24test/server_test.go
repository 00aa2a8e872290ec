package b24test_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/fixtures"
)

type answer struct {
	status int
	ct     string
	env    map[string]any
}

func post(t *testing.T, target, ct string, body []byte, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, req)
}

func get(t *testing.T, target string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, ct: resp.Header.Get("Content-Type")}
	if err := json.Unmarshal(data, &a.env); err != nil {
		t.Fatalf("answer is not JSON: %s", data)
	}
	return a
}

func newServer(t *testing.T) *b24test.Server {
	t.Helper()
	s := b24test.New(b24test.WithSecret("sekret"), b24test.WithToken("tok"))
	t.Cleanup(s.Close)
	s.Handle("x.echo", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	return s
}

func lastParams(t *testing.T, s *b24test.Server) map[string]any {
	t.Helper()
	calls := s.Calls()
	if len(calls) == 0 {
		t.Fatal("no call recorded")
	}
	return calls[len(calls)-1].Params
}

func TestURLs(t *testing.T) {
	s := newServer(t)
	if s.WebhookURL() != s.URL()+"/rest/1/sekret" || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || s.Token() != "tok" {
		t.Errorf("URL %q WebhookURL %q Token %q", s.URL(), s.WebhookURL(), s.Token())
	}
	d := b24test.New()
	defer d.Close()
	if len(d.Token()) < 16 || strings.HasSuffix(d.WebhookURL(), "/rest/1/") {
		t.Errorf("default credentials too weak: %q %q", d.Token(), d.WebhookURL())
	}
}

func TestFixtureAnswers(t *testing.T) {
	s := newServer(t)
	body := []byte(`{"DIALOG_ID":"chat1","MESSAGE_ID":5}`)
	for _, path := range []string{"/im.dialog.unread", "/im.dialog.unread.json", "/IM.Dialog.Unread/", "/im.dialog.unread.JSON/"} {
		a := post(t, s.WebhookURL()+path, "application/json", body)
		if a.status != 200 || a.env["result"] != true || a.ct != "application/json; charset=utf-8" {
			t.Errorf("%s: %d %s %v", path, a.status, a.ct, a.env)
		}
		tm, _ := a.env["time"].(map[string]any)
		if start, _ := tm["start"].(float64); start < 1.7e9 || tm["date_start"] == "" || tm["operating_reset_at"] == nil {
			t.Errorf("%s: time = %v (want a fresh time object, not the example's)", path, tm)
		}
	}
	if got := s.Calls()[2].Method; got != "IM.Dialog.Unread" {
		t.Errorf("Method recorded as %q, want as requested", got)
	}
	// A read method answers with the result of its spec example.
	a := post(t, s.WebhookURL()+"/im.dialog.get", "application/json", []byte(`{"DIALOG_ID":"chat1"}`))
	if a.status != 200 || !reflect.DeepEqual(a.env["result"], exampleResult(t, "im.dialog.get")) {
		t.Errorf("read with example: %d %v", a.status, a.env)
	}
	if _, ok := a.env["total"]; ok {
		t.Errorf("total sent for a non-list answer")
	}
}

func TestErrors(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		name, target, ct, body string
		hdr                    []string
		status                 int
		code                   string
	}{
		{"unknown method", s.WebhookURL() + "/no.such.method", "application/json", `{}`, nil, 404, "ERROR_METHOD_NOT_FOUND"},
		{"bad path", s.URL() + "/rest/1/sekret", "application/json", `{}`, nil, 404, "ERROR_METHOD_NOT_FOUND"},
		{"wrong secret", s.URL() + "/rest/1/wrong/x.echo", "application/json", `{}`, nil, 401, "INVALID_CREDENTIALS"},
		{"wrong user", s.URL() + "/rest/2/sekret/x.echo", "application/json", `{}`, nil, 401, "INVALID_CREDENTIALS"},
		{"no auth", s.URL() + "/rest/x.echo", "application/json", `{}`, nil, 401, "NO_AUTH_FOUND"},
		{"bad token", s.URL() + "/rest/x.echo", "application/json", `{"auth":"nope"}`, nil, 401, "invalid_token"},
		{"missing param", s.WebhookURL() + "/crm.deal.update", "application/json", `{"fields":{"TITLE":"x"}}`, nil, 400, "ERROR_ARGUMENT"},
		{"empty param", s.WebhookURL() + "/crm.deal.update", "application/json", `{"id":"","fields":{"TITLE":"x"}}`, nil, 400, "ERROR_ARGUMENT"},
		{"bad json", s.WebhookURL() + "/x.echo", "application/json", `{"a":`, nil, 400, "ERROR_ARGUMENT"},
	}
	for _, tc := range cases {
		a := post(t, tc.target, tc.ct, []byte(tc.body), tc.hdr...)
		if a.status != tc.status || a.env["error"] != tc.code || a.env["error_description"] == "" {
			t.Errorf("%s: %d %v, want %d %s", tc.name, a.status, a.env, tc.status, tc.code)
		}
		if _, ok := a.env["result"]; ok {
			t.Errorf("%s: error answer carries result", tc.name)
		}
	}
	a := post(t, s.WebhookURL()+"/crm.deal.update", "application/json", []byte(`{"FIELDS":{"TITLE":"x"}}`))
	if a.env["argument"] != "id" || !strings.Contains(a.env["error_description"].(string), "id") {
		t.Errorf("missing param answer does not name it: %v", a.env)
	}
}

func TestTokenPlacements(t *testing.T) {
	s := newServer(t)
	base := s.URL() + "/rest/x.echo"
	checks := []struct {
		name string
		send func() answer
	}{
		{"json auth", func() answer { return post(t, base, "application/json", []byte(`{"auth":"tok","A":1}`)) }},
		{"json access_token", func() answer { return post(t, base, "application/json", []byte(`{"access_token":"tok","A":1}`)) }},
		{"form auth", func() answer { return post(t, base, "application/x-www-form-urlencoded", []byte("auth=tok&A=1")) }},
		{"query auth", func() answer { return post(t, base+"?auth=tok", "application/json", []byte(`{"A":1}`)) }},
		{"bearer", func() answer {
			return post(t, base, "application/json", []byte(`{"A":1}`), "Authorization", "Bearer tok")
		}},
		{"get", func() answer { return get(t, base+"?access_token=tok&A=1") }},
	}
	for _, c := range checks {
		a := c.send()
		if a.status != 200 || a.env["result"] != true {
			t.Errorf("%s: %d %v", c.name, a.status, a.env)
			continue
		}
		call := s.Calls()[len(s.Calls())-1]
		if call.Auth != "token" {
			t.Errorf("%s: Auth = %q", c.name, call.Auth)
		}
		if _, ok := call.Params["auth"]; ok {
			t.Errorf("%s: auth left in params", c.name)
		}
		if _, ok := call.Params["access_token"]; ok {
			t.Errorf("%s: access_token left in params", c.name)
		}
		if v := call.Params["A"]; v != json.Number("1") && v != "1" {
			t.Errorf("%s: A = %#v", c.name, v)
		}
	}
}

func TestExpireToken(t *testing.T) {
	s := newServer(t)
	old := s.Token()
	fresh := s.ExpireToken()
	if fresh == old || s.Token() != fresh {
		t.Fatalf("ExpireToken did not issue a new token")
	}
	a := post(t, s.URL()+"/rest/x.echo", "application/json", []byte(`{"auth":"`+old+`"}`))
	if a.status != 401 || a.env["error"] != "expired_token" {
		t.Errorf("old token: %d %v", a.status, a.env)
	}
	a = post(t, s.URL()+"/rest/x.echo", "application/json", []byte(`{"auth":"`+fresh+`"}`))
	if a.status != 200 {
		t.Errorf("fresh token: %d %v", a.status, a.env)
	}
}

func TestFormDecoding(t *testing.T) {
	s := newServer(t)
	form := "fields[TITLE]=My%20company&fields[PHONE][0][VALUE]=112233&fields[PHONE][0][VALUE_TYPE]=WORK" +
		"&fields[PHONE][1][VALUE]=445566&select[]=ID&select[]=NAME&plain=x&order[ID]=DESC"
	want := map[string]any{
		"fields": map[string]any{
			"TITLE": "My company",
			"PHONE": []any{map[string]any{"VALUE": "112233", "VALUE_TYPE": "WORK"}, map[string]any{"VALUE": "445566"}},
		},
		"select": []any{"ID", "NAME"},
		"plain":  "x",
		"order":  map[string]any{"ID": "DESC"},
	}
	a := post(t, s.WebhookURL()+"/x.echo", "application/x-www-form-urlencoded; charset=utf-8", []byte(form))
	if a.status != 200 {
		t.Fatalf("form: %d %v", a.status, a.env)
	}
	if got := lastParams(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("form params\n got %#v\nwant %#v", got, want)
	}
	get(t, s.WebhookURL()+"/x.echo?"+form)
	if got := lastParams(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("query params\n got %#v\nwant %#v", got, want)
	}
	if c := s.Calls()[1]; c.HTTPMethod != "GET" || c.Auth != "webhook" {
		t.Errorf("GET call = %+v", c)
	}
}

func TestBodyOverridesQuery(t *testing.T) {
	s := newServer(t)
	post(t, s.WebhookURL()+"/x.echo?A=query&B=query", "application/json", []byte(`{"A":"body"}`))
	if p := lastParams(t, s); p["A"] != "body" || p["B"] != "query" {
		t.Errorf("params = %v", p)
	}
}

func TestPositionalJSON(t *testing.T) {
	s := newServer(t)
	post(t, s.WebhookURL()+"/x.echo", "application/json", []byte(`[123,{"POST_MESSAGE":"hi"}]`))
	p := lastParams(t, s)
	if p["0"] != json.Number("123") || !reflect.DeepEqual(p["1"], map[string]any{"POST_MESSAGE": "hi"}) {
		t.Errorf("params = %#v", p)
	}
}

// A JSON array carries no names, so required parameters are matched by position: the first N
// required names are satisfied by the first N elements when they are neither null nor "".
func TestPositionalRequired(t *testing.T) {
	s := newServer(t)
	// task.commentitem.add requires TASKID and FIELDS, in that order.
	cases := []struct {
		body, missing string
	}{
		{`[5,{"POST_MESSAGE":"x"}]`, ""},
		{`[5,{"POST_MESSAGE":"x"},"extra"]`, ""},
		{`[5]`, "FIELDS"},
		{`[]`, "TASKID"},
		{`[null,{"POST_MESSAGE":"x"}]`, "TASKID"},
		{`[5,""]`, "FIELDS"},
		{`[0,{"POST_MESSAGE":"x"}]`, ""}, // 0 is a value
	}
	for _, tc := range cases {
		for _, mode := range []string{"webhook", "token"} {
			target := s.WebhookURL() + "/task.commentitem.add"
			if mode == "token" {
				target = s.URL() + "/rest/task.commentitem.add?auth=tok"
			}
			a := post(t, target, "application/json", []byte(tc.body))
			call := s.Calls()[len(s.Calls())-1]
			if call.Auth != mode {
				t.Errorf("%s %s: Auth = %q", mode, tc.body, call.Auth)
			}
			if _, ok := call.Params["auth"]; ok {
				t.Errorf("%s %s: auth left in params %v", mode, tc.body, call.Params)
			}
			if tc.missing == "" {
				if a.status != 200 {
					t.Errorf("%s %s: %d %v, want success", mode, tc.body, a.status, a.env)
				}
				continue
			}
			if a.status != 400 || a.env["error"] != "ERROR_ARGUMENT" || a.env["argument"] != tc.missing {
				t.Errorf("%s %s: %d %v, want ERROR_ARGUMENT naming %s", mode, tc.body, a.status, a.env, tc.missing)
			}
		}
	}
	// A positional body does not satisfy required names through stray query keys, nor the other way
	// round: an object body is still checked by name.
	a := post(t, s.WebhookURL()+"/task.commentitem.add?TASKID=5&FIELDS[A]=1", "application/json", []byte(`[5]`))
	if a.status != 400 || a.env["argument"] != "FIELDS" {
		t.Errorf("query keys with an array body: %d %v", a.status, a.env)
	}
	a = post(t, s.WebhookURL()+"/task.commentitem.add", "application/json", []byte(`{"0":5,"1":{"A":1}}`))
	if a.status != 400 || a.env["argument"] != "TASKID" {
		t.Errorf("object with index keys: %d %v", a.status, a.env)
	}
}

func TestMultipart(t *testing.T) {
	s := newServer(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("fields[NAME]", "report")
	_ = mw.WriteField("fields[TAGS][]", "a")
	_ = mw.WriteField("fields[TAGS][]", "b")
	fw, _ := mw.CreateFormFile("fields[FILE]", "r.txt")
	_, _ = fw.Write([]byte("hi"))
	_ = mw.Close()
	a := post(t, s.WebhookURL()+"/x.echo", mw.FormDataContentType(), buf.Bytes())
	if a.status != 200 {
		t.Fatalf("multipart: %d %v", a.status, a.env)
	}
	want := map[string]any{"fields": map[string]any{"NAME": "report", "TAGS": []any{"a", "b"}, "FILE": []any{"r.txt", "aGk="}}}
	if got := lastParams(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("multipart params\n got %#v\nwant %#v", got, want)
	}
}

func TestJSONNumbers(t *testing.T) {
	s := newServer(t)
	post(t, s.WebhookURL()+"/x.echo", "application/json", []byte(`{"ID":9007199254740993,"F":{"X":1.5}}`))
	p := lastParams(t, s)
	if p["ID"] != json.Number("9007199254740993") || p["F"].(map[string]any)["X"] != json.Number("1.5") {
		t.Errorf("params = %#v", p)
	}
}

func TestHandleAndFailNext(t *testing.T) {
	s := newServer(t)
	var seen b24test.Call
	s.Handle("IM.DIALOG.GET", func(c b24test.Call) (any, *b24.APIError) {
		seen = c
		return b24test.Page([]int{1, 2}, 10, 2), nil
	})
	a := post(t, s.WebhookURL()+"/im.dialog.get", "application/json", []byte(`{"DIALOG_ID":"chat3"}`))
	if a.status != 200 || a.env["total"] != 10.0 || a.env["next"] != 2.0 || !reflect.DeepEqual(a.env["result"], []any{1.0, 2.0}) {
		t.Errorf("handled: %d %v", a.status, a.env)
	}
	if seen.Params["DIALOG_ID"] != "chat3" || seen.Auth != "webhook" {
		t.Errorf("handler saw %+v", seen)
	}
	s.Handle("im.dialog.get", nil)
	a = post(t, s.WebhookURL()+"/im.dialog.get", "application/json", []byte(`{"DIALOG_ID":"chat3"}`))
	if !reflect.DeepEqual(a.env["result"], exampleResult(t, "im.dialog.get")) {
		t.Errorf("after restore: %v", a.env)
	}

	s.FailNext("x.echo", 2, b24test.QueryLimitExceeded())
	for i, wantStatus := range []int{503, 503, 200} {
		a := post(t, s.WebhookURL()+"/x.echo", "application/json", []byte(`{}`))
		if a.status != wantStatus {
			t.Errorf("call %d: %d %v", i, a.status, a.env)
		}
	}
	s.Handle("x.err", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"}
	})
	a = post(t, s.WebhookURL()+"/x.err", "application/json", nil)
	if a.status != 400 || a.env["error"] != "ACCESS_DENIED" || a.env["error_description"] != "no" {
		t.Errorf("handler error: %d %v", a.status, a.env)
	}
}

func TestHandleHTTP(t *testing.T) {
	s := newServer(t)
	s.HandleHTTP("x.raw", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		fmt.Fprint(w, "<html>bad gateway</html>")
	})
	resp, err := http.Post(s.WebhookURL()+"/x.raw", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 502 || string(body) != "<html>bad gateway</html>" {
		t.Errorf("raw: %d %s", resp.StatusCode, body)
	}
	// Auth still applies before a raw handler.
	a := post(t, s.URL()+"/rest/1/wrong/x.raw", "application/json", []byte(`{}`))
	if a.status != 401 {
		t.Errorf("raw handler ran without auth: %d", a.status)
	}
}

func TestCallsConcurrent(t *testing.T) {
	s := newServer(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(s.WebhookURL()+"/x.echo", "application/json", strings.NewReader(fmt.Sprintf(`{"N":%d}`, i)))
			if err == nil {
				resp.Body.Close()
			}
			_ = s.Calls()
		}()
	}
	wg.Wait()
	calls := s.Calls()
	if len(calls) != 20 {
		t.Fatalf("%d calls recorded, want 20", len(calls))
	}
	seen := map[string]bool{}
	for _, c := range calls {
		seen[string(c.Params["N"].(json.Number))] = true
	}
	if len(seen) != 20 {
		t.Errorf("calls lost or duplicated: %v", seen)
	}
	s.ResetCalls()
	if len(s.Calls()) != 0 {
		t.Errorf("ResetCalls kept calls")
	}
}

func TestWithClient(t *testing.T) {
	// The fake portal and the runtime agree on the wire format in both modes.
	s := newServer(t)
	for _, mk := range []func() (*b24.Client, error){
		func() (*b24.Client, error) { return b24.New(s.WebhookURL(), "") },
		func() (*b24.Client, error) { return b24.New(s.URL(), s.Token()) },
	} {
		c, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := b24.Call[b24.Bool](t.Context(), c, "im.dialog.unread",
			map[string]any{"DIALOG_ID": b24.ChatDialog(1), "MESSAGE_ID": 2})
		if err != nil || !resp.Result {
			t.Errorf("%v: %+v %v", c, resp, err)
		}
	}
}

// exampleResult is the "result" of a method's example response in the generated fixtures.
func exampleResult(t *testing.T, method string) any {
	t.Helper()
	fx, ok := fixtures.Lookup(method)
	if !ok || fx.Example == "" {
		t.Fatalf("fixtures have no example for %s", method)
	}
	var env map[string]any
	if err := json.Unmarshal([]byte(fx.Example), &env); err != nil {
		t.Fatal(err)
	}
	return env["result"]
}

// TestWithFixtures: a method of the caller's own spec is answered with its example and its required
// parameters are checked; the official methods stay known.
func TestWithFixtures(t *testing.T) {
	custom := func(method string) (b24test.Fixture, bool) {
		if !strings.EqualFold(method, "vendor.report.get") {
			return b24test.Fixture{}, false
		}
		return b24test.Fixture{Name: "vendor.report.get", Kind: "read", Required: []string{"ID"},
			Example: `{"result":{"ID":7,"TITLE":"Q3"},"time":{"start":1,"finish":2}}`}, true
	}
	s := b24test.New(b24test.WithFixtures(custom))
	defer s.Close()
	c, err := b24.New(s.WebhookURL(), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := c.Do(ctx, "vendor.report.get", map[string]any{"ID": 7})
	if err != nil || string(r.Result) != `{"ID":7,"TITLE":"Q3"}` {
		t.Errorf("custom method: %v, %s", err, r.Result)
	}
	if _, err := c.Do(ctx, "vendor.report.get", nil); err == nil {
		t.Error("custom method without its required ID: no error")
	}
	if _, err := c.Do(ctx, "im.dialog.unread", map[string]any{"DIALOG_ID": "chat1", "MESSAGE_ID": 1}); err != nil {
		t.Errorf("an official method: %v", err)
	}
	if _, err := c.Do(ctx, "vendor.other.get", nil); !errors.Is(err, b24.ErrMethodNotFound) {
		t.Errorf("an unknown method: %v", err)
	}
}
