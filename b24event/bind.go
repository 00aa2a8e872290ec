package b24event

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/b24"
)

// Binding is one event handler bound on the portal (event.bind; event.get lists them). The portal
// binds events for an app only, not for a webhook.
type Binding struct {
	Event    string // the wire name: ONCRMDEALADD
	Handler  string // the URL events are posted to; "" for an offline binding
	Offline  bool   // queued for event.offline.get instead of posted
	AuthType int    // the user the handler is authorized as; 0: the user who raised the event
}

// For is the online binding of the event whose data is a T to handler:
// b24event.For[eventdata.OnCrmDealAdd]("https://app.example.com/events").
func For[T any, PT interface {
	*T
	Data
}](handler string) Binding {
	return Binding{Event: PT(new(T)).EventName(), Handler: handler}
}

// OfflineFor is the offline binding of the event whose data is a T (see Offline).
func OfflineFor[T any, PT interface {
	*T
	Data
}]() Binding {
	return Binding{Event: PT(new(T)).EventName(), Offline: true}
}

// key compares bindings as the portal does: names in any case.
func (b Binding) key() string {
	return fmt.Sprintf("%s\x00%s\x00%v\x00%d", strings.ToUpper(b.Event), b.Handler, b.Offline, b.AuthType)
}

func (b Binding) params() map[string]any {
	p := map[string]any{"event": strings.ToUpper(b.Event)}
	if b.Offline {
		p["event_type"] = "offline"
	} else {
		p["handler"] = b.Handler
	}
	if b.AuthType != 0 {
		p["auth_type"] = b.AuthType
	}
	return p
}

// Bind binds b (event.bind).
func Bind(ctx context.Context, c *b24.Client, b Binding) error {
	_, err := c.Do(ctx, "event.bind", b.params())
	return err
}

// Unbind removes b (event.unbind).
func Unbind(ctx context.Context, c *b24.Client, b Binding) error {
	p := b.params()
	p["auth_type"] = b.AuthType // 0 removes the handlers bound without a user, not every one
	_, err := c.Do(ctx, "event.unbind", p)
	return err
}

// Bound lists the app's bindings (event.get).
func Bound(ctx context.Context, c *b24.Client) ([]Binding, error) {
	resp, err := c.Do(ctx, "event.get", nil, b24.Read())
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Event    string  `json:"event"`
		Handler  string  `json:"handler"`
		AuthType b24.Int `json:"auth_type"`
		Offline  b24.Int `json:"offline"`
	}
	if err := json.Unmarshal(resp.Result, &rows); err != nil {
		return nil, fmt.Errorf("event.get: the answer is not a list of bindings: %w", err)
	}
	out := make([]Binding, len(rows))
	for i, r := range rows {
		out[i] = Binding{Event: strings.ToUpper(r.Event), Handler: r.Handler, Offline: r.Offline != 0, AuthType: int(r.AuthType)}
	}
	return out, nil
}

// Ensure makes the app's bindings on the portal exactly want: it binds what is missing and unbinds
// what is there and not wanted (a handler URL of an older version), so that an installer is one
// call. It returns what it bound and unbound.
func Ensure(ctx context.Context, c *b24.Client, want []Binding) (bound, unbound []Binding, err error) {
	have, err := Bound(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	haveKeys := make([]string, len(have))
	for i, b := range have {
		haveKeys[i] = b.key()
	}
	wantKeys := make([]string, len(want))
	for i, b := range want {
		wantKeys[i] = b.key()
	}
	for i, b := range have {
		if !slices.Contains(wantKeys, haveKeys[i]) {
			if err := Unbind(ctx, c, b); err != nil {
				return bound, unbound, err
			}
			unbound = append(unbound, b)
		}
	}
	for i, b := range want {
		if !slices.Contains(haveKeys, wantKeys[i]) && !slices.Contains(wantKeys[:i], wantKeys[i]) {
			if err := Bind(ctx, c, b); err != nil {
				return bound, unbound, err
			}
			bound = append(bound, b)
		}
	}
	return bound, unbound, nil
}
