package b24app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/internal/phpform"
)

// App is an application installed on many portals.
type App struct {
	ClientID, ClientSecret string // the app's credentials: sent to the OAuth server only
	Store                  Store
	OAuthServer            string       // b24.DefaultOAuthServer when empty
	Options                []b24.Option // for every portal's client (timeouts, logging, pacing)

	mu      sync.Mutex
	clients map[string]*b24.Client // member_id → its client, shared so that its renewals are
	events  *b24event.Handler
	once    sync.Once
}

// Client is the client of a portal the app is installed on. Its access token is renewed when it
// expires and the new pair is saved in the Store before any call goes on; concurrent calls to
// one portal share one renewal, as they share one client.
func (a *App) Client(ctx context.Context, memberID string) (*b24.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.clients[memberID]; ok {
		return c, nil
	}
	p, err := a.Store.Load(ctx, memberID)
	if err != nil {
		return nil, err
	}
	save := func(t b24.Token) {
		p.AccessToken, p.RefreshToken, p.Expires = t.AccessToken, t.RefreshToken, t.Expires
		if err := a.Store.Save(context.Background(), p); err != nil {
			slog.Error("b24app: saving a renewed token failed: the next renewal of this portal will fail", "member_id", memberID, "err", err)
		}
	}
	opts := append([]b24.Option{b24.WithRefresh(b24.Refresh{ClientID: a.ClientID, ClientSecret: a.ClientSecret,
		RefreshToken: p.RefreshToken, Server: a.OAuthServer, Save: save})}, a.Options...)
	c, err := b24.New(strings.TrimSuffix(p.ClientEndpoint, "/rest/"), p.AccessToken, opts...)
	if err != nil {
		return nil, fmt.Errorf("b24app: portal %s: %w", memberID, err)
	}
	if a.clients == nil {
		a.clients = map[string]*b24.Client{}
	}
	a.clients[memberID] = c
	return c, nil
}

// Tokens is the token check of the app's events: the application token stored for each portal.
func (a *App) Tokens() b24event.TokenFunc {
	return func(memberID string) (string, bool) {
		p, err := a.Store.Load(context.Background(), memberID)
		return p.ApplicationToken, err == nil && memberID != ""
	}
}

// Events is the app's event handler (made once): register the functions of its events on it
// (b24event.On) and serve it with Handler. ONAPPUNINSTALL deletes the portal, after its token
// was checked.
func (a *App) Events(opts ...b24event.Option) *b24event.Handler {
	a.once.Do(func() {
		a.events = b24event.NewHandler(a.Tokens(), opts...)
		a.events.Handle("ONAPPUNINSTALL", func(ctx context.Context, ev *b24event.Event) error {
			return a.forget(ctx, ev.Auth.MemberID)
		})
		// an install again with the stored token (checked) brings the portal's new tokens
		a.events.Handle("ONAPPINSTALL", func(ctx context.Context, ev *b24event.Event) error {
			return a.renewed(ctx, ev.Auth)
		})
	})
	return a.events
}

// renewed saves the tokens of a checked event of a known portal, and drops its client so that the
// next one starts from them.
func (a *App) renewed(ctx context.Context, auth b24event.Auth) error {
	p, err := a.Store.Load(ctx, auth.MemberID)
	if err != nil || auth.AccessToken == "" || auth.RefreshToken == "" {
		return err
	}
	p.AccessToken, p.RefreshToken = auth.AccessToken, auth.RefreshToken
	if auth.ExpiresIn > 0 {
		p.Expires = time.Now().Unix() + int64(auth.ExpiresIn)
	}
	a.mu.Lock()
	delete(a.clients, auth.MemberID)
	a.mu.Unlock()
	return a.Store.Save(ctx, p)
}

// forget deletes a portal and its client.
func (a *App) forget(ctx context.Context, memberID string) error {
	a.mu.Lock()
	delete(a.clients, memberID)
	a.mu.Unlock()
	return a.Store.Delete(ctx, memberID)
}

// Handler is the app's event URL. ONAPPINSTALL of a portal the store does not know is taken on
// trust of its first use, as the portal's docs have it, once its access token proved itself on the
// portal it names (app.info): the portal's credentials are saved and its application token is the
// one its later events must carry. Every other event goes to Events, checked against that token;
// an install repeated with another token is refused.
func (a *App) Handler() http.Handler {
	events := a.Events()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "reading the body", http.StatusBadRequest)
			return
		}
		values, _ := url.ParseQuery(string(body))
		form := phpform.Decode(values)
		name, _ := form["event"].(string)
		auth, _ := form["auth"].(map[string]any)
		member, _ := auth["member_id"].(string)
		if strings.EqualFold(name, "ONAPPINSTALL") {
			if _, err := a.Store.Load(r.Context(), member); errors.Is(err, ErrUnknownPortal) {
				if err := a.install(r.Context(), auth); err != nil {
					slog.Error("b24app: an install was refused", "member_id", member, "err", err)
					http.Error(w, "install refused", http.StatusUnauthorized)
					return
				}
				w.WriteHeader(http.StatusOK)
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		events.ServeHTTP(w, r)
	})
}

// install saves a new portal from its ONAPPINSTALL's auth, after app.info answered its token.
func (a *App) install(ctx context.Context, auth map[string]any) error {
	str := func(k string) string { s, _ := auth[k].(string); return s }
	p := Portal{MemberID: str("member_id"), ClientEndpoint: str("client_endpoint"), ServerEndpoint: str("server_endpoint"),
		AccessToken: str("access_token"), RefreshToken: str("refresh_token"), ApplicationToken: str("application_token"), Scope: str("scope")}
	if p.MemberID == "" || p.AccessToken == "" || p.RefreshToken == "" || p.ApplicationToken == "" || !strings.HasSuffix(p.ClientEndpoint, "/rest/") {
		return errors.New("the install carries no member_id, tokens or client_endpoint")
	}
	if n, err := strconv.ParseInt(str("expires_in"), 10, 64); err == nil {
		p.Expires = time.Now().Unix() + n
	}
	c, err := b24.New(strings.TrimSuffix(p.ClientEndpoint, "/rest/"), p.AccessToken, a.Options...)
	if err != nil {
		return err
	}
	if _, err := c.Do(ctx, "app.info", nil, b24.Read()); err != nil {
		return fmt.Errorf("its access token does not work on %s: %w", p.ClientEndpoint, err)
	}
	return a.Store.Save(ctx, p)
}
