package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

const secret = "s3cr3tw3bh00kc0de"

func newPortal(t *testing.T) *b24test.Server {
	t.Helper()
	s := b24test.New(b24test.WithSecret(secret), b24test.WithToken("t0k3nvalue1234"))
	t.Cleanup(s.Close)
	return s
}

func webhook(t *testing.T, s *b24test.Server, opts ...b24.Option) *b24.Client {
	t.Helper()
	opts = append([]b24.Option{b24.WithRetry(3, time.Millisecond)}, opts...)
	c, err := b24.New(s.WebhookURL(), "", opts...)
	if err != nil {
		t.Fatalf("New webhook: %v", err)
	}
	return c
}

func oauth(t *testing.T, s *b24test.Server, opts ...b24.Option) *b24.Client {
	t.Helper()
	c, err := b24.New(s.URL(), s.Token(), opts...)
	if err != nil {
		t.Fatalf("New oauth: %v", err)
	}
	return c
}

var unreadParams = map[string]any{"DIALOG_ID": b24.ChatDialog(5), "MESSAGE_ID": 7}

func TestWebhookCall(t *testing.T) {
	s := newPortal(t)
	c := webhook(t, s)
	resp, err := b24.Call[b24.Bool](context.Background(), c, "im.dialog.unread", unreadParams)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	if !resp.Result {
		t.Errorf("Result = false, want true")
	}
	if resp.Time.Start == 0 || resp.Time.DateStart == "" {
		t.Errorf("time not decoded: %+v", resp.Time)
	}
	calls := s.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	got := calls[0]
	if got.Path != "/rest/1/"+secret+"/im.dialog.unread" || got.HTTPMethod != "POST" || got.Auth != "webhook" {
		t.Errorf("call = %s %s auth=%q", got.HTTPMethod, got.Path, got.Auth)
	}
	if got.ContentType != "application/json" {
		t.Errorf("Content-Type = %q", got.ContentType)
	}
	if got.Params["DIALOG_ID"] != "chat5" || got.Params["MESSAGE_ID"] != json.Number("7") {
		t.Errorf("params = %#v", got.Params)
	}
	if _, ok := got.Params["auth"]; ok || strings.Contains(string(got.Body), "auth") {
		t.Errorf("webhook body carries auth: %s", got.Body)
	}
}

func TestOAuthCall(t *testing.T) {
	s := newPortal(t)
	// A scheme-less loopback address (OPI style) means plain http, the way local fake portals speak.
	schemeless := strings.TrimPrefix(s.URL(), "http://")
	for _, portal := range []string{s.URL(), s.URL() + "/", s.URL() + "/rest", s.URL() + "/rest/", schemeless, schemeless + "/rest/"} {
		s.ResetCalls()
		c, err := b24.NewOAuth(portal, s.Token())
		if err != nil {
			t.Fatalf("NewOAuth(%q): %v", portal, err)
		}
		if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
			t.Fatalf("Do via %q: %v", portal, err)
		}
		got := s.Calls()[0]
		if got.Path != "/rest/im.dialog.unread" || got.Auth != "token" {
			t.Errorf("%q: path %q auth %q", portal, got.Path, got.Auth)
		}
		var body map[string]any
		if err := json.Unmarshal(got.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body["auth"] != s.Token() || body["DIALOG_ID"] != "chat5" {
			t.Errorf("body = %s", got.Body)
		}
		if _, ok := got.Params["auth"]; ok {
			t.Errorf("auth left in Params")
		}
	}
}

