package b24

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultOAuthServer is the Bitrix24 OAuth server that renews tokens of cloud and on-premise portals.
const DefaultOAuthServer = "https://oauth.bitrix.info"

// Refresh is what an OAuth client needs to renew its access token by itself when the portal answers
// expired_token (an access token lives an hour). The client then repeats the refused call once.
type Refresh struct {
	ClientID, ClientSecret string // the application's credentials; sent only to the OAuth server
	RefreshToken           string
	// Server is the OAuth server, DefaultOAuthServer when empty. http:// is accepted for loopback
	// hosts only (a test server).
	Server string
	// Save receives every new token pair. Store it: the refresh token it replaces stops working.
	// It runs while other calls wait for the new token, so it should be quick. It is called even
	// when the call that started the renewal has given up, from another goroutine; calls to it
	// never overlap, and come in the order the pairs were issued.
	Save func(Token)
}

// Token is an answer of the OAuth server.
type Token struct {
	AccessToken    string `json:"access_token"`
	RefreshToken   string `json:"refresh_token"`
	Expires        int64  `json:"expires"` // Unix time
	MemberID       string `json:"member_id"`
	ClientEndpoint string `json:"client_endpoint"` // https://<portal>/rest/
	ServerEndpoint string `json:"server_endpoint"`
}

// WithRefresh lets an OAuth client renew an expired access token (see Refresh). Concurrent calls
// that meet the expired token share one renewal.
func WithRefresh(r Refresh) Option { return func(c *clientConfig) { c.refresh = &r } }

// refresher is a client's renewal state. Client.refreshMu guards running, Client.mu RefreshToken.
type refresher struct {
	Refresh
	endpoint string   // <server>/oauth/token/
	running  *renewal // the renewal in flight, nil when none
}

func newRefresher(r *Refresh) (*refresher, error) {
	if r.ClientID == "" || r.ClientSecret == "" || r.RefreshToken == "" {
		return nil, errors.New("b24: WithRefresh needs ClientID, ClientSecret and RefreshToken")
	}
	endpoint, err := tokenEndpoint(r.Server)
	if err != nil {
		return nil, err
	}
	return &refresher{Refresh: *r, endpoint: endpoint}, nil
}

// tokenEndpoint is <server>/oauth/token/ of an OAuth server address, DefaultOAuthServer when empty.
func tokenEndpoint(server string) (string, error) {
	if server == "" {
		server = DefaultOAuthServer
	}
	u, err := parseBase(server)
	if err != nil {
		return "", fmt.Errorf("b24: OAuth server %s: %w", redactURL(server), err)
	}
	base := strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/rest")
	return u.Scheme + "://" + u.Host + base + "/oauth/token/", nil
}

// renewTimeout bounds one renewal. It runs on a context of its own (see renew), so a caller's
// deadline does not bound it.
const renewTimeout = 30 * time.Second

// renewal is one request to the OAuth server; done closes when token or err is set.
type renewal struct {
	done  chan struct{}
	token string
	err   error
}

// renew returns an access token newer than stale: the one another call just obtained, or a new one
// from the OAuth server. Concurrent calls share one renewal. It runs detached from ctx: once the
// OAuth server has issued a new pair, the old refresh token no longer works, so a caller that stops
// waiting (ctx ends, and it gets ctx.Err()) must not stop the new pair from being kept and saved.
func (c *Client) renew(ctx context.Context, stale string) (string, error) {
	c.refreshMu.Lock()
	if cur := c.accessToken(); cur != stale {
		c.refreshMu.Unlock()
		return cur, nil
	}
	r := c.refresh.running
	if r == nil {
		r = &renewal{done: make(chan struct{})}
		c.refresh.running = r
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renewTimeout)
		go func() {
			defer cancel()
			c.runRenewal(rctx, r)
		}()
	}
	c.refreshMu.Unlock()
	select {
	case <-r.done:
		return r.token, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// runRenewal asks the OAuth server for a new pair, keeps it and hands it to Save before the waiting
// calls go on. The renewal stays running until Save returns, so that no second renewal can start and
// Save the pairs out of order.
func (c *Client) runRenewal(ctx context.Context, r *renewal) {
	t, err := c.requestToken(ctx)
	if err == nil {
		c.mu.Lock()
		c.token, c.refresh.RefreshToken = t.AccessToken, t.RefreshToken
		c.mu.Unlock()
		if c.refresh.Save != nil {
			c.refresh.Save(t)
		}
	}
	c.refreshMu.Lock()
	c.refresh.running = nil
	r.token, r.err = t.AccessToken, err
	c.refreshMu.Unlock()
	close(r.done)
}

// requestToken exchanges the refresh token for a new pair.
func (c *Client) requestToken(ctx context.Context) (Token, error) {
	c.mu.RLock()
	q := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.refresh.ClientID},
		"client_secret": {c.refresh.ClientSecret}, "refresh_token": {c.refresh.RefreshToken}}
	c.mu.RUnlock()
	t, _, err := requestToken(ctx, c.hc, c.refresh.endpoint, c.cfg.userAgent, q, c.scrub)
	return t, err
}

// requestToken asks the OAuth server at endpoint (<server>/oauth/token/) for a token pair with the
// query q, and returns it with the server's whole answer. scrub masks the secrets q holds in errors.
func requestToken(ctx context.Context, hc *http.Client, endpoint, userAgent string, q url.Values, scrub func(string) string) (Token, json.RawMessage, error) {
	what := "renewing the access token"
	if q.Get("grant_type") == "authorization_code" {
		what = "exchanging the authorization code"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return Token{}, nil, fmt.Errorf("b24: %s: cannot build the request", what)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL holds the client secret and the refresh token
		}
		return Token{}, nil, fmt.Errorf("b24: %s: %s", what, scrub(err.Error()))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Token{}, nil, fmt.Errorf("b24: %s: %s", what, scrub(err.Error()))
	}
	var t struct {
		Token
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	switch {
	case json.Unmarshal(data, &t) != nil:
		return Token{}, nil, &HTTPError{Method: "oauth/token", Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
			Note: "the OAuth server's answer is not JSON"}
	case t.Error != "":
		return Token{}, nil, &APIError{Code: scrub(t.Error), Description: scrub(t.ErrorDescription), Status: resp.StatusCode, Method: "oauth/token"}
	case t.AccessToken == "" || t.RefreshToken == "":
		return Token{}, nil, &HTTPError{Method: "oauth/token", Status: resp.StatusCode, Note: "the OAuth server answered without a token pair"}
	}
	return t.Token, data, nil
}

func (c *Client) accessToken() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}
