package b24test

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// OfflineEvent is an event in the portal's offline queue.
type OfflineEvent struct {
	ID        int
	MessageID string
	Name      string
	Data      map[string]any
	Time      time.Time
	ProcessID string // the process that took it (event.offline.get with clear 0); "" while free
	Error     bool   // marked by event.offline.error
}

// binding is an event.bind of the server.
type binding struct{ event, handler, kind string }

// offlineQueue is the portal's queue of offline events; guarded by Server.mu.
type offlineQueue struct {
	events    []*OfflineEvent
	lastID    int
	processes int
	bindings  []binding
}

// eventMethods are the methods the server answers from its bindings and its offline queue, as the
// portal does, rather than from their examples (event.offline.list, which only reads, keeps its
// example; OfflineEvents shows the queue).
func (s *Server) eventMethods() map[string]Handler {
	return map[string]Handler{
		"event.bind":          s.eventBind,
		"event.unbind":        s.eventUnbind,
		"event.get":           s.eventGet,
		"event.offline.get":   s.offlineGet,
		"event.offline.clear": s.offlineClear,
		"event.offline.error": s.offlineError,
	}
}

// Stateful reports a method the server answers from its state (event bindings, the offline queue, Drive files)
// rather than from its example, refusing what the portal refuses: a test of the client's wire
// form, not of the portal's rules, may answer it with a Handler of its own.
func (s *Server) Stateful(method string) bool {
	_, ok := s.stateMethods()[strings.ToLower(method)]
	return ok
}

// stateMethods are the methods answered from the server's state: events and Drive files.
func (s *Server) stateMethods() map[string]Handler {
	m := s.eventMethods()
	maps.Copy(m, s.driveMethods())
	return m
}

// Fire raises event name with data as the portal does: queued for each offline binding of it, and
// posted (SendEvent) to each online binding's handler. It returns the handlers' HTTP statuses.
func (s *Server) Fire(name string, data map[string]any) ([]int, error) {
	name = strings.ToUpper(name)
	s.mu.Lock()
	var urls []string
	for _, b := range s.offline.bindings {
		if strings.ToUpper(b.event) != name {
			continue
		}
		if b.kind == "offline" {
			s.queueLocked(name, data)
		} else {
			urls = append(urls, b.handler)
		}
	}
	s.mu.Unlock()
	var statuses []int
	for _, u := range urls {
		st, err := s.SendEvent(u, name, data)
		if err != nil {
			return statuses, err
		}
		statuses = append(statuses, st)
	}
	return statuses, nil
}

// QueueEvent puts an event in the offline queue and returns its MESSAGE_ID. The queue keeps the
// latest state of an object, as the portal's does: a queued event of the same name for the same
// data replaces the earlier one that no process took yet.
func (s *Server) QueueEvent(name string, data map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queueLocked(strings.ToUpper(name), data)
}

func (s *Server) queueLocked(name string, data map[string]any) string {
	q := &s.offline
	q.lastID++
	ev := &OfflineEvent{ID: q.lastID, MessageID: fmt.Sprintf("%032x", q.lastID), Name: name, Data: data, Time: s.clock()}
	q.events = append(q.events, ev)
	return ev.MessageID
}

// OfflineEvents is the offline queue as it is: what no process cleared yet.
func (s *Server) OfflineEvents() []OfflineEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]OfflineEvent, len(s.offline.events))
	for i, e := range s.offline.events {
		out[i] = *e
	}
	return out
}

func (s *Server) eventBind(c Call) (any, *b24.APIError) {
	ev, _ := paramFold(c.Params, "event").(string)
	handler, _ := paramFold(c.Params, "handler").(string)
	kind, _ := paramFold(c.Params, "event_type").(string)
	kind = cmp.Or(strings.ToLower(kind), "online")
	switch {
	case ev == "":
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "Required parameter event is missing", Status: http.StatusBadRequest}
	case kind == "online" && handler == "":
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "Required parameter handler is missing", Status: http.StatusBadRequest}
	case c.Auth != "token":
		return nil, &b24.APIError{Code: "WRONG_AUTH_TYPE", Description: "Current authorization type is denied for this method", Status: http.StatusForbidden}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := binding{event: strings.ToUpper(ev), handler: handler, kind: kind}
	if !slices.Contains(s.offline.bindings, b) {
		s.offline.bindings = append(s.offline.bindings, b)
	}
	return true, nil
}