func TestNewPicksMode(t *testing.T) {
	c, err := b24.New("portal.bitrix24.by/rest/1/"+secret+"/", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "b24.Client(webhook https://portal.bitrix24.by/rest/1/***)" {
		t.Errorf("webhook client = %s", got)
	}
	c, err = b24.New("portal.bitrix24.by", "tok")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "b24.Client(oauth https://portal.bitrix24.by/rest)" {
		t.Errorf("oauth client = %s", got)
	}
}

func TestParamsEncoding(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.echo", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	wh := webhook(t, s)
	type params struct {
		ID   b24.Int      `json:"ID"`
		Flag b24.YesNo    `json:"FLAG"`
		Opt  *string      `json:"OPT,omitempty"`
		Dlg  b24.DialogID `json:"DIALOG_ID"`
	}
	cases := []struct {
		name   string
		params any
		want   string
	}{
		{"nil", nil, `{}`},
		{"nil map", map[string]any(nil), `{}`},
		{"struct", &params{ID: 3, Flag: true, Dlg: b24.UserDialog(15)}, `{"ID":3,"FLAG":"Y","DIALOG_ID":"15"}`},
		{"raw", json.RawMessage(`{"A":[1,2]}`), `{"A":[1,2]}`},
		{"positional", json.RawMessage(`[123,{"POST_MESSAGE":"x"}]`), `[123,{"POST_MESSAGE":"x"}]`},
	}
	for _, tc := range cases {
		s.ResetCalls()
		if _, err := wh.Do(context.Background(), "x.echo", tc.params); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := string(s.Calls()[0].Body); got != tc.want {
			t.Errorf("%s: body %s, want %s", tc.name, got, tc.want)
		}
	}
	if _, err := wh.Do(context.Background(), "x.echo", json.RawMessage(`{bad`)); err == nil {
		t.Errorf("invalid raw JSON accepted")
	}
	if _, err := wh.Do(context.Background(), "x.echo", func() {}); err == nil {
		t.Errorf("unmarshalable params accepted")
	}

	oc := oauth(t, s)
	s.ResetCalls()
	if _, err := oc.Do(context.Background(), "x.echo", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := string(s.Calls()[0].Body), `{"auth":"t0k3nvalue1234"}`; got != want {
		t.Errorf("oauth nil params: body %s, want %s", got, want)
	}
	s.ResetCalls()
	if _, err := oc.Do(context.Background(), "x.echo", []int{1, 2}); err != nil {
		t.Fatalf("oauth array params: %v", err)
	}
	if c := s.Calls()[0]; string(c.Body) != `[1,2]` || c.Auth != "token" {
		t.Errorf("oauth array params: body %s, auth %q; want [1,2] with the token in the query", c.Body, c.Auth)
	}
	for _, p := range []any{"text", 5, json.RawMessage(`true`)} {
		_, err := oc.Do(context.Background(), "x.echo", p)
		if err == nil || !strings.Contains(err.Error(), "JSON object or array") {
			t.Errorf("oauth %T params: err = %v, want a JSON object or array error", p, err)
		}
		if err != nil && strings.Contains(err.Error(), "t0k3nvalue1234") {
			t.Errorf("token in error")
		}
	}
}

// positionalParams is shaped like generated params of a positional method (task.commentitem.add).
type positionalParams struct {
	DialogID b24.DialogID
	Message  *b24.Int
}

func (p positionalParams) MarshalJSON() ([]byte, error) {
	return b24.MarshalPositional(p.DialogID, p.Message)
}

func TestPositionalParams(t *testing.T) {
	s := newPortal(t)
	for _, mode := range []string{"webhook", "token"} {
		c := webhook(t, s)
		if mode == "token" {
			c = oauth(t, s)
		}
		s.ResetCalls()
		// b24test reads a positional body by position.
		resp, err := b24.Call[b24.Bool](context.Background(), c, "im.dialog.unread",
			positionalParams{DialogID: "chat5", Message: b24.Ptr(b24.Int(7))})
		if err != nil || !resp.Result {
			t.Fatalf("%s: %v, %v", mode, resp, err)
		}
		call := s.Calls()[0]
		if string(call.Body) != `["chat5",7]` || call.Auth != mode || call.ContentType != "application/json" {
			t.Errorf("%s: body %s, auth %q, content type %q", mode, call.Body, call.Auth, call.ContentType)
		}
		if len(call.Params) != 2 || call.Params["0"] != "chat5" || call.Params["1"] != json.Number("7") {
			t.Errorf("%s: params %#v, want keys 0 and 1 only (auth removed)", mode, call.Params)
		}

		// task.commentitem.add takes TASKID and FIELDS by position: one value leaves FIELDS missing.
		_, err = c.Do(context.Background(), "task.commentitem.add", json.RawMessage(`[5]`))
		if !errors.Is(err, b24.ErrArgument) || !strings.Contains(err.Error(), "FIELDS") {
			t.Errorf("%s: one of two required positional values: err = %v", mode, err)
		}
		if err != nil && strings.Contains(err.Error(), s.Token()) {
			t.Errorf("%s: token in error", mode)
		}
	}
}

// In token mode a positional body has no room for auth, so the token must travel in the query string
// (and nowhere else: not in the body, not as a header).
func TestPositionalTokenInQuery(t *testing.T) {
	s := newPortal(t)
	var query url.Values
	var authz string
	s.HandleHTTP("x.raw", func(w http.ResponseWriter, r *http.Request) {
		query, authz = r.URL.Query(), r.Header.Get("Authorization")
		fmt.Fprint(w, `{"result":true}`)
	})
	if _, err := oauth(t, s).Do(context.Background(), "x.raw", json.RawMessage(`[1,null,{"A":"b"}]`)); err != nil {
		t.Fatal(err)
	}
	// b24test has read the body before the handler runs; the recorded call has it.
	body := string(s.Calls()[0].Body)
	if query.Get("auth") != s.Token() || len(query) != 1 || body != `[1,null,{"A":"b"}]` || authz != "" {
		t.Errorf("query %v, body %s, Authorization %q", query, body, authz)
	}
	s.ResetCalls()
	if _, err := webhook(t, s).Do(context.Background(), "x.raw", []int{1}); err != nil {
		t.Fatal(err)
	}
	if body = string(s.Calls()[0].Body); len(query) != 0 || body != `[1]` {
		t.Errorf("webhook: query %v, body %s", query, body)
	}
}

// Whatever query the Location has, the token sent is the client's own, exactly once.
func TestRedirectPositionalOAuth(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.echo", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	locations := map[string]func(r *http.Request) string{
		"path only":    func(r *http.Request) string { return s.URL() + r.URL.Path },
		"echoed query": func(r *http.Request) string { return s.URL() + r.URL.RequestURI() },
		"stale auth":   func(r *http.Request) string { return s.URL() + r.URL.Path + "?auth=stale&auth=older" },
	}
	for name, loc := range locations {
		s.ResetCalls()
		moved, hits := movedPortal(t, http.StatusTemporaryRedirect, loc)
		c, err := b24.NewOAuth(moved.URL, s.Token())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Do(context.Background(), "x.echo", []string{"a"}); err != nil {
			t.Fatalf("%s: redirected positional call: %v", name, err)
		}
		calls := s.Calls()
		if hits.Load() != 1 || len(calls) != 1 || calls[0].Auth != "token" || string(calls[0].Body) != `["a"]` {
			t.Errorf("%s: hits %d, calls %+v", name, hits.Load(), calls)
		}
	}
}

func TestBadMethodName(t *testing.T) {
	c := webhook(t, newPortal(t))
	for _, m := range []string{"", "im.dialog.get?x=1", "../secret", "a b"} {
		if _, err := c.Do(context.Background(), m, nil); err == nil {
			t.Errorf("method %q accepted", m)
		}
	}
}

func TestUserAgentAndHeaders(t *testing.T) {
	s := newPortal(t)
	var ua, accept, ct atomic.Value
	s.HandleHTTP("x.headers", func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		accept.Store(r.Header.Get("Accept"))
		ct.Store(r.Header.Get("Content-Type"))
		fmt.Fprint(w, `{"result":true}`)
	})
	if _, err := webhook(t, s).Do(context.Background(), "x.headers", nil); err != nil {
		t.Fatal(err)
	}
	if ua.Load() != "b24gen/"+b24.Version || accept.Load() != "application/json" || ct.Load() != "application/json" {
		t.Errorf("UA %q Accept %q Content-Type %q", ua.Load(), accept.Load(), ct.Load())
	}
	if _, err := webhook(t, s, b24.WithUserAgent("my-app/2.0")).Do(context.Background(), "x.headers", nil); err != nil {
		t.Fatal(err)
	}
	if ua.Load() != "my-app/2.0" {
		t.Errorf("UA override = %q", ua.Load())
	}
}

