package b24event_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/b24test"
)

// parsing records what Parse made of each delivery and answers 200, or 403 on an error.
func parsing(tokens b24event.TokenFunc, got *[]*b24event.Event, errs *[]error) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := b24event.Parse(r, tokens)
		if err != nil {
			*errs = append(*errs, err)
			w.WriteHeader(http.StatusForbidden)
			return
		}
		*got = append(*got, ev)
	}))
}

// TestParse: an event the fake portal sends arrives with its name, data as JSON (values as the form
// carried them: strings), time and auth.
func TestParse(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	var got []*b24event.Event
	var errs []error
	h := parsing(b24event.Token(s.ApplicationToken()), &got, &errs)
	defer h.Close()
	status, err := s.SendEvent(h.URL, "onCrmDealAdd", map[string]any{"FIELDS": map[string]any{"ID": 42}, "LIST": []any{"a", "b"}})
	if err != nil || status != http.StatusOK || len(errs) != 0 {
		t.Fatalf("status %d, %v, handler errors %v", status, err, errs)
	}
	ev := got[0]
	if ev.Name != "ONCRMDEALADD" || ev.HandlerID != "1" || time.Since(ev.Time) > time.Hour {
		t.Errorf("event %+v", ev)
	}
	if string(ev.Data) != `{"FIELDS":{"ID":"42"},"LIST":["a","b"]}` {
		t.Errorf("data %s", ev.Data)
	}
	if ev.Auth.AccessToken != s.Token() || ev.Auth.ClientEndpoint != s.URL()+"/rest/" || ev.Auth.MemberID != "b24test" || ev.Auth.ExpiresIn != 3600 {
		t.Errorf("auth %+v", ev.Auth)
	}
}

// TestParseRejects: a wrong token, or a portal the app does not know, is ErrToken and shows no
// token; other bad requests are errors.
func TestParseRejects(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	var got []*b24event.Event
	var errs []error
	for _, tokens := range []b24event.TokenFunc{
		b24event.Token("the-token-we-stored"),
		func(string) (string, bool) { return s.ApplicationToken(), false }, // a portal not installed
		b24event.Token(""),
	} {
		h := parsing(tokens, &got, &errs)
		if status, _ := s.SendEvent(h.URL, "ONCRMDEALADD", nil); status != http.StatusForbidden || len(got) != 0 {
			t.Errorf("status %d, accepted %v", status, got)
		}
		h.Close()
	}
	for _, err := range errs {
		if !errors.Is(err, b24event.ErrToken) || strings.Contains(err.Error(), s.ApplicationToken()) {
			t.Errorf("error %v", err)
		}
	}
	for name, req := range map[string]*http.Request{
		"GET":     httptest.NewRequest(http.MethodGet, "/", nil),
		"no name": httptest.NewRequest(http.MethodPost, "/", strings.NewReader("auth[application_token]=t")),
		"bad":     httptest.NewRequest(http.MethodPost, "/", strings.NewReader("%zz")),
	} {
		if _, err := b24event.Parse(req, b24event.Token("t")); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
