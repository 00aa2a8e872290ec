// Package b24test is a fake Bitrix24 portal on net/http/httptest. It speaks the real wire format
// (webhook and OAuth URLs, JSON, form, multipart and query encodings, the envelope and error shapes)
// and answers each method with the example response of the spec, unless a test overrides it.
//
// Options make it behave like a loaded cloud portal: its limits (WithRateLimit, WithOperatingLimit),
// a server cost per call and page (WithCost), a clock of its own (WithClock) and faults between
// client and portal (WithFaults); SetRows and GenerateRows give list methods large sets of rows.
//
// It does not import "testing", so a normal program (the CLI's --sandbox) can run it too.
package b24test

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/internal/phpform"
)

// Server is a running fake portal. All methods are safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	user   string
	secret string
	lookup func(string) (Fixture, bool) // WithFixtures

	mu       sync.Mutex
	token    string
	expired  map[string]bool
	calls    []Call
	handlers map[string]Handler
	raw      map[string]http.HandlerFunc
	failures map[string][]*b24.APIError
	runs     map[string]int
	idem     map[string]stored // REST 3.0 writes' answers by Idempotency-Key
	offline  offlineQueue      // event bindings and the offline queue (offline.go)
	drive    drive             // files uploaded and their download links (drive.go)

	moved     *redirect // Redirect: every REST request is answered with it
	redirects int       // requests answered so

	clock func() time.Time
	cost  Cost
	busy  time.Duration // the cost charged so far
	limits
	faultState
	rows map[string]*rowSet // the rows of list methods set by SetRows and friends

	// the OAuth server of one application (WithOAuthApp)
	clientID, clientSecret string
	refreshToken           string
	renewals               int
	codes                  map[string]bool // authorization codes not yet exchanged (AuthCode)
	appToken               string          // auth[application_token] of the events it sends

	tls *tls.Config // WithTLS
}

type redirect struct {
	status int
	base   string
}

// Call is one request the server received.
type Call struct {
	Method      string // as requested, without ".json"
	HTTPMethod  string
	Path        string
	ContentType string
	Auth        string         // "webhook" or "token"; "" when no credential was recognised
	Params      map[string]any // decoded JSON/form/query, auth removed; JSON numbers as json.Number
	Body        []byte
	BatchKey    string // a command of a batch call: its key (the batch call itself comes first)
	API3        bool   // sent to /rest/api/: a REST 3.0 call
	// IdempotencyKey is a REST 3.0 call's Idempotency-Key header, "" without one.
	IdempotencyKey string
}

// Handler answers a call instead of the fixtures. A non-nil error is sent as an error envelope with
// err.Status (400 when 0). The result may be any JSON-marshalable value, or an Envelope for list answers.
type Handler func(c Call) (result any, err *b24.APIError)

// Envelope lets a Handler answer with total and next.
type Envelope struct {
	Result any
	Total  *int // omitted when nil
	Next   *int // omitted when nil
	// OperatingResetAt, when set, is the time.operating_reset_at of the answer (Unix seconds); by
	// default it is 10 minutes ahead, as after a method's first call.
	OperatingResetAt int64
}

// Page is an Envelope of a list page; next 0 means there is no next page.
func Page(result any, total, next int) Envelope {
	e := Envelope{Result: result, Total: &total}
	if next != 0 {
		e.Next = &next
	}
	return e
}

// Option configures a Server.
type Option func(*Server)

// WithSecret fixes the webhook secret (default: random).
func WithSecret(secret string) Option { return func(s *Server) { s.secret = secret } }