func TestEnvelopeDecoding(t *testing.T) {
	s := newPortal(t)
	const body = `{"result":{"items":[1]},"total":"120","next":50,"time":{"start":1769508415,"finish":1769508415.5,` +
		`"duration":0.5,"processing":1,"date_start":"2026-01-27T10:06:55+03:00","date_finish":"2026-01-27T10:06:55+03:00",` +
		`"operating_reset_at":1769509015,"operating":2.25}}`
	s.HandleHTTP("x.list", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	raw, err := webhook(t, s).Do(context.Background(), "x.list", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw.Body) != body || string(raw.Result) != `{"items":[1]}` || raw.Status != 200 {
		t.Errorf("raw = %+v", raw)
	}
	want := b24.Time{Start: 1769508415, Finish: 1769508415.5, Duration: 0.5, Processing: 1,
		DateStart: "2026-01-27T10:06:55+03:00", DateFinish: "2026-01-27T10:06:55+03:00",
		OperatingResetAt: 1769509015, Operating: 2.25}
	if raw.Total != 120 || raw.Next != 50 || raw.Time != want {
		t.Errorf("total %d next %d time %+v", raw.Total, raw.Next, raw.Time)
	}
}

func TestCallCopiesPage(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.list", func(b24test.Call) (any, *b24.APIError) {
		return b24test.Page([]map[string]any{{"ID": "1"}, {"ID": 2}}, 75, 50), nil
	})
	resp, err := b24.Call[[]struct {
		ID b24.Int `json:"ID"`
	}](context.Background(), webhook(t, s), "x.list", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Result) != 2 || resp.Result[0].ID != 1 || resp.Result[1].ID != 2 || resp.Total != 75 || resp.Next != 50 {
		t.Errorf("resp = %+v", resp)
	}
	if resp.Time.Start == 0 {
		t.Errorf("time not copied")
	}
	// A last page has no next.
	s.Handle("x.list", func(b24test.Call) (any, *b24.APIError) { return b24test.Page([]int{}, 75, 0), nil })
	resp2, err := b24.Call[[]int](context.Background(), webhook(t, s), "x.list", nil)
	if err != nil || resp2.Next != 0 || resp2.Total != 75 {
		t.Errorf("last page: %+v, %v", resp2, err)
	}
}

