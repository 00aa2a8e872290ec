package b24

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// RawResponse is one decoded success envelope.
type RawResponse struct {
	Body   []byte          // the whole response JSON as received
	Result json.RawMessage // the "result" member
	Total  int
	Next   int // 0 = no next page
	Time   Time
	Status int // HTTP status
	// Replayed: a REST 3.0 write answered from the portal's store for its Idempotency-Key (an
	// earlier try ran it; this one did not run again).
	Replayed bool
}

// Response is a success envelope with the result decoded.
type Response[R any] struct {
	Result R
	Total  int
	Next   int
	Time   Time
	// Unfit names the fields of Result whose value the portal sent in a form their type cannot
	// hold (see [Unfit]): each is zero, its value kept in its structure's Extra. Empty normally.
	Unfit []string
}

// maxBody bounds how much of a response is read; a REST answer is far smaller.
var maxBody = 256 << 20 // a variable for the test of too large an answer

// errTooLarge is an answer over maxBody: refused whole rather than read truncated.
var errTooLarge = errors.New("answer too large")

// Do calls method with params (nil, a json-tagged struct, a map or a json.RawMessage) and returns the
// envelope. params that marshal to a JSON array are positional parameters and are POSTed as the
// array. Portal errors are *APIError; answers that are not envelopes are *HTTPError.
func (c *Client) Do(ctx context.Context, method string, params any, opts ...CallOption) (*RawResponse, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	if err := checkMethod(method); err != nil {
		return nil, err
	}
	tok := c.accessToken()
	body, queryAuth, err := c.encode(method, params, tok)
	if err != nil {
		return nil, err
	}
	// A REST 3.0 write carries one Idempotency-Key through all its tries: the portal runs it once and
	// answers a repeat with the stored answer, so a try whose answer was lost can be sent again.
	key := ""
	if cc.api3 && !cc.read && !cc.noKey {
		if key = cc.idemKey; key == "" {
			key = rand.Text()
		} else if err := checkIdempotencyKey(key); err != nil {
			return nil, fmt.Errorf("%s: %w", method, err)
		}
	}
	if cc.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cc.timeout)
		defer cancel()
	}
	renewed := false
	retries := 0
	for {
		if err := c.pace.wait(ctx, method); err != nil {
			return nil, err
		}
		if err := c.ops.wait(ctx, method); err != nil {
			return nil, fmt.Errorf("%s: gave up waiting for the method's time limit to reset: %w", method, err)
		}
		sent := time.Now()
		resp, err := c.once(ctx, method, request{body: body, queryAuth: queryAuth, token: tok, api3: cc.api3, key: key})
		c.logCall(ctx, method, body, resp, err, time.Since(sent), retries)
		if err == nil {
			c.ops.observe(method, resp.Time, time.Now())
			return resp, nil
		}
		// expired_token, like QUERY_LIMIT_EXCEEDED, is refused before the method runs: after a
		// renewal the call is sent once more.
		if c.refresh != nil && !renewed && errors.Is(err, ErrExpiredToken) {
			renewed = true
			if tok, err = c.renew(ctx, tok); err != nil {
				return nil, fmt.Errorf("%s: the access token expired: %w", method, err)
			}
			if body, queryAuth, err = c.encode(method, params, tok); err != nil { // the key stays: the body is the same call
				return nil, err
			}
			continue
		}
		// One rule for every method: a call refused before it ran is repeated; one that may have run
		// is repeated only when it is a read, and a write says so instead.
		kind, reason := classify(err)
		// The portal keeps a keyed write's answer only when it succeeded: a lost answer is replayed,
		// a server failure is not, and sending that again could run the write twice.
		var reqErr *requestError
		replayable := key != "" && errors.As(err, &reqErr)
		if kind == maybeRan && !cc.read && !replayable {
			return nil, &MaybeRanError{Method: method, Reason: reason, Err: err}
		}
		switch {
		case ctx.Err() != nil, kind == answered, kind == refused, retries >= c.cfg.retries,
			kind == unreachable && retries >= maxUnreachable, kind == timeGate && c.cfg.operating == 0:
			return nil, err
		}
		var serr error
		switch kind {
		case timeGate:
			serr = c.ops.refused(ctx, method, retries, c.cfg.backoff)
		case notRun:
			// a full bucket paces the next request; repeated refusals back off on top
			if c.pace.congested(); c.pace == nil || retries > 0 {
				serr = sleepCtx(ctx, backoff(c.cfg.backoff, retries))
			}
		default:
			serr = sleepCtx(ctx, backoff(c.cfg.backoff, retries))
		}
		if serr != nil {
			return nil, fmt.Errorf("%w; gave up retrying: %w", err, serr)
		}
		retries++
	}
}

