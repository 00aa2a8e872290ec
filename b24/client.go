package b24

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Version is sent in the default User-Agent.
const Version = "0.1.0"

// DefaultTimeout bounds one HTTP exchange. The server stops a method at 60 s, so a little more.
const DefaultTimeout = 70 * time.Second

// Client calls one portal with one credential. It is safe for concurrent use.
type Client struct {
	cfg clientConfig
	hc  *http.Client

	mu   sync.RWMutex
	base string // webhook: https://host/rest/1/secret; OAuth: https://host/rest

	token  string // OAuth access token; "" in webhook mode; replaced by a renewal
	secret string // webhook secret path segment; "" in OAuth mode

	refresh   *refresher // nil without WithRefresh
	refreshMu sync.Mutex // one renewal at a time
	pace      *bucket    // nil when pacing is off
	ops       *operating // each method's execution time, as the portal reports it
}

type clientConfig struct {
	httpClient   *http.Client
	userAgent    string
	timeout      time.Duration
	timeoutSet   bool
	retries      int
	backoff      time.Duration
	refresh      *Refresh
	rate         float64
	burst        int
	rateSet      bool
	operating    time.Duration
	operatingSet bool
	logger       *slog.Logger
}

// Option configures a Client.
type Option func(*clientConfig)

// WithHTTPClient uses hc for the requests. The client is copied, not changed: redirects are always
// handled by b24 so that a POST stays a POST.
func WithHTTPClient(hc *http.Client) Option { return func(c *clientConfig) { c.httpClient = hc } }

// WithUserAgent replaces the default "b24gen/<version>" User-Agent.
func WithUserAgent(ua string) Option { return func(c *clientConfig) { c.userAgent = ua } }

// WithTimeout sets the timeout of one HTTP exchange (default 70 s); 0 means none.
func WithTimeout(d time.Duration) Option {
	return func(c *clientConfig) { c.timeout, c.timeoutSet = d, true }
}

// DefaultRetries is how many times a call is repeated by default (see WithRetry).
const DefaultRetries = 8

// WithRetry sets how many times a call is repeated (default DefaultRetries) and the first back-off
// delay (default 500 ms, doubled on each retry up to 30 s, half of it random). A call the portal
// refused before running it (QUERY_LIMIT_EXCEEDED, HTTP 503, OPERATION_TIME_LIMIT after waiting for
// the method's reset, a refused connection) is repeated for any method; one that may have run (HTTP
// 500, 502 or 504, a connection closed before the answer) only for a read (see Read). retries 0
// turns repeating off.
func WithRetry(retries int, backoff time.Duration) Option {
	return func(c *clientConfig) {
		c.retries = max(retries, 0)
		c.backoff = max(backoff, 0)
	}
}

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	timeout  time.Duration
	progress func(done, total int) // All only
	after    *int64                // All only: resume after this ID
	cursor   json.RawMessage       // All only: resume a cursor walk from this cursor
	read     bool                  // the method only reads: repeating it when it may have run is safe
	api3     bool                  // a REST 3.0 method: called at /rest/api/
	idemKey  string                // the caller's Idempotency-Key for a REST 3.0 write
	noKey    bool                  // a REST 3.0 batch: no Idempotency-Key (see Client.Batch)
}

// WithCallTimeout bounds the whole call, retries and back-off included.
func WithCallTimeout(d time.Duration) CallOption { return func(c *callConfig) { c.timeout = d } }

// Read marks a call as a read (the spec's kind: read). A call that may have run (HTTP 500, 502 or
// 504, a connection closed before the answer) is repeated only when it is a read; a write then fails
// with ErrMaybeRan instead. Generated functions of read methods add it; a batch is a read when all
// its commands are.
func Read() CallOption { return func(c *callConfig) { c.read = true } }