// TestCallDecodeError: a result that does not fit the type is a *ResultError that says the call
// ran and carries the raw result, and the response's envelope data still comes back.
func TestCallDecodeError(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.bad", func(b24test.Call) (any, *b24.APIError) {
		return b24test.Page(map[string]any{"task": true}, 7, 0), nil
	})
	resp, err := b24.Call[b24.Bool](context.Background(), webhook(t, s), "x.bad", nil)
	var re *b24.ResultError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want a *b24.ResultError", err, err)
	}
	if !strings.Contains(err.Error(), "x.bad: the call succeeded") || !strings.Contains(err.Error(), "b24.Bool") {
		t.Errorf("message %q does not say the call ran and which type failed", err)
	}
	if string(re.Raw) != `{"task":true}` || re.Method != "x.bad" {
		t.Errorf("ResultError = %s %s", re.Method, re.Raw)
	}
	if resp == nil || resp.Total != 7 || bool(resp.Result) {
		t.Errorf("response = %+v, want total 7 and a zero result", resp)
	}
}

func TestAPIError(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.fail", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ERROR_CORE", Description: "Something broke", Status: 400}
	})
	_, err := webhook(t, s).Do(context.Background(), "x.fail", nil)
	var ae *b24.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v", err, err)
	}
	if ae.Code != "ERROR_CORE" || ae.Description != "Something broke" || ae.Status != 400 || ae.Method != "x.fail" ||
		!strings.Contains(string(ae.Body), `"error":"ERROR_CORE"`) {
		t.Errorf("APIError = %+v", ae)
	}
	if got, want := err.Error(), "x.fail: ERROR_CORE: Something broke (HTTP 400)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if errors.Is(err, b24.ErrAccessDenied) {
		t.Errorf("ERROR_CORE matched ACCESS_DENIED")
	}
}