// Call calls method and decodes its result into R. When the portal answered with success but the
// result does not fit R, the response (without Result) comes back with a *ResultError holding the
// raw result: the method ran, so a write must not be repeated.
func Call[R any](ctx context.Context, c *Client, method string, params any, opts ...CallOption) (*Response[R], error) {
	return typed[R](c.callInto(ctx, method, params, opts))
}

// Upload is UploadTo with the answer decoded into R, as Call decodes it: what the generated
// functions of two-step uploads return.
func Upload[R any](ctx context.Context, c *Client, method string, params any, name string, r io.Reader, opts ...CallOption) (*Response[R], error) {
	return typed[R](c.uploadInto(ctx, method, params, name, r, opts))
}

// typed makes the response of a call decoded by into. The generic part stays this small: it is
// compiled again for every result type.
func typed[R any](into func(dst any) (*RawResponse, []string, error)) (*Response[R], error) {
	out := &Response[R]{}
	raw, unfit, err := into(&out.Result)
	if raw == nil {
		return nil, err
	}
	out.Total, out.Next, out.Time, out.Unfit = raw.Total, raw.Next, raw.Time, unfit
	if err != nil {
		var zero R
		out.Result = zero
	}
	return out, err
}

// callInto is Call's work outside the generic code: it decodes the result into dst and lists the
// values that did not fit their fields; a result that does not fit at all comes back with the
// response and a *ResultError.
func (c *Client) callInto(ctx context.Context, method string, params any, opts []CallOption) func(dst any) (*RawResponse, []string, error) {
	return func(dst any) (*RawResponse, []string, error) {
		raw, err := c.Do(ctx, method, params, opts...)
		return c.decodeInto(ctx, method, raw, err, dst)
	}
}

// uploadInto is Upload's work outside the generic code, as callInto is Call's.
func (c *Client) uploadInto(ctx context.Context, method string, params any, name string, r io.Reader, opts []CallOption) func(dst any) (*RawResponse, []string, error) {
	return func(dst any) (*RawResponse, []string, error) {
		raw, err := c.UploadTo(ctx, method, params, name, r, opts...)
		return c.decodeInto(ctx, method, raw, err, dst)
	}
}

// decodeInto decodes an answer's result into dst and lists the values that did not fit.
func (c *Client) decodeInto(ctx context.Context, method string, raw *RawResponse, err error, dst any) (*RawResponse, []string, error) {
	if err != nil {
		return nil, nil, err
	}
	if len(raw.Result) > 0 && !bytes.Equal(raw.Result, []byte("null")) {
		if err := json.Unmarshal(raw.Result, dst); err != nil {
			return raw, nil, &ResultError{Method: method, Raw: raw.Result, Err: err}
		}
	}
	unfit := Unfit(dst)
	c.logUnfit(ctx, method, unfit)
	return raw, unfit, nil
}

func checkMethod(m string) error {
	if m == "" {
		return errors.New("b24: empty method name")
	}
	for _, r := range m {
		ok := r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return fmt.Errorf("b24: method name %q: only letters, digits, '.', '_' and '-' are allowed", m)
		}
	}
	return nil
}

