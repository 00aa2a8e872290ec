package command

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/internal/phpform"
)

const listenLong = `Receives the portal's events and prints each as one JSON object a line:
{"event": wire name, "type": the Go type its data decoded into, "data": written back from that
typed value (every key the portal sent), "unfit": the fields whose value did not fit their type}.

  b24 listen --addr :8080 --application-token TOKEN
      serves the event URL the portal posts to (event.bind, or an outgoing webhook's URL); each
      event's application token is checked, and a forged one is answered 401 and printed nowhere.

  b24 listen --offline --events ONCRMDEALADD,ONCRMDEALUPDATE [--forward-to http://localhost:3000/hook]
      needs no public URL: binds the events offline for the session (an app's token: --token or a
      profile), takes them from the portal's queue (event.offline.get) and clears each one only
      after it was printed (and, with --forward-to, after the local handler answered 2xx: it gets
      the event as the portal would post it, a form with the application token). Ctrl-C unbinds.`

type listenOptions struct {
	addr, token, forward string
	offline              bool
	events               []string
	every                time.Duration
}

func (r *runner) listenCommand() *cobra.Command {
	var o listenOptions
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "print the portal's events as they come (a handler URL, or the offline queue)",
		Long:  listenLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.offline {
				return wrap(r.listenOffline(o))
			}
			return wrap(r.listenOnline(o))
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVar(&o.addr, "addr", "", "serve the event URL on this address ([host]:port)")
	fl.StringVar(&o.token, "application-token", "", "the application token the events must carry (an outgoing webhook's, or the app's; env B24_APPLICATION_TOKEN); with --forward-to, the one sent on")
	fl.BoolVar(&o.offline, "offline", false, "take the events from the portal's offline queue instead of serving a URL")
	fl.StringSliceVar(&o.events, "events", nil, "with --offline: the events to bind offline for the session (ONCRMDEALADD,ONCRMDEALUPDATE)")
	fl.StringVar(&o.forward, "forward-to", "", "with --offline: post each event on to this local handler URL, as the portal would")
	fl.DurationVar(&o.every, "every", 2*time.Second, "with --offline: how often the queue is read when it was empty")
	return cmd
}

// eventLine is one printed event.
type eventLine struct {
	Event     string          `json:"event"`
	Type      string          `json:"type"`
	MessageID string          `json:"message_id,omitempty"`
	Data      json.RawMessage `json:"data"`
	Unfit     []string        `json:"unfit,omitempty"`
}

// eventPrinter writes events one a line, from any goroutine.
type eventPrinter struct {
	r  *runner
	mu sync.Mutex
}

// print decodes the event into its type, when the spec knows it, and prints it.
func (p *eventPrinter) print(ev *b24event.Event) error {
	line := eventLine{Event: ev.Name, MessageID: ev.MessageID, Data: ev.Data}
	if p.r.env.Catalog.Events != nil {
		if d, ok := p.r.env.Catalog.Events(ev.Name); ok {
			unfit, err := ev.Decode(d)
			if err != nil {
				return err
			}
			data, err := ev.WriteBack(d)
			if err != nil {
				return err
			}
			line.Type, line.Data, line.Unfit = fmt.Sprintf("%T", d)[1:], data, unfit
		}
	}
	if len(line.Data) == 0 {
		line.Data = json.RawMessage("null")
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err = p.r.env.Stdout.Write(append(b, '\n'))
	return err
}

func (r *runner) applicationToken(o listenOptions) string {
	if o.token != "" {
		return o.token
	}
	return r.env.getenv("B24_APPLICATION_TOKEN")
}

// listenOnline serves the event URL until Ctrl-C.
func (r *runner) listenOnline(o listenOptions) error {
	token := r.applicationToken(o)
	switch {
	case o.addr == "":
		return usagef("listen: --addr is required (or --offline)")
	case token == "":
		return usagef("listen: --application-token is required: the events' proof of origin (the outgoing webhook's token, or the app's from ONAPPINSTALL)")
	case len(o.events) > 0 || o.forward != "":
		return usagef("listen: --events and --forward-to go with --offline")
	}
	r.addSecret(token)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usagef("listen: --addr %s: %v", o.addr, err)
	}
	p := &eventPrinter{r: r}
	h := b24event.NewHandler(b24event.Token(token), b24event.WithQueue(1000, 1), b24event.WithErrors(func(ev *b24event.Event, err error) {
		r.errLine(fmt.Sprintf("listen: %s: %v", ev.Name, err))
	}))
	h.Fallback(func(_ context.Context, ev *b24event.Event) error { return p.print(ev) })
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(r.env.Stderr, "b24: listen: events at http://%s/ (Ctrl-C stops)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("listen: %v", err)
	case <-r.ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
		h.Close() // the queued events are printed before the exit
		return nil
	}
}

// listenOffline binds the events offline, reads the queue until Ctrl-C, and unbinds them.
func (r *runner) listenOffline(o listenOptions) error {
	switch {
	case o.addr != "":
		return usagef("listen: --addr serves a URL; --offline reads the queue instead: give one of them")
	case len(o.events) == 0:
		return usagef("listen: --offline needs --events: the events to bind offline for the session (ONCRMDEALADD,…)")
	}
	if o.forward != "" {
		if u, err := url.Parse(o.forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("listen: --forward-to %q: want an http(s) URL of the local handler", o.forward)
		}
	}
	token := r.applicationToken(o)
	r.addSecret(token)
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	var bound []string
	defer func() {
		// the session's bindings go with it, also after Ctrl-C
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, ev := range bound {
			if _, err := client.Do(ctx, "event.unbind", map[string]any{"event": ev, "event_type": "offline"}); err != nil {
				r.errLine(fmt.Sprintf("listen: unbinding %s: %v", ev, err))
			}
		}
	}()
	for _, ev := range o.events {
		ev = strings.ToUpper(strings.TrimSpace(ev))
		if _, err := client.Do(r.ctx, "event.bind", map[string]any{"event": ev, "event_type": "offline"}); err != nil {
			return fmt.Errorf("listen: binding %s offline: %w", ev, err)
		}
		bound = append(bound, ev)
	}
	fmt.Fprintf(r.env.Stderr, "b24: listen: %s bound offline; reading the queue (Ctrl-C stops and unbinds)\n", strings.Join(bound, ", "))
	p := &eventPrinter{r: r}
	walk := &b24event.Offline{Client: client, Handle: func(ctx context.Context, ev *b24event.Event) error {
		if o.forward != "" {
			if err := forward(ctx, o.forward, token, ev); err != nil {
				r.errLine(fmt.Sprintf("listen: %s %s: %v", ev.Name, ev.MessageID, err))
				return err
			}
		}
		return p.print(ev)
	}}
	err = walk.Poll(r.ctx, o.every, func(_ b24event.Stats, err error) {
		if err != nil && r.ctx.Err() == nil {
			r.errLine(fmt.Sprintf("listen: reading the queue: %v", err))
		}
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// forward posts ev to a local handler the way the portal posts events: a PHP-style form with event,
// data, ts and auth[application_token].
func forward(ctx context.Context, target, token string, ev *b24event.Event) error {
	payload := map[string]any{"event": ev.Name, "data": json.RawMessage(ev.Data), "ts": strconv.FormatInt(ev.Time.Unix(), 10),
		"auth": map[string]any{"application_token": token}}
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	body, err := phpform.Encode(raw)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("forwarding: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("forwarding: the handler answered HTTP %d", resp.StatusCode)
	}
	return nil
}