// WithToken fixes the accepted access token (default: random).
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// New starts a fake portal on a loopback port.
func New(opts ...Option) *Server {
	s := &Server{
		user:       "1",
		secret:     randomHex(8),
		token:      randomHex(16),
		appToken:   randomHex(16),
		expired:    map[string]bool{},
		handlers:   map[string]Handler{},
		raw:        map[string]http.HandlerFunc{},
		failures:   map[string][]*b24.APIError{},
		runs:       map[string]int{},
		idem:       map[string]stored{},
		clock:      time.Now,
		rows:       map[string]*rowSet{},
		limits:     limits{opWindow: 10 * time.Minute, operating: map[string][]opBucket{}},
		faultState: faultState{injected: map[string]int{}},
		drive:      newDrive(),
	}
	maps.Copy(s.handlers, s.stateMethods())
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if s.tls != nil {
		s.srv.TLS = s.tls
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// WithTLS serves https with cert, so that a client can reach the portal under the names cert holds
// (a cloud portal's, with a dialer of its own), as a real one is reached.
func WithTLS(cert tls.Certificate) Option {
	return func(s *Server) { s.tls = &tls.Config{Certificates: []tls.Certificate{cert}} }
}

// Redirect answers every REST request with status and a Location of base followed by the request's
// path and query, before anything else (a renamed cloud portal answers 302 to its new name; a
// compromised or misconfigured one may point anywhere). The request does not run. An empty base
// stops redirecting.
func (s *Server) Redirect(status int, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.moved = nil
	if base != "" {
		s.moved = &redirect{status, strings.TrimSuffix(base, "/")}
	}
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// URL is the portal address, "http://127.0.0.1:<port>".
func (s *Server) URL() string { return s.srv.URL }

// WebhookURL is the incoming webhook URL the server accepts.
func (s *Server) WebhookURL() string { return s.srv.URL + "/rest/" + s.user + "/" + s.secret }

// Token is the access token the server accepts.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// ExpireToken makes the current token answer 401 expired_token and returns a fresh one that works,
// as a refresh would.
func (s *Server) ExpireToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired[s.token] = true
	s.token = randomHex(16)
	return s.token
}

// Calls returns a copy of every call received, in order. Requests refused by the rate limit, and
// those an injected fault failed before they ran, never reached the portal's methods: they are not
// calls.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// ResetCalls forgets the recorded calls.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// Handle overrides the answer of method (case-insensitive); a nil h restores the default.
func (s *Server) Handle(method string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.handlers, strings.ToLower(method))
		return
	}
	s.handlers[strings.ToLower(method)] = h
}

// HandleHTTP answers method with a plain HTTP handler after auth has passed, for answers that are not
// envelopes at all (an HTML 502 page, a redirect). A nil h restores the default.
func (s *Server) HandleHTTP(method string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.raw, strings.ToLower(method))
		return
	}
	s.raw[strings.ToLower(method)] = h
}

// FailNext makes the next n calls of method fail with err (status err.Status, 400 when 0), before any
// handler runs, e.g. QUERY_LIMIT_EXCEEDED/503 for retry tests. A nil err lets those calls through,
// so that a later FailNext hits a chosen call: FailNext(m, 2, nil) then FailNext(m, 1, err) fails
// the third.
func (s *Server) FailNext(method string, n int, err *b24.APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(method)
	for range n {
		s.failures[k] = append(s.failures[k], err)
	}
}

// QueryLimitExceeded is the rate-limit error as the cloud sends it.
func QueryLimitExceeded() *b24.APIError {
	return &b24.APIError{Code: "QUERY_LIMIT_EXCEEDED", Description: "Too many requests", Status: http.StatusServiceUnavailable}
}

// InternalServerError is the portal's own answer to a method that failed while it ran.
func InternalServerError() *b24.APIError {
	return &b24.APIError{Code: "INTERNAL_SERVER_ERROR", Description: "Internal server error", Status: http.StatusInternalServerError}
}