func TestErrorsIsIgnoresCase(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.a", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "EXPIRED_TOKEN", Status: 401}
	})
	s.Handle("x.b", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "query_limit_exceeded", Status: 429}
	})
	c := webhook(t, s, b24.WithRetry(0, 0))
	_, err := c.Do(context.Background(), "x.a", nil)
	if !errors.Is(err, b24.ErrExpiredToken) {
		t.Errorf("EXPIRED_TOKEN is not ErrExpiredToken: %v", err)
	}
	_, err = c.Do(context.Background(), "x.b", nil)
	if !errors.Is(err, b24.ErrQueryLimitExceeded) {
		t.Errorf("query_limit_exceeded is not ErrQueryLimitExceeded: %v", err)
	}
	if errors.Is(err, b24.ErrExpiredToken) {
		t.Errorf("wrong sentinel matched")
	}
	wrapped := fmt.Errorf("outer: %w", err)
	if !errors.Is(wrapped, b24.ErrQueryLimitExceeded) {
		t.Errorf("wrapped error lost its code")
	}
}

func TestExpiredToken(t *testing.T) {
	s := newPortal(t)
	c := oauth(t, s)
	fresh := s.ExpireToken()
	_, err := c.Do(context.Background(), "im.dialog.unread", unreadParams)
	if !errors.Is(err, b24.ErrExpiredToken) {
		t.Fatalf("err = %v, want expired_token", err)
	}
	var ae *b24.APIError
	if errors.As(err, &ae) && ae.Status != 401 {
		t.Errorf("status %d", ae.Status)
	}
	if len(s.Calls()) != 1 {
		t.Errorf("expired token retried: %d calls", len(s.Calls()))
	}
	c2, _ := b24.NewOAuth(s.URL(), fresh)
	if _, err := c2.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
		t.Errorf("fresh token: %v", err)
	}
}

func TestV3ErrorShape(t *testing.T) {
	s := newPortal(t)
	s.HandleHTTP("tasks.task.get", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":{"code":"BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION","message":"Task not found"}}`)
	})
	_, err := webhook(t, s).Do(context.Background(), "tasks.task.get", nil)
	var ae *b24.APIError
	if !errors.As(err, &ae) || ae.Code != "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION" || ae.Description != "Task not found" || ae.Status != 400 {
		t.Errorf("err = %#v", err)
	}
}