// marshalParams is params as JSON; nil, an empty json.RawMessage and a nil map or pointer are {}.
func marshalParams(params any) ([]byte, error) {
	var body []byte
	switch p := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		if len(bytes.TrimSpace(p)) == 0 {
			return []byte("{}"), nil
		}
		if !json.Valid(p) {
			return nil, errors.New("not valid JSON")
		}
		body = p
	default:
		b, err := json.Marshal(params)
		if err != nil {
			return nil, err
		}
		body = b
	}
	if bytes.Equal(body, []byte("null")) {
		body = []byte("{}")
	}
	if r, ok := params.(interface{ RequiredParams() []string }); ok {
		if err := checkRequired(body, r.RequiredParams()); err != nil {
			return nil, err
		}
	}
	return body, nil
}

// checkRequired finds the required parameters body lacks. Generated params leave an unset field out
// of the JSON, so a missing key (or null) is a parameter the caller never set. In a positional
// body the required parameters are the first ones.
func checkRequired(body []byte, names []string) error {
	var missing []string
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		var vals []json.RawMessage
		if err := json.Unmarshal(body, &vals); err != nil {
			return err
		}
		for i, n := range names {
			if i >= len(vals) || bytes.Equal(vals[i], []byte("null")) {
				missing = append(missing, n)
			}
		}
	} else {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return err
		}
		// the portal reads top-level keys in either case (ID or id), and Extra may spell them so
		set := make(map[string]bool, len(obj))
		for k, v := range obj {
			if !bytes.Equal(v, []byte("null")) {
				set[strings.ToLower(k)] = true
			}
		}
		for _, n := range names {
			// "A|B": either-or parameters, one of which is needed
			if !slices.ContainsFunc(strings.Split(n, "|"), func(alt string) bool { return set[strings.ToLower(alt)] }) {
				missing = append(missing, n)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &RequiredError{Params: missing}
}

// encode marshals params; in OAuth mode it adds the token as "auth" to the top-level object. A JSON
// array (positional parameters) has no place for auth, so then queryAuth is true and the token goes
// in the query string instead (see post).
func (c *Client) encode(method string, params any, token string) (body []byte, queryAuth bool, err error) {
	if body, err = marshalParams(params); err != nil {
		if errors.Is(err, ErrRequired) {
			return nil, false, fmt.Errorf("%s: %w", method, err)
		}
		return nil, false, fmt.Errorf("%s: params: %w", method, err)
	}
	if token == "" {
		return body, false, nil
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		return body, true, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, false, fmt.Errorf("%s: params must be a JSON object or array in OAuth mode", method)
	}
	tok, _ := json.Marshal(token)
	obj["auth"] = tok
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, false, fmt.Errorf("%s: params: %w", method, err)
	}
	return b, false, nil
}

// request is what one try sends: the body, where the token goes, the generation and the
// idempotency key ("" for none).
type request struct {
	body      []byte
	queryAuth bool
	token     string
	api3      bool
	key       string
}

// once sends one request, following at most one redirect (a renamed portal) by re-POSTing the body.
func (c *Client) once(ctx context.Context, method string, rq request) (*RawResponse, error) {
	target := c.endpoint(rq.api3) + "/" + method
	status, hdr, data, err := c.post(ctx, method, target, rq)
	if err != nil {
		return nil, err
	}
	if isRedirect(status) {
		next, err := c.redirectTarget(method, target, hdr.Get("Location"))
		if err != nil {
			return nil, err
		}
		status, hdr, data, err = c.post(ctx, method, next, rq)
		if err != nil {
			return nil, err
		}
		if isRedirect(status) {
			return nil, &HTTPError{Method: method, Status: status, ContentType: hdr.Get("Content-Type"),
				Note: "the portal redirected more than once; check the portal address", Body: data}
		}
		c.rebase(target, next)
	}
	return c.decode(method, status, hdr, data)
}

func isRedirect(status int) bool {
	return status == http.StatusMovedPermanently || status == http.StatusFound ||
		status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect
}