func (s *Server) eventUnbind(c Call) (any, *b24.APIError) {
	ev, _ := paramFold(c.Params, "event").(string)
	handler, _ := paramFold(c.Params, "handler").(string)
	kind, _ := paramFold(c.Params, "event_type").(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	s.offline.bindings = slices.DeleteFunc(s.offline.bindings, func(b binding) bool {
		gone := (ev == "" || strings.EqualFold(b.event, ev)) && (handler == "" || b.handler == handler) &&
			b.kind == cmp.Or(strings.ToLower(kind), "online")
		if gone {
			n++
		}
		return gone
	})
	return map[string]any{"count": n}, nil
}

func (s *Server) eventGet(Call) (any, *b24.APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, b := range s.offline.bindings {
		offline := 0
		if b.kind == "offline" {
			offline = 1
		}
		out = append(out, map[string]any{"event": b.event, "handler": b.handler, "auth_type": "0", "offline": offline})
	}
	return out, nil
}

// offlineGet answers event.offline.get: the first limit events (50 by default) that no other process
// took, with the errors (error 1) or without them; clear 1 (the default) deletes them, clear 0
// marks them as the process's (a new process_id unless one is given), to be cleared later.
func (s *Server) offlineGet(c Call) (any, *b24.APIError) {
	limit := int(cmp.Or(phpInt(paramFold(c.Params, "limit")), 50))
	clear := paramFold(c.Params, "clear") == nil || phpTrue(paramFold(c.Params, "clear"))
	wantErrors := phpTrue(paramFold(c.Params, "error"))
	pid, _ := paramFold(c.Params, "process_id").(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &s.offline
	if pid == "" && !clear {
		q.processes++
		pid = fmt.Sprintf("b24test-process-%d", q.processes)
	}
	var taken []*OfflineEvent
	for _, e := range q.events {
		if len(taken) == limit {
			break
		}
		if e.Error == wantErrors && (e.ProcessID == "" || e.ProcessID == pid) {
			taken = append(taken, e)
		}
	}
	out := make([]map[string]any, len(taken))
	for i, e := range taken {
		out[i] = map[string]any{"ID": fmt.Sprint(e.ID), "TIMESTAMP_X": e.Time.Format(time.RFC3339), "EVENT_NAME": e.Name,
			"EVENT_DATA": e.Data, "EVENT_ADDITIONAL": map[string]any{"user_id": s.user}, "MESSAGE_ID": e.MessageID}
		if !clear {
			e.ProcessID = pid
		}
	}
	if clear {
		q.events = slices.DeleteFunc(q.events, func(e *OfflineEvent) bool { return slices.Contains(taken, e) })
	}
	return map[string]any{"process_id": pid, "events": out}, nil
}

// offlineClear answers event.offline.clear: the process's events named by message_id (or id), or
// all of them.
func (s *Server) offlineClear(c Call) (any, *b24.APIError) {
	pid, ids, err := processArgs(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offline.events = slices.DeleteFunc(s.offline.events, func(e *OfflineEvent) bool {
		return e.ProcessID == pid && (ids == nil || slices.Contains(ids, e.MessageID) || slices.Contains(ids, fmt.Sprint(e.ID)))
	})
	return true, nil
}

// offlineError answers event.offline.error: the process's events named by message_id are marked as
// errors and left to the process.
func (s *Server) offlineError(c Call) (any, *b24.APIError) {
	pid, ids, err := processArgs(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.offline.events {
		if e.ProcessID == pid && slices.Contains(ids, e.MessageID) {
			e.Error, e.ProcessID = true, ""
		}
	}
	return true, nil
}

// processArgs reads process_id (required) and the message_id (else id) list, nil for all.
func processArgs(c Call) (string, []string, *b24.APIError) {
	pid, _ := paramFold(c.Params, "process_id").(string)
	if pid == "" {
		return "", nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "Required parameter process_id is missing", Status: http.StatusBadRequest}
	}
	ids := texts(paramFold(c.Params, "message_id"))
	if ids == nil {
		ids = texts(paramFold(c.Params, "id"))
	}
	return pid, ids, nil
}
