package b24event

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// Offline takes the events the portal queued for an app whose events are bound offline
// (event.bind with event_type offline), without a public URL: event.offline.get, then the
// function, then event.offline.clear for each event it handled. An event is cleared only after
// its function returned nil, so an event is handled at least once: a function that fails is tried
// again (Tries times), then its event is marked with event.offline.error and stays in the queue; a
// process that dies leaves its events to the next run with the same ProcessID. An event whose
// MESSAGE_ID was handled already in this run is cleared without calling the function again.
type Offline struct {
	Client *b24.Client
	Handle Func
	// ProcessID resumes a process: the events it took and did not clear come again. Empty, the
	// portal makes one at the first get; Offline keeps it here.
	ProcessID string
	Limit     int           // events a get (default 50)
	Tries     int           // calls of Handle for one event before it is marked as an error (default 3)
	Backoff   time.Duration // the wait before a try again, doubled each time (default 1s)
	Errors    bool          // take the events marked as errors before (error=1) instead of the new ones
	// Seen bounds the MESSAGE_IDs remembered to skip a repeat (default 10,000).
	Seen int

	seen  map[string]bool
	order []string
}

// Stats counts what a Run did.
type Stats struct {
	Handled, Failed, Repeated int // events handled; marked as errors; skipped as repeats, and cleared
	Requests                  int
}

// Run takes events until the queue is empty (for the process): each page is handled, then
// cleared and its failures marked before the next get. It stops at the first request that fails,
// with the events not cleared still in the queue.
func (o *Offline) Run(ctx context.Context) (Stats, error) {
	var st Stats
	if o.Client == nil || o.Handle == nil {
		return st, errors.New("b24event: Offline needs a Client and a Handle function")
	}
	for {
		events, err := o.get(ctx, &st)
		if err != nil || len(events) == 0 {
			return st, err
		}
		var done, failed []string
		for _, ev := range events {
			switch {
			case o.remembered(ev.MessageID):
				st.Repeated++
				done = append(done, ev.MessageID)
			case o.try(ctx, ev) == nil:
				st.Handled++
				o.remember(ev.MessageID)
				done = append(done, ev.MessageID)
			case ctx.Err() != nil:
				return st, ctx.Err() // not marked: the next run takes it again
			default:
				st.Failed++
				failed = append(failed, ev.MessageID)
			}
		}
		if len(done) > 0 {
			if err := o.call(ctx, &st, "event.offline.clear", map[string]any{"process_id": o.ProcessID, "message_id": done}); err != nil {
				return st, err
			}
		}
		if len(failed) > 0 {
			if err := o.call(ctx, &st, "event.offline.error", map[string]any{"process_id": o.ProcessID, "message_id": failed}); err != nil {
				return st, err
			}
		}
	}
}

// Poll runs Run again every interval until ctx ends.
func (o *Offline) Poll(ctx context.Context, every time.Duration, report func(Stats, error)) error {
	for {
		st, err := o.Run(ctx)
		if report != nil {
			report(st, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

// try calls Handle up to Tries times, waiting between tries.
func (o *Offline) try(ctx context.Context, ev *Event) error {
	wait := cmp.Or(o.Backoff, time.Second)
	var err error
	for i := range cmp.Or(o.Tries, 3) {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		if err = o.handle(ctx, ev); err == nil {
			return nil
		}
	}
	return err
}

// handle calls Handle, a panic being its error.
func (o *Offline) handle(ctx context.Context, ev *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("b24event: the function panicked on %s", ev.Name)
		}
	}()
	return o.Handle(ctx, ev)
}

func (o *Offline) remembered(id string) bool { return id != "" && o.seen[id] }

func (o *Offline) remember(id string) {
	if id == "" {
		return
	}
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	o.seen[id] = true
	o.order = append(o.order, id)
	if n := cmp.Or(o.Seen, 10_000); len(o.order) > n {
		delete(o.seen, o.order[0])
		o.order = o.order[1:]
	}
}

// offlineRecord is an event of event.offline.get's answer.
type offlineRecord struct {
	Time      string          `json:"TIMESTAMP_X"`
	Name      string          `json:"EVENT_NAME"`
	Data      json.RawMessage `json:"EVENT_DATA"`
	MessageID string          `json:"MESSAGE_ID"`
}

// get takes the next page of the process's events, keeping the process ID the portal gives.
func (o *Offline) get(ctx context.Context, st *Stats) ([]*Event, error) {
	p := map[string]any{"clear": 0, "limit": cmp.Or(o.Limit, 50)}
	if o.ProcessID != "" {
		p["process_id"] = o.ProcessID
	}
	if o.Errors {
		p["error"] = 1
	}
	st.Requests++
	resp, err := o.Client.Do(ctx, "event.offline.get", p)
	if err != nil {
		return nil, err
	}
	var res struct {
		ProcessID string          `json:"process_id"`
		Events    []offlineRecord `json:"events"`
	}
	if err := json.Unmarshal(resp.Result, &res); err != nil {
		return nil, fmt.Errorf("event.offline.get: the answer is not {process_id, events}: %w", err)
	}
	if res.ProcessID != "" {
		o.ProcessID = res.ProcessID
	}
	out := make([]*Event, len(res.Events))
	for i, r := range res.Events {
		out[i] = r.event()
	}
	return out, nil
}

func (o *Offline) call(ctx context.Context, st *Stats, method string, p map[string]any) error {
	st.Requests++
	_, err := o.Client.Do(ctx, method, p)
	return err
}

// event is the record as an Event.
func (r offlineRecord) event() *Event {
	ev := &Event{Name: strings.ToUpper(r.Name), MessageID: r.MessageID, Data: r.Data}
	ev.Time, _ = time.Parse(time.RFC3339, r.Time) // zero when the portal writes it otherwise
	return ev
}
