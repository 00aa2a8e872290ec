package b24event

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// Func handles one event, off the request that brought it.
type Func func(ctx context.Context, ev *Event) error

// Handler is the http.Handler of an event URL. It checks each event's application token, answers
// at once (200; 401 for a forged event, which goes no further; 503 when its queue is full) and
// hands the event to the function registered for its name (On) on one of its workers, or to the
// fallback. The portal never sends an event again, so a slow function must not hold the answer;
// for delivery that survives downtime, bind the events offline and use Offline.
type Handler struct {
	tokens   TokenFunc
	queue    chan *Event
	workers  int
	mu       sync.RWMutex
	funcs    map[string]Func
	fallback Func
	onError  func(*Event, error)
	closing  bool // Close was called: no event is queued any more
	start    sync.Once
	stop     context.CancelFunc
	done     sync.WaitGroup
}

// Option configures a Handler.
type Option func(*Handler)

// WithQueue sets how many events wait for a worker (default 1000) and how many workers run them
// (default 4).
func WithQueue(size, workers int) Option {
	return func(h *Handler) {
		if size > 0 {
			h.queue = make(chan *Event, size)
		}
		if workers > 0 {
			h.workers = workers
		}
	}
}

// WithErrors has the handler report a function's error (or a panic) for an event; by default
// they are logged with slog, without the event's data.
func WithErrors(f func(*Event, error)) Option { return func(h *Handler) { h.onError = f } }

// NewHandler makes the handler of an event URL whose events are checked against tokens: Token(t)
// for an outgoing webhook, the stored token per portal for an app (see b24app).
func NewHandler(tokens TokenFunc, opts ...Option) *Handler {
	h := &Handler{tokens: tokens, queue: make(chan *Event, 1000), workers: 4, funcs: map[string]Func{}}
	for _, o := range opts {
		o(h)
	}
	if h.onError == nil {
		h.onError = func(ev *Event, err error) {
			slog.Error("b24event: handling an event failed", "event", ev.Name, "err", err)
		}
	}
	return h
}

// On registers fn for the events whose data is a T (eventdata.OnCrmDealAdd): fn gets the data
// decoded into a new T. A value that does not fit its field is in the structure's Extra, as every
// key it does not declare.
func On[T any, PT interface {
	*T
	Data
}](h *Handler, fn func(ctx context.Context, ev *Event, d PT) error) {
	name := PT(new(T)).EventName()
	h.Handle(name, func(ctx context.Context, ev *Event) error {
		d := PT(new(T))
		if _, err := ev.Decode(d); err != nil {
			return err
		}
		return fn(ctx, ev, d)
	})
}

// Handle registers fn for the events called name (any case), as they came.
func (h *Handler) Handle(name string, fn Func) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.funcs[strings.ToUpper(name)] = fn
}

// Fallback registers fn for the events no function is registered for.
func (h *Handler) Fallback(fn Func) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fallback = fn
}

// ServeHTTP answers the portal: the event is checked and queued before the answer, and handled
// after it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.start.Do(h.run)
	ev, err := Parse(r, h.tokens)
	switch {
	case errors.Is(err, ErrToken):
		http.Error(w, "the application token does not match", http.StatusUnauthorized)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.RLock() // held while queueing, so that Close cannot close the queue meanwhile
	defer h.mu.RUnlock()
	if h.closing {
		http.Error(w, "closing", http.StatusServiceUnavailable)
		return
	}
	select {
	case h.queue <- ev:
		w.WriteHeader(http.StatusOK)
	default:
		h.onError(ev, errors.New("b24event: the queue is full: the event is refused (503), and the portal does not send it again"))
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}
}

// Close stops taking events, lets the workers finish the queued ones and waits for them.
func (h *Handler) Close() {
	h.start.Do(h.run)
	h.mu.Lock()
	if !h.closing {
		h.closing = true
		close(h.queue)
	}
	h.mu.Unlock()
	h.done.Wait()
	h.stop()
}

// run starts the workers.
func (h *Handler) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	for range h.workers {
		h.done.Add(1)
		go func() {
			defer h.done.Done()
			for ev := range h.queue {
				h.dispatch(ctx, ev)
			}
		}()
	}
}

// dispatch runs the function of ev, reporting its error or panic.
func (h *Handler) dispatch(ctx context.Context, ev *Event) {
	h.mu.RLock()
	fn, ok := h.funcs[ev.Name]
	if !ok {
		fn = h.fallback
	}
	h.mu.RUnlock()
	if fn == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			h.onError(ev, errors.New("b24event: the function panicked"))
		}
	}()
	if err := fn(ctx, ev); err != nil {
		h.onError(ev, err)
	}
}