func TestNonJSONBody(t *testing.T) {
	s := newPortal(t)
	s.HandleHTTP("x.proxy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	})
	_, err := webhook(t, s).Do(context.Background(), "x.proxy", nil)
	var he *b24.HTTPError
	if !errors.As(err, &he) || he.Status != 502 || he.ContentType != "text/html" {
		t.Fatalf("err = %T %v", err, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "HTTP 502") || !strings.Contains(msg, "not JSON") || strings.Contains(msg, "invalid character") {
		t.Errorf("message = %q", msg)
	}
	if len(s.Calls()) != 1 {
		t.Errorf("a 502 was retried: %d calls", len(s.Calls()))
	}
}

func TestRetryQueryLimit(t *testing.T) {
	s := newPortal(t)
	s.FailNext("im.dialog.unread", 2, b24test.QueryLimitExceeded())
	resp, err := b24.Call[b24.Bool](context.Background(), webhook(t, s), "im.dialog.unread", unreadParams)
	if err != nil || !resp.Result {
		t.Fatalf("after 2 limits: %v", err)
	}
	if n := len(s.Calls()); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
	for _, c := range s.Calls() {
		if c.Params["DIALOG_ID"] != "chat5" {
			t.Errorf("retry lost the body: %s", c.Body)
		}
	}

	s.ResetCalls()
	s.FailNext("im.dialog.unread", 10, b24test.QueryLimitExceeded())
	_, err = webhook(t, s, b24.WithRetry(2, time.Millisecond)).Do(context.Background(), "im.dialog.unread", unreadParams)
	if !errors.Is(err, b24.ErrQueryLimitExceeded) {
		t.Errorf("err = %v", err)
	}
	if n := len(s.Calls()); n != 3 {
		t.Errorf("%d calls with 2 retries, want 3", n)
	}
}

func TestNoRetryOfOtherErrors(t *testing.T) {
	for _, e := range []*b24.APIError{
		{Code: "INTERNAL_SERVER_ERROR", Description: "Internal server error", Status: 500},
		{Code: "OVERLOAD_LIMIT", Description: "REST API is blocked due to overload", Status: 503},
	} {
		s := newPortal(t)
		s.FailNext("im.dialog.unread", 1, e)
		_, err := webhook(t, s).Do(context.Background(), "im.dialog.unread", unreadParams)
		if !errors.Is(err, &b24.APIError{Code: e.Code}) {
			t.Errorf("%s: err = %v", e.Code, err)
		}
		if n := len(s.Calls()); n != 1 {
			t.Errorf("%s retried: %d calls", e.Code, n)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	s := newPortal(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := webhook(t, s).Do(ctx, "im.dialog.unread", unreadParams)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Errorf("secret in %q", err)
	}
}

func TestCallTimeout(t *testing.T) {
	s := newPortal(t)
	s.HandleHTTP("x.slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	_, err := webhook(t, s).Do(context.Background(), "x.slow", nil, b24.WithCallTimeout(20*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	// The back-off wait also gives up when the call's time is up.
	s.FailNext("im.dialog.unread", 5, b24test.QueryLimitExceeded())
	c := webhook(t, s, b24.WithRetry(3, time.Hour))
	_, err = c.Do(context.Background(), "im.dialog.unread", unreadParams, b24.WithCallTimeout(20*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("back-off: err = %v, want deadline exceeded", err)
	}
}

func TestHTTPClientTimeout(t *testing.T) {
	s := newPortal(t)
	s.HandleHTTP("x.slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	for _, opt := range [][]b24.Option{
		{b24.WithTimeout(20 * time.Millisecond)},
		{b24.WithHTTPClient(&http.Client{}), b24.WithTimeout(20 * time.Millisecond)},
	} {
		_, err := webhook(t, s, opt...).Do(context.Background(), "x.slow", nil)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("err = %v", err)
		}
	}
}

func TestURLValidation(t *testing.T) {
	good := []string{
		"https://portal.bitrix24.by/rest/1/" + secret,
		"portal.bitrix24.by/rest/1/" + secret + "/",
		"http://127.0.0.1:8080/rest/1/" + secret,
		"http://localhost/rest/1/" + secret,
		"http://[::1]:9/rest/12/" + secret,
	}
	for _, u := range good {
		if _, err := b24.NewWebhook(u); err != nil {
			t.Errorf("NewWebhook(%q): %v", u, err)
		}
	}
	bad := []struct{ url, want string }{
		{"http://portal.bitrix24.by/rest/1/" + secret, "http:// is allowed only for loopback"},
		{"ftp://portal.bitrix24.by/rest/1/" + secret, "scheme"},
		{"https://portal.bitrix24.by/rest/1/" + secret + "?x=1", "query"},
		{"https://portal.bitrix24.by/rest/1/" + secret + "#frag", "fragment"},
		{"https://user:" + secret + "@portal.bitrix24.by/rest/1/" + secret, "credentials"},
		{"https:///rest/1/" + secret, "no host"},
		{"https://portal.bitrix24.by/1/" + secret, "/rest/<user id>/<secret>"},
		{"https://portal.bitrix24.by/rest/1", "/rest/<user id>/<secret>"},
		{"https://portal.bitrix24.by/rest/admin/" + secret, "/rest/<user id>/<secret>"},
		{"https://portal.bitrix24.by/rest/1/" + secret + "/profile.json", "/rest/<user id>/<secret>"},
		{"", "empty"},
		{"https://portal.bitrix24.by/%zz/rest/1/" + secret, "not a valid URL"},
	}
	for _, tc := range bad {
		_, err := b24.New(tc.url, "")
		if err == nil {
			t.Errorf("New(%q) accepted", tc.url)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q) = %q, want it to mention %q", tc.url, err, tc.want)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("secret printed: %q", err)
		}
	}
	_, err := b24.New("http://portal.bitrix24.by/rest/1/"+secret, "")
	if err == nil || !strings.Contains(err.Error(), `"http://portal.bitrix24.by/rest/1/***"`) {
		t.Errorf("redacted URL missing from %v", err)
	}

	for _, p := range []string{"https://portal.bitrix24.by/other/", "http://portal.bitrix24.by", "https://portal.bitrix24.by/?auth=" + secret} {
		_, err := b24.NewOAuth(p, "tok")
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("NewOAuth(%q) = %v", p, err)
		}
	}
	if _, err := b24.NewOAuth("https://portal.bitrix24.by", "  "); err == nil {
		t.Errorf("empty token accepted")
	}
}

// movedPortal answers every request with a redirect to target (plus the same path) and counts hits.
func movedPortal(t *testing.T, status int, target func(r *http.Request) string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Location", target(r))
		w.WriteHeader(status)
		fmt.Fprint(w, "<html>moved</html>")
	}))
	t.Cleanup(old.Close)
	return old, &hits
}