// API3 marks a call of a REST 3.0 method (the spec's api: 3): it is sent to /rest/api/<method>
// (/rest/api/<user>/<secret>/<method> for a webhook) instead of /rest/<method>. Generated functions of
// 3.0 methods add it; a 3.0-only method called without it answers ERROR_METHOD_NOT_FOUND (404). A 3.0
// write carries an Idempotency-Key (WithIdempotencyKey, or one made per call) through its tries, so
// one whose answer was lost is sent again and runs once; RawResponse.Replayed tells a stored answer.
func API3() CallOption { return func(c *callConfig) { c.api3 = true } }

// WithIdempotencyKey sends a REST 3.0 write with the caller's Idempotency-Key (1–255 printable
// ASCII characters) instead of one made for the call: the portal then runs the write once for
// every call with that key and the same body within 24 hours, across processes too.
func WithIdempotencyKey(key string) CallOption { return func(c *callConfig) { c.idemKey = key } }

// checkIdempotencyKey refuses a key the portal would refuse (INVALIDIDEMPOTENCYKEYEXCEPTION).
func checkIdempotencyKey(k string) error {
	if len(k) < 1 || len(k) > 255 || strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return errors.New("the Idempotency-Key must be 1 to 255 printable ASCII characters")
	}
	return nil
}

// New makes a Client the way OpenIntegrations does: with an empty token, url is an incoming webhook
// (https://portal/rest/<user>/<secret>); otherwise url is the portal and token an OAuth access token.
func New(url, token string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(token) == "" {
		return NewWebhook(url, opts...)
	}
	return NewOAuth(url, token, opts...)
}

// NewWebhook makes a Client for an incoming webhook URL such as https://portal.bitrix24.by/rest/1/secret.
// The scheme may be omitted (https is assumed), and so may a trailing slash.
func NewWebhook(webhookURL string, opts ...Option) (*Client, error) {
	u, err := parseBase(webhookURL)
	if err != nil {
		return nil, fmt.Errorf("b24: webhook URL %s: %w", redactURL(webhookURL), err)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	n := len(segs)
	if n < 3 || segs[n-3] != "rest" || !isDigits(segs[n-2]) || segs[n-1] == "" {
		return nil, fmt.Errorf("b24: webhook URL %s: want the form https://<portal>/rest/<user id>/<secret>", redactURL(webhookURL))
	}
	secret := segs[n-1]
	base := u.Scheme + "://" + u.Host + "/" + strings.Join(segs, "/")
	return newClient(base, "", secret, opts)
}

// NewOAuth makes a Client for a portal address (https://portal.bitrix24.by, portal.bitrix24.by or the
// client_endpoint https://portal.bitrix24.by/rest/) and an OAuth access token.
func NewOAuth(portalURL, accessToken string, opts ...Option) (*Client, error) {
	accessToken = strings.TrimSpace(accessToken)
	if accessToken == "" {
		return nil, errors.New("b24: empty access token")
	}
	u, err := parseBase(portalURL)
	if err != nil {
		return nil, fmt.Errorf("b24: portal URL %s: %w", redactURL(portalURL), err)
	}
	p := strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/rest")
	if p != "" {
		return nil, fmt.Errorf("b24: portal URL %s: want only the portal address, optionally followed by /rest/", redactURL(portalURL))
	}
	return newClient(u.Scheme+"://"+u.Host+"/rest", accessToken, "", opts)
}

func newClient(base, token, secret string, opts []Option) (*Client, error) {
	cfg := clientConfig{userAgent: "b24gen/" + Version, timeout: DefaultTimeout, retries: DefaultRetries, backoff: 500 * time.Millisecond}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
		if cfg.timeoutSet {
			hc.Timeout = cfg.timeout
		}
	} else {
		hc.Timeout = cfg.timeout
	}
	// Redirects are followed by hand (see Do): net/http would turn the POST into a GET and drop the body.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if !cfg.rateSet {
		cfg.rate, cfg.burst = DefaultRate, DefaultRateBurst
	}
	if !cfg.operatingSet {
		cfg.operating = DefaultOperatingLimit
	}
	c := &Client{cfg: cfg, hc: &hc, base: base, token: token, secret: secret, pace: newBucket(cfg.rate, cfg.burst), ops: newOperating(cfg.operating)}
	if cfg.refresh != nil {
		if token == "" {
			return nil, errors.New("b24: WithRefresh is for OAuth clients; a webhook does not expire")
		}
		r, err := newRefresher(cfg.refresh)
		if err != nil {
			return nil, err
		}
		c.refresh = r
	}
	return c, nil
}

