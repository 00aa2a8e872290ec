package b24event_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/b24test"
)

func appClient(t *testing.T, s *b24test.Server) *b24.Client {
	t.Helper()
	c, err := b24.New(s.URL(), s.Token(), b24.WithRetry(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOfflineAtLeastOnce: the offline walk hands every queued event to the function while it fails
// now and then, clears none before the function returned nil, marks the events it gave up on as
// errors (left in the queue, and handled by a later run that takes the errors), and after a clear
// whose answer failed does not call the function again for the events it handled.
func TestOfflineAtLeastOnce(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	const n = 120
	queued := map[string]int{} // MESSAGE_ID → the event's number
	for i := range n {
		queued[s.QueueEvent("ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": fmt.Sprint(i + 1)}})] = i + 1
	}
	calls := map[string]int{}
	handled := map[string]bool{}
	givingUp := true
	handle := func(_ context.Context, ev *b24event.Event) error {
		calls[ev.MessageID]++
		inQueue := false
		for _, q := range s.OfflineEvents() {
			inQueue = inQueue || q.MessageID == ev.MessageID
		}
		if !inQueue {
			t.Errorf("%s was cleared before it was handled", ev.MessageID)
		}
		k := queued[ev.MessageID]
		switch {
		case k%25 == 0 && givingUp: // down for this event: every try fails
			return errors.New("down")
		case k%4 == 0 && calls[ev.MessageID] == 1: // fails once, then works
			return errors.New("flaky")
		}
		handled[ev.MessageID] = true
		return nil
	}
	o := &b24event.Offline{Client: appClient(t, s), Handle: handle, Limit: 30, Backoff: time.Millisecond}
	st, err := o.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Handled != n-4 || st.Failed != 4 {
		t.Errorf("stats %+v, want %d handled and 4 failed", st, n-4)
	}
	left := s.OfflineEvents()
	if len(left) != 4 {
		t.Fatalf("%d events left in the queue, want the 4 given up on", len(left))
	}
	for _, e := range left {
		if !e.Error || handled[e.MessageID] || calls[e.MessageID] != 3 {
			t.Errorf("left %s: error %v, handled %v, %d tries", e.MessageID, e.Error, handled[e.MessageID], calls[e.MessageID])
		}
	}

	// the function is back: a run that takes the errors handles them
	givingUp = false
	retry := &b24event.Offline{Client: o.Client, Handle: handle, Errors: true, Backoff: time.Millisecond}
	if st, err := retry.Run(t.Context()); err != nil || st.Handled != 4 || len(s.OfflineEvents()) != 0 {
		t.Errorf("errors run: %+v, %v; %d left", st, err, len(s.OfflineEvents()))
	}
	if len(handled) != n {
		t.Errorf("%d of %d events handled", len(handled), n)
	}

	// a clear whose answer failed: the events come again to the same process, and are cleared
	// without another call
	clear(calls)
	for i := range 10 {
		queued[s.QueueEvent("ONCRMDEALUPDATE", map[string]any{"FIELDS": map[string]any{"ID": fmt.Sprint(i + 1)}})] = 1
	}
	s.FailNext("event.offline.clear", 1, &b24.APIError{Code: "INTERNAL_SERVER_ERROR", Description: "lost", Status: 500})
	again := &b24event.Offline{Client: o.Client, Handle: handle, Backoff: time.Millisecond}
	if _, err := again.Run(t.Context()); err == nil {
		t.Fatal("a failed clear is no error")
	}
	if len(s.OfflineEvents()) != 10 || again.ProcessID == "" {
		t.Fatalf("%d left after the failed clear (process %q)", len(s.OfflineEvents()), again.ProcessID)
	}
	st, err = again.Run(t.Context())
	if err != nil || st.Repeated != 10 || st.Handled != 0 || len(s.OfflineEvents()) != 0 {
		t.Errorf("after the failed clear: %+v, %v, %d left", st, err, len(s.OfflineEvents()))
	}
	for id, k := range calls {
		if k != 1 {
			t.Errorf("%s handled %d times", id, k)
		}
	}
}