func TestRedirectRePOSTs(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		s := newPortal(t)
		old, hits := movedPortal(t, status, func(r *http.Request) string { return s.URL() + r.URL.Path })
		c, err := b24.NewWebhook(old.URL + "/rest/1/" + secret)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := b24.Call[b24.Bool](context.Background(), c, "im.dialog.unread", unreadParams); err != nil {
				t.Fatalf("%d: %v", status, err)
			}
		}
		calls := s.Calls()
		if len(calls) != 2 || calls[0].HTTPMethod != "POST" || calls[0].Params["MESSAGE_ID"] != json.Number("7") {
			t.Errorf("%d: calls at new host = %+v", status, calls)
		}
		if hits.Load() != 1 {
			t.Errorf("%d: old host hit %d times, want 1 (the client should remember the new host)", status, hits.Load())
		}
	}
}

func TestRedirectOAuthKeepsBody(t *testing.T) {
	s := newPortal(t)
	old, _ := movedPortal(t, 302, func(r *http.Request) string { return s.URL() + r.URL.Path })
	c, err := b24.NewOAuth(old.URL, s.Token())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
		t.Fatal(err)
	}
	if got := s.Calls()[0]; got.Auth != "token" || got.Params["DIALOG_ID"] != "chat5" {
		t.Errorf("call = %+v", got)
	}
}

func TestRedirectLimits(t *testing.T) {
	// Two hops: old → middle → new.
	s := newPortal(t)
	middle, _ := movedPortal(t, 302, func(r *http.Request) string { return s.URL() + r.URL.Path })
	old, _ := movedPortal(t, 302, func(r *http.Request) string { return middle.URL + r.URL.Path })
	c, _ := b24.NewWebhook(old.URL + "/rest/1/" + secret)
	_, err := c.Do(context.Background(), "im.dialog.unread", unreadParams)
	if err == nil || !strings.Contains(err.Error(), "more than once") || strings.Contains(err.Error(), secret) {
		t.Errorf("two hops: %v", err)
	}
	if len(s.Calls()) != 0 {
		t.Errorf("second hop followed")
	}
	// A redirect to plain http on a public host would send the secret in clear text.
	evil, _ := movedPortal(t, 302, func(r *http.Request) string { return "http://portal.example.com" + r.URL.Path })
	c, _ = b24.NewWebhook(evil.URL + "/rest/1/" + secret)
	_, err = c.Do(context.Background(), "im.dialog.unread", unreadParams)
	if err == nil || !strings.Contains(err.Error(), "not https") || strings.Contains(err.Error(), secret) {
		t.Errorf("redirect to http: %v", err)
	}
	noLoc, _ := movedPortal(t, 302, func(r *http.Request) string { return "" })
	c, _ = b24.NewWebhook(noLoc.URL + "/rest/1/" + secret)
	if _, err = c.Do(context.Background(), "im.dialog.unread", unreadParams); err == nil {
		t.Errorf("redirect without Location accepted")
	}
}

