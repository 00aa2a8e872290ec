package b24event_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/eventdata"
)

// TestHandlerAnswersFirst: the portal gets its 200 while the registered function is still running;
// the function gets the data typed (the ID a number, keys it does not declare kept); a forged event
// gets 401 and reaches no function; an event no function is registered for reaches the fallback;
// a full queue answers 503.
func TestHandlerAnswersFirst(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	release := make(chan struct{})
	got := make(chan *eventdata.OnCrmDealAdd, 1)
	entered := make(chan struct{}, 3)
	refused := make(chan error, 1)
	h := b24event.NewHandler(b24event.Token(s.ApplicationToken()), b24event.WithQueue(1, 1),
		b24event.WithErrors(func(_ *b24event.Event, err error) { refused <- err }))
	b24event.On(h, func(_ context.Context, ev *b24event.Event, d *eventdata.OnCrmDealAdd) error {
		entered <- struct{}{}
		<-release
		got <- d
		return nil
	})
	fallback := make(chan string, 4)
	h.Fallback(func(_ context.Context, ev *b24event.Event) error { fallback <- ev.Name; return nil })
	srv := httptest.NewServer(h)
	defer srv.Close()

	start := time.Now()
	code, err := s.SendEvent(srv.URL, "onCrmDealAdd", map[string]any{"FIELDS": map[string]any{"ID": "42", "UF_CRM_X": "y"}})
	if err != nil || code != http.StatusOK {
		t.Fatalf("HTTP %d, %v", code, err)
	}
	select {
	case <-got:
		t.Fatal("the function finished before the answer")
	default:
	}
	<-entered // the worker holds the first event
	// the queue (1) now fills while the worker is held: the next event waits, the one after is refused
	if code, _ := s.SendEvent(srv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "43"}}); code != http.StatusOK {
		t.Errorf("queued: HTTP %d", code)
	}
	if code, _ := s.SendEvent(srv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "44"}}); code != http.StatusServiceUnavailable {
		t.Errorf("queue full: HTTP %d, want 503", code)
	}
	if err := <-refused; err == nil {
		t.Error("a refused event was not reported")
	}
	close(release)
	d := <-got
	<-got // the queued one
	if d.Fields.ID != 42 || string(d.Fields.Extra["UF_CRM_X"]) != `"y"` {
		t.Errorf("data %+v", d.Fields)
	}
	t.Logf("answered in %v while the function waited", time.Since(start))

	forged := b24event.NewHandler(b24event.Token("another"))
	b24event.On(forged, func(context.Context, *b24event.Event, *eventdata.OnCrmDealAdd) error {
		t.Error("a forged event reached the function")
		return nil
	})
	fsrv := httptest.NewServer(forged)
	defer fsrv.Close()
	if code, _ := s.SendEvent(fsrv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "1"}}); code != http.StatusUnauthorized {
		t.Errorf("forged: HTTP %d, want 401", code)
	}
	forged.Close()

	if code, _ := s.SendEvent(srv.URL, "ONSOMETHINGNEW", map[string]any{"X": "1"}); code != http.StatusOK {
		t.Errorf("unknown event: HTTP %d", code)
	}
	h.Close()
	select {
	case name := <-fallback:
		if name != "ONSOMETHINGNEW" {
			t.Errorf("fallback got %s", name)
		}
	default:
		t.Error("the fallback got nothing")
	}
}