// redirectTarget resolves Location and decides whether the request, credentials included, may go
// there: over https (plain http only between loopback addresses) to the same host, or from one
// Bitrix24 cloud portal to another (a renamed portal answers 302 to its new name). Anything else is
// an error that names where the portal pointed; nothing is sent there.
func (c *Client) redirectTarget(method, from, loc string) (string, error) {
	if loc == "" {
		return "", fmt.Errorf("%s: the portal answered a redirect without a Location", method)
	}
	fu, _ := url.Parse(from)
	lu, err := url.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("%s: the portal redirected to an invalid Location", method)
	}
	u := fu.ResolveReference(lu)
	if u.User != nil || u.Hostname() == "" {
		return "", fmt.Errorf("%s: the portal redirected to an unusable Location", method)
	}
	where := c.scrub(u.Scheme + "://" + u.Host)
	fh, th := strings.ToLower(fu.Hostname()), strings.ToLower(u.Hostname())
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(fh) && isLoopback(th)):
		return "", fmt.Errorf("%s: the portal redirected to %s, which is not https; refusing to send credentials there", method, where)
	case isPrivate(th) && !isPrivate(fh):
		return "", fmt.Errorf("%s: the portal %s redirected to the private address %s; refusing to send credentials there", method, fu.Host, where)
	case fh != th && !(cloudPortal(fh) && cloudPortal(th)):
		return "", fmt.Errorf("%s: the portal %s redirected to %s, another host; refusing to send credentials there "+
			"(if the portal has moved, use its new address)", method, fu.Host, where)
	}
	return u.String(), nil
}

// cloudZones are the domains of Bitrix24's cloud portals (<name>.bitrix24.<zone>).
var cloudZones = []string{"bitrix24.ru", "bitrix24.by", "bitrix24.kz", "bitrix24.ua", "bitrix24.com", "bitrix24.de",
	"bitrix24.eu", "bitrix24.es", "bitrix24.fr", "bitrix24.it", "bitrix24.pl", "bitrix24.uk", "bitrix24.in",
	"bitrix24.cn", "bitrix24.jp", "bitrix24.vn", "bitrix24.id", "bitrix24.co", "bitrix24.com.br", "bitrix24.com.tr"}

// cloudPortal reports whether host is a portal of Bitrix24's cloud: one label under a cloud zone.
func cloudPortal(host string) bool {
	for _, z := range cloudZones {
		if name, ok := strings.CutSuffix(host, "."+z); ok && name != "" && !strings.Contains(name, ".") {
			return true
		}
	}
	return false
}