// Secrets must not leak through net/http's *url.Error, which quotes the request URL.
func TestSecretsAbsentFromTransportErrors(t *testing.T) {
	const token = "t0k3nthatmustnotleak"
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(plain.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close() // nothing listens there any more

	tlsURL := "https://" + strings.TrimPrefix(plain.URL, "http://") // TLS to a plain HTTP server
	// A refused connection is retried (nothing ran): quickly here, and unpaced (a refusal fills the
	// bucket, which would pace each retry at the steady rate).
	fast := []b24.Option{b24.WithRetry(2, time.Millisecond), b24.WithRateLimit(0, 0)}
	clients := map[string]func() (*b24.Client, error){
		"webhook unreachable": func() (*b24.Client, error) { return b24.NewWebhook(closedURL+"/rest/1/"+secret, fast...) },
		"webhook tls":         func() (*b24.Client, error) { return b24.NewWebhook(tlsURL+"/rest/1/"+secret, fast...) },
		"oauth unreachable":   func() (*b24.Client, error) { return b24.NewOAuth(closedURL, token, fast...) },
		"oauth tls":           func() (*b24.Client, error) { return b24.NewOAuth(tlsURL, token, fast...) },
	}
	for name, mk := range clients {
		c, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// An array body puts the token in the query string, which net/http quotes in *url.Error.
		for pname, params := range map[string]any{"object": unreadParams, "array": []any{"chat5", 7}} {
			_, err = c.Do(context.Background(), "im.dialog.unread", params)
			if err == nil {
				t.Fatalf("%s, %s params: no error", name, pname)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if msg := e.Error(); strings.Contains(msg, secret) || strings.Contains(msg, token) {
					t.Errorf("%s, %s params: secret in %T: %q", name, pname, e, msg)
				}
			}
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Errorf("%s, %s params: *url.Error lost from the chain: %v", name, pname, err)
			} else if strings.Contains(ue.URL, secret) || strings.Contains(ue.URL, token) {
				t.Errorf("%s, %s params: secret in url.Error.URL %q", name, pname, ue.URL)
			}
			if !strings.Contains(err.Error(), "im.dialog.unread") {
				t.Errorf("%s, %s params: method missing from %q", name, pname, err)
			}
		}
	}
}

// A token with characters that the query string escapes must not leak in either spelling.
func TestEscapedTokenAbsentFromTransportErrors(t *testing.T) {
	const token = "t0k/3n+mustnot=leak"
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	c, err := b24.NewOAuth(closedURL, token, b24.WithRetry(1, time.Millisecond)) // a refused connection is retried: quickly
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), "task.commentitem.add", json.RawMessage(`[1,{"POST_MESSAGE":"x"}]`))
	if err == nil {
		t.Fatal("no error")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg := e.Error()
		if strings.Contains(msg, token) || strings.Contains(msg, url.QueryEscape(token)) || strings.Contains(msg, "mustnot") {
			t.Errorf("token in %T: %q", e, msg)
		}
	}
	if !strings.Contains(err.Error(), "auth=***") {
		t.Errorf("err = %q, want the redacted query visible for orientation", err)
	}
}

func TestServerErrorsDoNotEchoSecret(t *testing.T) {
	s := newPortal(t)
	s.HandleHTTP("x.echo", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"error":"BAD","error_description":"bad request to %s with %s"}`, r.URL.Path, body)
	})
	for _, c := range []*b24.Client{webhook(t, s), oauth(t, s)} {
		_, err := c.Do(context.Background(), "x.echo", nil)
		if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), s.Token()) {
			t.Errorf("err = %v", err)
		}
	}
}

func TestOddAnswers(t *testing.T) {
	s := newPortal(t)
	bodies := map[string]string{"x.array": `[1,2]`, "x.empty": ``, "x.nothing": `{"time":{}}`}
	notes := map[string]string{"x.array": "not a Bitrix24 envelope", "x.empty": "empty answer", "x.nothing": "without result or error"}
	for m, body := range bodies {
		s.HandleHTTP(m, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
		_, err := webhook(t, s).Do(context.Background(), m, nil)
		var he *b24.HTTPError
		if !errors.As(err, &he) || he.Status != 200 || !strings.Contains(err.Error(), notes[m]) {
			t.Errorf("%s: err = %v", m, err)
		}
	}
}

func TestHTTPClientNotModified(t *testing.T) {
	s := newPortal(t)
	hc := &http.Client{Timeout: time.Minute}
	c, err := b24.NewWebhook(s.WebhookURL(), b24.WithHTTPClient(hc), b24.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil || hc.Timeout != time.Minute {
		t.Errorf("the caller's http.Client was changed")
	}
}

func TestConcurrentCalls(t *testing.T) {
	s := newPortal(t)
	old, _ := movedPortal(t, 308, func(r *http.Request) string { return s.URL() + r.URL.Path })
	c, _ := b24.NewWebhook(old.URL + "/rest/1/" + secret)
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			_, err := b24.Call[b24.Bool](context.Background(), c, "im.dialog.unread", unreadParams)
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := len(s.Calls()); n != 16 {
		t.Errorf("%d calls reached the new host, want 16", n)
	}
}
