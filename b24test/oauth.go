package b24test

import (
	"net/http"
	"time"
)

// WithOAuthApp makes the server the OAuth server of one application too: GET /oauth/token/ with this
// client_id and client_secret, and grant_type=refresh_token with the current refresh token (see
// RefreshToken) or grant_type=authorization_code with a code of AuthCode, answers a new token pair,
// as https://oauth.bitrix.info does. The new access token becomes the one the portal accepts, the
// one before it expires, and the old refresh token stops working; a code works once. Requests to
// /oauth/token/ are not recorded in Calls: they carry the client secret.
func WithOAuthApp(clientID, clientSecret string) Option {
	return func(s *Server) {
		s.clientID, s.clientSecret = clientID, clientSecret
		s.refreshToken = randomHex(16)
	}
}

// RefreshToken is the refresh token the OAuth server accepts now.
func (s *Server) RefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshToken
}

// AuthCode issues an authorization code, as the portal does when a user grants the application
// access: the OAuth server exchanges it once for a token pair.
func (s *Server) AuthCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.codes == nil {
		s.codes = map[string]bool{}
	}
	code := randomHex(16)
	s.codes[code] = true
	return code
}

// Renewals counts the tokens the OAuth server has issued.
func (s *Server) Renewals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.renewals
}

func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.clientID == "":
		writeError(w, http.StatusNotFound, "ERROR_METHOD_NOT_FOUND", "b24test: no OAuth app (WithOAuthApp)", nil)
		return
	case r.Method != http.MethodGet && r.Method != http.MethodPost:
		writeError(w, http.StatusMethodNotAllowed, "invalid_request", "GET expected", nil)
		return
	case q.Get("grant_type") != "refresh_token" && q.Get("grant_type") != "authorization_code":
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", "only refresh_token and authorization_code are served", nil)
		return
	case q.Get("client_id") != s.clientID || q.Get("client_secret") != s.clientSecret:
		writeError(w, http.StatusUnauthorized, "invalid_client", "Invalid client credentials", nil)
		return
	case q.Get("grant_type") == "refresh_token" && q.Get("refresh_token") != s.refreshToken:
		writeError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token", nil)
		return
	case q.Get("grant_type") == "authorization_code" && !s.codes[q.Get("code")]:
		writeError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code", nil)
		return
	}
	delete(s.codes, q.Get("code"))
	s.expired[s.token] = true
	s.token, s.refreshToken = randomHex(16), randomHex(16)
	s.renewals++
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": s.token, "refresh_token": s.refreshToken, "expires": time.Now().Unix() + 3600, "expires_in": 3600,
		"scope": "app", "domain": "oauth.bitrix.info", "server_endpoint": s.srv.URL + "/rest/", "status": "L",
		"client_endpoint": s.srv.URL + "/rest/", "member_id": "b24test", "user_id": 1,
	})
}
