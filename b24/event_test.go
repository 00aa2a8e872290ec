package b24_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/google/go-cmp/cmp"
)

// handler records what ParseEvent made of each delivery and answers 200, or 403 on an error.
func handler(token string, got *[]*b24.Event, errs *[]error) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := b24.ParseEvent(r, token)
		if err != nil {
			*errs = append(*errs, err)
			w.WriteHeader(http.StatusForbidden)
			return
		}
		*got = append(*got, ev)
	}))
}

// TestParseEvent: an event the fake portal sends arrives with its name, nested data, time and auth.
func TestParseEvent(t *testing.T) {
	s := newPortal(t)
	var got []*b24.Event
	var errs []error
	h := handler(s.ApplicationToken(), &got, &errs)
	defer h.Close()
	status, err := s.SendEvent(h.URL, "onCrmDealAdd", map[string]any{"FIELDS": map[string]any{"ID": 42}})
	if err != nil || status != http.StatusOK || len(errs) != 0 {
		t.Fatalf("status %d, %v, handler errors %v", status, err, errs)
	}
	ev := got[0]
	if ev.Name != "ONCRMDEALADD" || ev.HandlerID != "1" || time.Since(ev.Time) > time.Hour {
		t.Errorf("event %+v", ev)
	}
	if d := cmp.Diff(map[string]any{"FIELDS": map[string]any{"ID": "42"}}, ev.Data); d != "" {
		t.Errorf("data (-want +got):\n%s", d)
	}
	if ev.Auth.AccessToken != s.Token() || ev.Auth.ClientEndpoint != s.URL()+"/rest/" || ev.Auth.MemberID != "b24test" || ev.Auth.ExpiresIn != 3600 {
		t.Errorf("auth %+v", ev.Auth)
	}
}

// TestParseEventRejects: a wrong token is ErrEventToken and shows no token; other bad requests are errors.
func TestParseEventRejects(t *testing.T) {
	s := newPortal(t)
	var got []*b24.Event
	var errs []error
	h := handler("the-token-we-stored", &got, &errs)
	defer h.Close()
	if status, _ := s.SendEvent(h.URL, "ONCRMDEALADD", nil); status != http.StatusForbidden || len(got) != 0 {
		t.Errorf("status %d, accepted %v", status, got)
	}
	if len(errs) != 1 || !errors.Is(errs[0], b24.ErrEventToken) || strings.Contains(errs[0].Error(), s.ApplicationToken()) {
		t.Errorf("errors %v", errs)
	}
	for name, req := range map[string]*http.Request{
		"GET":     httptest.NewRequest(http.MethodGet, "/", nil),
		"no name": httptest.NewRequest(http.MethodPost, "/", strings.NewReader("auth[application_token]=t")),
		"bad":     httptest.NewRequest(http.MethodPost, "/", strings.NewReader("%zz")),
	} {
		if _, err := b24.ParseEvent(req, "t"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := b24.ParseEvent(httptest.NewRequest(http.MethodPost, "/", nil), ""); err == nil {
		t.Error("an empty expected token must be refused")
	}
}
