package b24

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// OAuthApp is a Bitrix24 application's side of OAuth 2.0: the page where a user of a portal grants
// it access, and the exchange of the code the portal then sends, or of a refresh token, for a token
// pair. A client that holds a pair renews it by itself with WithRefresh.
type OAuthApp struct {
	ClientID, ClientSecret string
	// Server is the OAuth server, DefaultOAuthServer when empty; http:// only for loopback hosts.
	Server string
	// HTTPClient sends the requests; nil means one with a 30-second time limit.
	HTTPClient *http.Client
}

// AuthorizeURL is the page of portal (a host or an address; https:// when it has no scheme) where a
// user grants the application access: https://<portal>/oauth/authorize/?client_id=<ClientID>. The
// portal then sends the user to the application's handler with a code for Exchange.
func (a OAuthApp) AuthorizeURL(portal string) (string, error) {
	if a.ClientID == "" {
		return "", errors.New("b24: AuthorizeURL needs the ClientID")
	}
	u, err := parseBase(portal)
	if err != nil {
		return "", errors.New("b24: AuthorizeURL: portal " + redactURL(portal) + ": " + err.Error())
	}
	return u.Scheme + "://" + u.Host + "/oauth/authorize/?" + url.Values{"client_id": {a.ClientID}}.Encode(), nil
}

// Exchange trades an authorization code for a token pair. It returns the pair and the OAuth
// server's whole answer (which also names the portal, the user and the scopes). The answer holds
// secrets: store it as such.
func (a OAuthApp) Exchange(ctx context.Context, code string) (Token, json.RawMessage, error) {
	return a.token(ctx, "authorization_code", "code", code)
}

// Renew trades a refresh token for a new pair, as WithRefresh does on an expired token; the old
// refresh token stops working.
func (a OAuthApp) Renew(ctx context.Context, refreshToken string) (Token, json.RawMessage, error) {
	return a.token(ctx, "refresh_token", "refresh_token", refreshToken)
}

func (a OAuthApp) token(ctx context.Context, grant, key, value string) (Token, json.RawMessage, error) {
	if a.ClientID == "" || a.ClientSecret == "" || strings.TrimSpace(value) == "" {
		return Token{}, nil, errors.New("b24: the OAuth exchange needs ClientID, ClientSecret and the " + strings.ReplaceAll(key, "_", " "))
	}
	endpoint, err := tokenEndpoint(a.Server)
	if err != nil {
		return Token{}, nil, err
	}
	hc := a.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	q := url.Values{"grant_type": {grant}, "client_id": {a.ClientID}, "client_secret": {a.ClientSecret}, key: {value}}
	scrub := func(s string) string { return scrubAll(s, []string{a.ClientSecret, value}) }
	return requestToken(ctx, hc, endpoint, "b24gen/"+Version, q, scrub)
}