const maxRequest = 64 << 20

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.TrimSuffix(r.URL.Path, "/") == "/oauth/token" {
		s.serveOAuth(w, r)
		return
	}
	s.mu.Lock()
	moved := s.moved
	if moved != nil {
		s.redirects++
	}
	s.mu.Unlock()
	if moved != nil {
		w.Header().Set("Location", moved.base+r.URL.RequestURI())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(moved.status)
		_, _ = io.WriteString(w, "<html><body>Moved</body></html>\r\n")
		return
	}
	if fileEndpoint(r.URL.Path) {
		s.serveFile(w, r)
		return
	}
	start := s.now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
	if err != nil {
		writeError(w, http.StatusBadRequest, "ERROR_ARGUMENT", "request body unreadable or too large", nil)
		return
	}
	// Faults stand for the proxy in front of the portal, so they come before its rate limit.
	fault := s.drawFault()
	switch fault {
	case fault500:
		writeHTML500(w)
		return
	case faultDrop:
		closeConn(w)
		return
	case fault503:
		writeAPIError(w, QueryLimitExceeded(), "")
		return
	}
	out := w
	if fault == faultLost || fault == faultJSON {
		out = httptest.NewRecorder() // the answer is made in full, then lost
	}
	if s.admit(start) {
		s.serveCall(out, r, body, start, fault != faultJSON) // a failure inside the portal is not an answer it keeps
	} else {
		writeAPIError(out, QueryLimitExceeded(), "")
	}
	switch fault {
	case faultLost:
		closeConn(w)
	case faultJSON:
		writeAPIError(w, InternalServerError(), "")
	}
}

// serveCall answers a REST request that got past the faults and the rate limit.
func (s *Server) serveCall(w http.ResponseWriter, r *http.Request, body []byte, start time.Time, keep bool) {
	call := Call{HTTPMethod: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Body: body}

	user, secret, method, api3, ok := splitPath(r.URL.Path)
	call.Method, call.API3 = method, api3
	if api3 {
		call.IdempotencyKey = r.Header.Get("Idempotency-Key") // 2.0 ignores the header
	}
	params, positional, authParam, perr := decodeParams(r, body)
	call.Params = params
	if !ok {
		s.record(call)
		writeError(w, http.StatusNotFound, "ERROR_METHOD_NOT_FOUND", "Method not found!", nil)
		return
	}

	// Auth.
	if user != "" || secret != "" {
		call.Auth = "webhook"
		s.record(call)
		if user != s.user || secret != s.secret {
			writeError(w, http.StatusUnauthorized, "INVALID_CREDENTIALS", "Invalid request credentials", nil)
			return
		}
	} else {
		tok := bearer(r)
		if tok == "" {
			tok = authParam
		}
		if tok != "" {
			call.Auth = "token"
		}
		s.record(call)
		s.mu.Lock()
		current, expired := s.token, s.expired[tok]
		s.mu.Unlock()
		switch {
		case tok == "":
			writeError(w, http.StatusUnauthorized, "NO_AUTH_FOUND", "Wrong authorization data", nil)
			return
		case expired:
			writeError(w, http.StatusUnauthorized, "expired_token", "The access token provided has expired.", nil)
			return
		case tok != current:
			writeError(w, http.StatusUnauthorized, "invalid_token", "The access token provided is invalid.", nil)
			return
		}
	}
	if perr != nil {
		writeError(w, http.StatusBadRequest, "ERROR_ARGUMENT", perr.Error(), nil)
		return
	}
	if ct, _, _ := mime.ParseMediaType(call.ContentType); call.API3 && len(bytes.TrimSpace(body)) > 0 && ct != "application/json" {
		writeV3Error(w, &b24.APIError{Code: v3Code("INVALIDJSONEXCEPTION"), Description: "Invalid JSON in the request body", Status: http.StatusBadRequest}, "")
		return
	}

	if s.idempotent(w, call) {
		return
	}
	o, raw := s.answer(call, positional)
	if raw != nil {
		raw(w, r)
		return
	}
	if o.err != nil {
		if call.API3 {
			writeV3Error(w, o.err, o.argument)
		} else {
			writeAPIError(w, o.err, o.argument)
		}
		return
	}
	t := s.timeObject(call.Method, start, o.cost)
	if o.resetAt != 0 {
		t.OperatingResetAt = o.resetAt
	}
	answer, err := json.Marshal(envelope{Result: o.result, Total: o.total, Next: o.next, Time: t})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "WRONG_ENCODING", "Wrong request encoding", nil)
		return
	}
	if keep {
		s.remember(call, answer)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(answer)
}

// outcome is the portal's answer to one call: a result with its paging, or an error.
type outcome struct {
	result      any
	total, next *int
	resetAt     int64 // operating_reset_at when a handler set it
	err         *b24.APIError
	argument    string        // the missing parameter of an ERROR_ARGUMENT
	cost        time.Duration // the server cost spent on the call (a batch: on its commands)
	page        *pageWork     // set when a list page was answered from rows, for its cost
}

