package b24event

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/internal/phpform"
)

// Event is one event as the portal delivered it: posted to a handler, or taken from the offline
// queue.
type Event struct {
	Name      string          // upper case, as sent: ONCRMDEALADD
	HandlerID string          // event_handler_id; "" for an offline event
	MessageID string          // an offline event's MESSAGE_ID; "" for a posted one
	Time      time.Time       // ts (TIMESTAMP_X offline); zero when absent
	Data      json.RawMessage // data as JSON: PHP's form lists as lists, every value as sent (a string)
	Auth      Auth            // a posted event's auth
}

// Auth is the auth part of a posted event. An app's handler gets tokens to call the portal back with
// (RefreshToken only in ONAPPINSTALL and ONOFFLINEEVENT); an outgoing webhook gets none; nor does an
// event raised by automation.
type Auth struct {
	AccessToken, RefreshToken string
	ExpiresIn                 int
	Domain                    string // the OAuth server's domain, not the portal's
	ClientEndpoint            string // https://<portal>/rest/
	ServerEndpoint            string
	MemberID                  string // the portal's stable ID
	Scope, Status             string
	ApplicationToken          string // the proof of origin that Parse checks
}

// ErrToken is the error of a posted event whose application token is missing or wrong: it does not
// come from the portal (or the app was reinstalled and the stored token is stale).
var ErrToken = errors.New("b24event: the application token does not match")

// TokenFunc gives the application token to check a portal's events against, by the portal's
// member_id: the one of its ONAPPINSTALL (an app), or the outgoing webhook's (see Token). ok is
// false for a portal it does not know, whose events are then refused.
type TokenFunc func(memberID string) (token string, ok bool)

// Token is the TokenFunc of an outgoing webhook: one token, whatever the portal.
func Token(token string) TokenFunc {
	return func(string) (string, bool) { return token, token != "" }
}

// maxBody bounds an event body; events carry IDs, not records.
const maxBody = 1 << 20

// Parse reads an event POST (a PHP-style form: event=…&data[FIELDS][ID]=…&auth[…]=…) and checks
// auth[application_token] in constant time against the token tokens gives for its member_id: the
// token is the only proof that the event comes from the portal. Errors never echo a token.
func Parse(r *http.Request, tokens TokenFunc) (*Event, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("b24event: want a POST, got %s", r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("b24event: reading the body: %w", err)
	}
	if len(body) > maxBody {
		return nil, errors.New("b24event: body larger than 1 MiB")
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errors.New("b24event: the body is not a form")
	}
	return fromForm(phpform.Decode(values), tokens)
}

// fromForm checks and reads a decoded event form.
func fromForm(form map[string]any, tokens TokenFunc) (*Event, error) {
	auth, _ := form["auth"].(map[string]any)
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	got := str(auth, "application_token")
	want, known := tokens(str(auth, "member_id"))
	if !known || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return nil, ErrToken
	}
	ev := &Event{Name: strings.ToUpper(str(form, "event")), HandlerID: str(form, "event_handler_id")}
	if ev.Name == "" {
		return nil, errors.New("b24event: no event name")
	}
	if ts, err := strconv.ParseInt(str(form, "ts"), 10, 64); err == nil {
		ev.Time = time.Unix(ts, 0)
	}
	data, err := json.Marshal(phpform.Listify(form["data"]))
	if err != nil {
		return nil, fmt.Errorf("b24event: data: %w", err)
	}
	ev.Data = data
	ev.Auth = Auth{
		AccessToken: str(auth, "access_token"), RefreshToken: str(auth, "refresh_token"),
		Domain: str(auth, "domain"), ClientEndpoint: str(auth, "client_endpoint"), ServerEndpoint: str(auth, "server_endpoint"),
		MemberID: str(auth, "member_id"), Scope: str(auth, "scope"), Status: str(auth, "status"), ApplicationToken: got,
	}
	ev.Auth.ExpiresIn, _ = strconv.Atoi(str(auth, "expires_in"))
	return ev, nil
}

// Decode decodes the event's data into d, leniently, and names the fields whose value did not fit
// their type (kept in the structure's Extra, as every undeclared key is).
func (ev *Event) Decode(d Data) (unfit []string, err error) {
	if len(ev.Data) > 0 && !bytes.Equal(ev.Data, []byte("null")) {
		if err := json.Unmarshal(ev.Data, d); err != nil {
			return nil, fmt.Errorf("b24event: %s: data does not decode into %T: %w", ev.Name, d, err)
		}
	}
	return b24.Unfit(d), nil
}

// WriteBack is d written again as JSON with exactly the keys the event's data had: the typed
// values, in their Go form (an ID as a number), and nothing the portal did not send.
func (ev *Event) WriteBack(d Data) (json.RawMessage, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	typed, err := decodeNumbers(b)
	if err != nil {
		return nil, err
	}
	sent, err := decodeNumbers(ev.Data)
	if err != nil {
		return b, nil
	}
	return json.Marshal(keepSent(typed, sent))
}

// decodeNumbers decodes JSON keeping numbers as they are written (an ID of 19 digits stays whole).
func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// keepSent drops from typed the keys sent did not have, at every depth.
func keepSent(typed, sent any) any {
	switch t := typed.(type) {
	case map[string]any:
		s, ok := sent.(map[string]any)
		if !ok {
			return typed
		}
		for k, v := range t {
			if sv, in := s[k]; in {
				t[k] = keepSent(v, sv)
			} else {
				delete(t, k)
			}
		}
	case []any:
		if s, ok := sent.([]any); ok && len(s) == len(t) {
			for i := range t {
				t[i] = keepSent(t[i], s[i])
			}
		}
	}
	return typed
}
