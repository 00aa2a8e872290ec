package b24

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/b24gen/b24gen/internal/phpform"
)

// Event is an event Bitrix24 delivered to a handler URL: one bound with event.bind, or an outgoing
// webhook. Bitrix24 does not retry a delivery, so a handler should answer at once and work later.
type Event struct {
	Name      string         // upper case, as sent: ONCRMDEALADD
	HandlerID string         // event_handler_id
	Time      time.Time      // ts; zero when absent
	Data      map[string]any // data[...] as nested maps: data[FIELDS][ID] is Data["FIELDS"].(map[string]any)["ID"]
	Auth      EventAuth
}

// EventAuth is the auth part of an event. An app's handler gets tokens to call the portal back with
// (refresh_token only for ONAPPINSTALL and ONOFFLINEEVENT); an outgoing webhook gets none; nor does
// an event raised by automation.
type EventAuth struct {
	AccessToken, RefreshToken string
	ExpiresIn                 int
	Domain                    string // the OAuth server's domain, not the portal's
	ClientEndpoint            string // https://<portal>/rest/
	ServerEndpoint            string
	MemberID                  string // the portal's stable ID
	Scope, Status             string
	ApplicationToken          string // the proof of origin that ParseEvent checks
}

// ErrEventToken is the error of an event whose application token is missing or wrong: it does not
// come from the portal (or the app was reinstalled and the token stored for it is stale).
var ErrEventToken = errors.New("b24: event: the application token does not match")

// maxEvent bounds an event body; events carry IDs, not records.
const maxEvent = 1 << 20

// ParseEvent reads an event POST (a PHP-style form: event=…&data[FIELDS][ID]=…&auth[…]=…) and checks
// auth[application_token] against applicationToken in constant time, since the token is the only
// proof that the event comes from the portal. The token to expect is the one of ONAPPINSTALL (per
// member_id), or the one the portal shows for an outgoing webhook. Errors never echo a token.
func ParseEvent(r *http.Request, applicationToken string) (*Event, error) {
	if applicationToken == "" {
		return nil, errors.New("b24: event: no application token to check the event against")
	}
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("b24: event: want a POST, got %s", r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEvent+1))
	if err != nil {
		return nil, fmt.Errorf("b24: event: reading the body: %w", err)
	}
	if len(body) > maxEvent {
		return nil, errors.New("b24: event: body larger than 1 MiB")
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errors.New("b24: event: the body is not a form")
	}
	form := phpform.Decode(values)
	auth, _ := form["auth"].(map[string]any)
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	got := str(auth, "application_token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(applicationToken)) != 1 {
		return nil, ErrEventToken
	}
	ev := &Event{Name: strings.ToUpper(str(form, "event")), HandlerID: str(form, "event_handler_id")}
	if ev.Name == "" {
		return nil, errors.New("b24: event: no event name")
	}
	if ts, err := strconv.ParseInt(str(form, "ts"), 10, 64); err == nil {
		ev.Time = time.Unix(ts, 0)
	}
	ev.Data, _ = form["data"].(map[string]any)
	ev.Auth = EventAuth{
		AccessToken: str(auth, "access_token"), RefreshToken: str(auth, "refresh_token"),
		Domain: str(auth, "domain"), ClientEndpoint: str(auth, "client_endpoint"), ServerEndpoint: str(auth, "server_endpoint"),
		MemberID: str(auth, "member_id"), Scope: str(auth, "scope"), Status: str(auth, "status"), ApplicationToken: got,
	}
	ev.Auth.ExpiresIn, _ = strconv.Atoi(str(auth, "expires_in"))
	return ev, nil
}