// answer decides the answer to an authorised call: a scripted failure, the operating-time limit, a
// plain HTTP handler (returned for the caller to run), the required-parameter check, a handler,
// batch, rows set by SetRows, or the spec's example. A call that runs is counted in Runs, costs
// (WithCost) and adds to its method's operating time; batch itself does neither, its commands do.
func (s *Server) answer(call Call, positional []any) (outcome, http.HandlerFunc) {
	key := strings.ToLower(call.Method)
	s.mu.Lock()
	var fail *b24.APIError
	if q := s.failures[key]; len(q) > 0 {
		fail, s.failures[key] = q[0], q[1:]
	}
	h, raw, rows := s.handlers[key], s.raw[key], s.rows[key]
	if r := s.rows[key+"@3"]; call.API3 && r != nil {
		rows = r // a twin's 3.0 rows (SetRows("tasks.task.list@3", …))
	}
	if rows != nil && rows.shape.API3 != call.API3 {
		rows = nil // the other generation's rows
	}
	s.mu.Unlock()
	if fail != nil {
		return outcome{err: fail}, nil
	}
	if key != "batch" && s.operatingBlocked(key) {
		return outcome{err: OperationTimeLimit()}, nil
	}
	fx, known := s.fixture(call.Method, call.API3)
	if h == nil && raw == nil && known && fx.API3 != call.API3 {
		known = false // the method is of the other generation: not found at this endpoint
	}
	if h == nil && raw == nil && !known && key != "batch" {
		return outcome{err: &b24.APIError{Code: "ERROR_METHOD_NOT_FOUND", Description: "Method not found!", Status: http.StatusNotFound}}, nil
	}
	s.mu.Lock()
	s.runs[key]++
	s.mu.Unlock()
	missing := ""
	if known && raw == nil {
		missing = missingParam(fx.Required, call.Params, positional)
	}
	var o outcome
	switch {
	case raw != nil:
	case missing != "":
		o = outcome{err: &b24.APIError{Code: "ERROR_ARGUMENT", Description: fmt.Sprintf("Required parameter %s is missing", missing),
			Status: http.StatusBadRequest}, argument: missing}
	case h != nil:
		o = handlerOutcome(h, call)
	case key == "batch" && call.API3:
		return s.batchV3(call, positional), nil
	case key == "batch":
		return s.batch(call), nil
	case rows != nil:
		o = listPage(*rows, call.Params)
	default:
		o = fixtureOutcome(fx, call.Params)
	}
	o.cost = s.charge(key, o.page)
	return o, raw
}