// parseBase checks everything a base URL shares in both modes: scheme, host, no query or credentials.
func parseBase(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("empty URL")
	}
	schemeless := !strings.Contains(s, "://")
	if schemeless {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Parse quotes the whole input, secret included, so its message is not passed on.
		return nil, errors.New("not a valid URL")
	}
	if schemeless && isLoopback(u.Hostname()) {
		// A portal never runs on loopback; a local fake portal (b24test) does, and speaks plain http.
		// This lets OPI-style scheme-less commands ("--url 127.0.0.1:8080") reach it.
		u.Scheme = "http"
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("scheme %q not supported, use https", u.Scheme)
	case u.User != nil:
		return nil, errors.New("credentials before the host are not supported")
	case u.RawQuery != "" || u.ForceQuery:
		return nil, errors.New("a query string is not allowed")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return nil, errors.New("a fragment is not allowed")
	case u.Hostname() == "":
		return nil, errors.New("no host")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, errors.New("http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https://")
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// redactURL renders a user-given URL for an error message: scheme, host and path with the segment
// after /rest/<user>/ (the webhook secret) replaced by ***; no query, fragment or userinfo.
func redactURL(raw string) string {
	s := strings.TrimSpace(raw)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	scheme := ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, s = s[:i+3], s[i+3:]
	}
	host, path := s, ""
	if i := strings.IndexByte(s, '/'); i >= 0 {
		host, path = s[:i], s[i:]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = "***@" + host[i+1:]
	}
	switch p := strings.TrimSuffix(path, "/"); {
	case p == "" || p == "/rest":
	default:
		// Keep /rest/<user>/ for orientation; everything else may be the secret.
		segs := strings.Split(path, "/")
		path = "/***"
		for i := range segs {
			if segs[i] == "rest" {
				path = strings.Join(segs[:i+1], "/") + "/***"
				if i+1 < len(segs) && isDigits(segs[i+1]) {
					path = strings.Join(segs[:i+2], "/") + "/***"
				}
				break
			}
		}
	}
	out := scheme + host + path
	return fmt.Sprintf("%q", out)
}

// scrub removes the webhook secret, the tokens and the client secret from any text.
func (c *Client) scrub(s string) string {
	c.mu.RLock()
	secrets := []string{c.secret, c.token}
	if c.refresh != nil {
		secrets = append(secrets, c.refresh.RefreshToken, c.refresh.ClientSecret)
	}
	c.mu.RUnlock()
	return scrubAll(s, secrets)
}

// scrubAll masks each secret in s, also in its URL-escaped forms.
func scrubAll(s string, secrets []string) string {
	for _, secret := range secrets {
		for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret)} {
			if form != "" {
				s = strings.ReplaceAll(s, form, "***")
			}
		}
	}
	return s
}

func (c *Client) baseURL() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.base
}

// endpoint is where a method is sent: the base URL, with /api after /rest for a REST 3.0 method.
func (c *Client) endpoint(api3 bool) string {
	b := c.baseURL()
	if !api3 {
		return b
	}
	i := strings.Index(b, "://")
	host, path, _ := strings.Cut(b[i+3:], "/")
	return b[:i+3] + host + "/rest/api" + strings.TrimPrefix("/"+path, "/rest")
}

// String shows the portal and the mode, never the credential.
func (c *Client) String() string {
	b := c.baseURL()
	if c.accessToken() != "" {
		return "b24.Client(oauth " + b + ")"
	}
	return "b24.Client(webhook " + strings.TrimSuffix(b, c.secret) + "***)"
}