// isPrivate reports a loopback, private or link-local address, or localhost.
func isPrivate(host string) bool {
	if isLoopback(host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// rebase remembers a renamed portal for the next calls, when the redirect kept the path and only the
// origin changed (what a portal rename looks like).
func (c *Client) rebase(from, to string) {
	fu, err1 := url.Parse(from)
	tu, err2 := url.Parse(to)
	if err1 != nil || err2 != nil || fu.Path != tu.Path || tu.RawQuery != "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if bu, err := url.Parse(c.base); err == nil && bu.Host == fu.Host {
		c.base = tu.Scheme + "://" + tu.Host + bu.Path
	}
}

// post sends body to target. With queryAuth the token is set as the auth query parameter here, per
// request, so that a redirect target gets it too and rebase never stores it in the base URL.
func (c *Client) post(ctx context.Context, method, target string, rq request) (int, http.Header, []byte, error) {
	if rq.queryAuth {
		u, err := url.Parse(target)
		if err != nil {
			return 0, nil, nil, &requestError{msg: c.scrub(fmt.Sprintf("%s: building request: %v", method, err))}
		}
		q := u.Query()
		q.Set("auth", rq.token)
		u.RawQuery = q.Encode()
		target = u.String()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(rq.body))
	if err != nil {
		return 0, nil, nil, &requestError{msg: c.scrub(fmt.Sprintf("%s: building request: %v", method, err))}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent)
	if rq.key != "" {
		req.Header.Set("Idempotency-Key", rq.key)
	}
	if err := ctx.Err(); err != nil {
		return 0, nil, nil, c.transportError(ctx, method, err, false)
	}
	// whether the request was written whole: before that the portal cannot have run it. A transport
	// of the caller's that does not report it (no GetConn) is taken to have sent it unless the dial
	// failed, so that a write is never repeated on a guess.
	var traced, wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(string) { traced.Store(true) },
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	}))
	resp, err := c.hc.Do(req)
	if err != nil {
		var opErr *net.OpError
		sent := wrote.Load() || !traced.Load() && !(errors.As(err, &opErr) && opErr.Op == "dial")
		return 0, nil, nil, c.transportError(ctx, method, err, sent)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(maxBody)+1))
	if err != nil {
		return 0, nil, nil, c.transportError(ctx, method, err, true)
	}
	if len(data) > maxBody {
		return 0, nil, nil, fmt.Errorf("%s: %w (over %d MiB; the call ran)", method, errTooLarge, maxBody>>20)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// transportError rewrites a net/http error so that neither the URL (the webhook secret) nor the token
// can leak through its message or through the *url.Error left in the chain; sent is whether the
// request was written whole.
func (c *Client) transportError(ctx context.Context, method string, err error, sent bool) error {
	var inner error = err
	if ue, ok := err.(*url.Error); ok {
		inner = &url.Error{Op: ue.Op, URL: c.scrub(ue.URL), Err: ue.Err}
		if ctxErr := ctx.Err(); ctxErr != nil {
			// Keep the chain answering errors.Is(err, context.DeadlineExceeded / Canceled).
			inner = &url.Error{Op: ue.Op, URL: c.scrub(ue.URL), Err: ctxErr}
		}
	}
	return &requestError{msg: c.scrub(fmt.Sprintf("%s: %v", method, inner)), err: inner, sent: sent}
}

type envelope struct {
	Result           json.RawMessage `json:"result"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Total            *Int            `json:"total"`
	Next             *Int            `json:"next"`
	Time             *Time           `json:"time"`
}

func (c *Client) decode(method string, status int, hdr http.Header, data []byte) (*RawResponse, error) {
	ct := hdr.Get("Content-Type")
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		note := "the answer is not JSON (a proxy or server error page?)"
		switch {
		case len(bytes.TrimSpace(data)) == 0:
			note = "empty answer"
		case json.Valid(data):
			note = "the answer is JSON but not a Bitrix24 envelope"
		}
		return nil, &HTTPError{Method: method, Status: status, ContentType: ct, Note: note, Body: data}
	}
	if len(env.Error) > 0 && !bytes.Equal(env.Error, []byte("null")) {
		e := &APIError{Status: status, Method: method, Body: data}
		var v3 struct {
			Code       string       `json:"code"`
			Message    string       `json:"message"`
			Validation []FieldError `json:"validation"`
		}
		switch {
		case json.Unmarshal(env.Error, &e.Code) == nil:
			e.Description = env.ErrorDescription
		case json.Unmarshal(env.Error, &v3) == nil: // REST 3.0: {"code", "message", "validation"}
			e.Code, e.Description, e.Validation = v3.Code, v3.Message, v3.Validation
		default:
			e.Code = string(env.Error)
		}
		e.Code, e.Description = c.scrub(e.Code), c.scrub(e.Description)
		for i := range e.Validation {
			e.Validation[i].Message = c.scrub(e.Validation[i].Message)
		}
		return nil, e
	}
	if len(env.Result) == 0 {
		return nil, &HTTPError{Method: method, Status: status, ContentType: ct, Note: "JSON answer without result or error", Body: data}
	}
	if status < 200 || status > 299 {
		return nil, &HTTPError{Method: method, Status: status, ContentType: ct, Note: "unexpected HTTP status with a result", Body: data}
	}
	r := &RawResponse{Body: data, Result: env.Result, Status: status, Replayed: hdr.Get("Idempotent-Replayed") == "true"}
	if env.Total != nil {
		r.Total = int(*env.Total)
	}
	if env.Next != nil {
		r.Next = int(*env.Next)
	}
	if env.Time != nil {
		r.Time = *env.Time
	}
	return r, nil
}