func handlerOutcome(h Handler, call Call) outcome {
	res, aerr := h(call)
	if aerr != nil {
		return outcome{err: aerr}
	}
	if env, ok := res.(*Envelope); ok && env != nil {
		res = *env
	}
	if env, ok := res.(Envelope); ok {
		return outcome{result: env.Result, total: env.Total, next: env.Next, resetAt: env.OperatingResetAt}
	}
	return outcome{result: res}
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

// splitPath accepts /rest/<user>/<secret>/<method> and /rest/<method>, with an optional .json suffix
// and trailing slash, and the same under /rest/api/ (REST 3.0).
func splitPath(p string) (user, secret, method string, api3, ok bool) {
	rest, found := strings.CutPrefix(p, "/rest/")
	if !found {
		return "", "", "", false, false
	}
	rest, api3 = strings.CutPrefix(rest, "api/")
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	switch len(segs) {
	case 1:
		method = segs[0]
	case 3:
		user, secret, method = segs[0], segs[1], segs[2]
	default:
		return "", "", "", false, false
	}
	if len(method) > 5 && strings.EqualFold(method[len(method)-5:], ".json") {
		method = method[:len(method)-5]
	}
	return user, secret, method, api3, method != ""
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// decodeParams merges query parameters with body parameters (the body wins, as on the real server)
// and takes out auth/access_token. A body that cannot be decoded is an error, where the real server
// silently drops it: a fake should make such client bugs visible. positional is the body when it is
// a JSON array (positional parameters), else nil.
func decodeParams(r *http.Request, body []byte) (params map[string]any, positional []any, auth string, err error) {
	params = phpform.Decode(r.URL.Query())
	var bodyParams map[string]any
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(bytes.TrimSpace(body)) == 0:
	case ct == "application/json" || ct == "" && (body[0] == '{' || body[0] == '['):
		bodyParams, positional, err = decodeJSON(body)
	case ct == "application/x-www-form-urlencoded":
		var v url.Values
		if v, err = url.ParseQuery(string(body)); err == nil {
			bodyParams = phpform.Decode(v)
		}
	case ct == "multipart/form-data":
		bodyParams, err = decodeMultipart(body, ctParams["boundary"])
	default:
		// PHP falls back to parse_str for any other content type.
		var v url.Values
		if v, err = url.ParseQuery(string(body)); err == nil {
			bodyParams = phpform.Decode(v)
		}
	}
	if err != nil {
		err = fmt.Errorf("cannot decode the %s body: %v", ct, err)
	}
	for k, v := range bodyParams {
		params[k] = v
	}
	for _, k := range []string{"access_token", "auth"} { // auth wins, as on the real server
		if v, ok := params[k].(string); ok && v != "" {
			auth = v
		}
		delete(params, k)
	}
	return params, positional, auth, err
}

// decodeJSON decodes an object, or an array of positional parameters as PHP sees them after the
// server's JSON conversion: keys "0", "1", …; the array itself is returned too for the required check.
func decodeJSON(body []byte) (map[string]any, []any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("trailing data after the JSON value")
	}
	switch t := v.(type) {
	case map[string]any:
		return t, nil, nil
	case []any:
		m := make(map[string]any, len(t))
		for i, x := range t {
			m[strconv.Itoa(i)] = x
		}
		return m, t, nil
	}
	return nil, nil, fmt.Errorf("want a JSON object or array")
}

// decodeMultipart reads every part as a form value; a file part becomes ["filename", "<base64>"],
// the same shape as an inline file.
func decodeMultipart(body []byte, boundary string) (map[string]any, error) {
	if boundary == "" {
		return nil, fmt.Errorf("no multipart boundary")
	}
	req := &http.Request{Method: http.MethodPost, Header: http.Header{"Content-Type": {"multipart/form-data; boundary=" + boundary}},
		Body: io.NopCloser(bytes.NewReader(body))}
	mr, err := req.MultipartReader()
	if err != nil {
		return nil, err
	}
	values := url.Values{}
	files := map[string][]any{}
	var order []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		name := part.FormName()
		if name == "" {
			continue
		}
		if fn := part.FileName(); fn != "" {
			if _, seen := files[name]; !seen {
				order = append(order, name)
			}
			files[name] = []any{fn, base64.StdEncoding.EncodeToString(data)}
			continue
		}
		values.Add(name, string(data))
	}
	m := phpform.Decode(values)
	for _, name := range order {
		phpform.SetPath(m, phpform.SplitKey(name), files[name])
	}
	return m, nil
}

// missingParam names the first required parameter that is absent, null or "". A JSON-array body
// carries no names: fixtures list wire names in the method's positional order (required ones first,
// as positional signatures put them), so the i-th required name is matched by the i-th element.
// An array with at least N usable elements thus satisfies the first N required parameters.
func missingParam(required []string, params map[string]any, positional []any) string {
	if positional != nil {
		for i, name := range required {
			if i >= len(positional) || positional[i] == nil || positional[i] == "" {
				return name
			}
		}
		return ""
	}
	for _, name := range required {
		found := false
		for _, alt := range strings.Split(name, "|") { // "A|B": one of A and B
			for k, v := range params {
				if strings.EqualFold(k, alt) && v != nil && v != "" {
					found = true
				}
			}
		}
		if !found {
			return strings.ReplaceAll(name, "|", " or ")
		}
	}
	return ""
}

