package b24test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/b24gen/b24gen/internal/phpform"
)

// ApplicationToken is the token the server's events carry in auth[application_token]: what a handler
// checks (b24event.Parse).
func (s *Server) ApplicationToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appToken
}

// SendEvent posts event name with data to a handler URL the way the portal delivers events: a PHP-style
// form with event, event_handler_id, data, ts and auth (the current access token, the application
// token and the portal's addresses; the refresh token too for ONAPPINSTALL and ONOFFLINEEVENT). It
// returns the handler's HTTP status.
func (s *Server) SendEvent(handlerURL, name string, data map[string]any) (int, error) {
	s.mu.Lock()
	auth := map[string]any{
		"access_token": s.token, "expires_in": "3600", "scope": "crm,im,task", "domain": "oauth.bitrix.info",
		"server_endpoint": "https://oauth.bitrix.info/rest/", "status": "L", "client_endpoint": s.srv.URL + "/rest/",
		"member_id": "b24test", "application_token": s.appToken,
	}
	if n := strings.ToUpper(name); n == "ONAPPINSTALL" || n == "ONOFFLINEEVENT" {
		auth["refresh_token"] = s.refreshToken // only these carry it, as on the portal
	}
	s.mu.Unlock()
	event, err := json.Marshal(map[string]any{
		"event": strings.ToUpper(name), "event_handler_id": "1", "data": data,
		"ts": strconv.FormatInt(time.Now().Unix(), 10), "auth": auth,
	})
	if err != nil {
		return 0, fmt.Errorf("b24test: event data: %w", err)
	}
	body, err := phpform.Encode(event)
	if err != nil {
		return 0, fmt.Errorf("b24test: event data: %w", err)
	}
	resp, err := http.Post(handlerURL, "application/x-www-form-urlencoded", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