// fixtureOutcome answers with the spec's example; a method without one answers true (a write) or
// an empty list (a read). A list method's example rows are paged as the portal would (listPage).
func fixtureOutcome(fx Fixture, params map[string]any) outcome {
	if fx.Example == "" {
		switch {
		case fx.API3 && fx.Kind == "read" && strings.HasSuffix(strings.ToLower(fx.Name), "list"):
			return outcome{result: map[string]any{"items": []any{}}} // REST 3.0's envelope of a list
		case fx.API3 && fx.Kind == "read":
			return outcome{result: map[string]any{"item": map[string]any{}}}
		case fx.API3:
			return outcome{result: map[string]any{"result": true}}
		case fx.Kind == "read":
			return outcome{result: []any{}}
		}
		return outcome{result: true}
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Total  *b24.Int        `json:"total"` // examples may quote numbers
		Next   *b24.Int        `json:"next"`
	}
	if err := json.Unmarshal([]byte(fx.Example), &env); err != nil || len(env.Result) == 0 {
		return outcome{err: &b24.APIError{Code: "INTERNAL_SERVER_ERROR", Description: "b24test: the spec example of " + fx.Name + " is not a result envelope",
			Status: http.StatusInternalServerError}}
	}
	if fx.List != nil {
		if rows, ok := exampleRows(*fx.List, env.Result); ok {
			return listPage(rows, params)
		}
	}
	return outcome{result: env.Result, total: intPtr(env.Total), next: intPtr(env.Next)}
}

func intPtr(n *b24.Int) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// envelope and wireTime are structs, not maps, so that keys come out in the order a portal sends them.
type envelope struct {
	Result any      `json:"result"`
	Total  *int     `json:"total,omitempty"`
	Next   *int     `json:"next,omitempty"`
	Time   wireTime `json:"time"`
}

type wireTime struct {
	Start            float64 `json:"start"`
	Finish           float64 `json:"finish"`
	Duration         float64 `json:"duration"`
	Processing       float64 `json:"processing"`
	DateStart        string  `json:"date_start"`
	DateFinish       string  `json:"date_finish"`
	OperatingResetAt int64   `json:"operating_reset_at"`
	Operating        float64 `json:"operating"`
}

// writeAPIError sends e with its status (400 when 0); argument, when set, names the parameter at fault.
func writeAPIError(w http.ResponseWriter, e *b24.APIError, argument string) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	var extra map[string]any
	if argument != "" {
		extra = map[string]any{"argument": argument}
	}
	writeError(w, status, e.Code, e.Description, extra)
}

// v3Code is a REST 3.0 error code: they all start with BITRIX_REST_V3_EXCEPTION_.
func v3Code(name string) string { return "BITRIX_REST_V3_EXCEPTION_" + name }

var (
	errInvalidKey = b24.APIError{Code: v3Code("INVALIDIDEMPOTENCYKEYEXCEPTION"), Description: "Invalid Idempotency-Key", Status: http.StatusBadRequest}
	errKeyReused  = b24.APIError{Code: v3Code("IDEMPOTENCYKEYREUSEDEXCEPTION"), Description: "The Idempotency-Key was used with another request body", Status: http.StatusUnprocessableEntity}
)

// writeV3Error sends e in REST 3.0's form, {"error": {"code", "message", "validation"}}; a missing
// parameter (argument) is the validation error 3.0 answers it with.
func writeV3Error(w http.ResponseWriter, e *b24.APIError, argument string) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	body := struct {
		Code       string           `json:"code"`
		Message    string           `json:"message"`
		Validation []b24.FieldError `json:"validation,omitempty"`
	}{e.Code, e.Description, e.Validation}
	if argument != "" {
		body.Code, body.Message = v3Code("VALIDATION_REQUESTVALIDATIONEXCEPTION"), "Error during request object validation"
		body.Validation = append(body.Validation, b24.FieldError{Field: argument, Message: "Required field `" + argument + "` is not specified"})
	}
	writeJSON(w, status, map[string]any{"error": body})
}

func writeError(w http.ResponseWriter, status int, code, desc string, extra map[string]any) {
	env := map[string]any{"error": code, "error_description": desc}
	for k, v := range extra {
		env[k] = v
	}
	writeJSON(w, status, env)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"error":"WRONG_ENCODING","error_description":"Wrong request encoding"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
