package b24_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

const appSecret = "app-s3cr3t-value"

func oauthApp(t *testing.T) *b24test.Server {
	t.Helper()
	s := b24test.New(b24test.WithOAuthApp("app.1", appSecret))
	t.Cleanup(s.Close)
	s.Handle("x.add", func(b24test.Call) (any, *b24.APIError) { return 1, nil })
	return s
}

func refreshing(t *testing.T, s *b24test.Server, save func(b24.Token)) *b24.Client {
	t.Helper()
	c, err := b24.New(s.URL(), s.Token(), b24.WithRefresh(b24.Refresh{
		ClientID: "app.1", ClientSecret: appSecret, RefreshToken: s.RefreshToken(), Server: s.URL(), Save: save,
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRefresh: an expired token is renewed once, the refused call is sent again, the new pair is
// handed to Save, and later calls use the new token.
func TestRefresh(t *testing.T) {
	s := oauthApp(t)
	var saved []b24.Token
	c := refreshing(t, s, func(tok b24.Token) { saved = append(saved, tok) })
	s.ExpireToken()
	if _, err := c.Do(context.Background(), "x.add", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "x.add", nil); err != nil {
		t.Fatal(err)
	}
	if n := s.Renewals(); n != 1 {
		t.Errorf("%d renewals, want 1", n)
	}
	if len(saved) != 1 || saved[0].AccessToken != s.Token() || saved[0].RefreshToken != s.RefreshToken() || saved[0].MemberID != "b24test" {
		t.Errorf("saved %+v", saved)
	}
	calls := s.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3 (refused, repeated, next)", len(calls))
	}
	for _, c := range calls {
		if c.Method != "x.add" || c.Auth != "token" {
			t.Errorf("call %+v", c)
		}
	}
}

// TestRefreshShared: calls that meet the expired token at the same time wait for one renewal.
func TestRefreshShared(t *testing.T) {
	s := oauthApp(t)
	c := refreshing(t, s, nil)
	s.ExpireToken()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := c.Do(context.Background(), "x.add", nil); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.Renewals(); n != 1 {
		t.Errorf("%d renewals for 20 concurrent calls, want 1", n)
	}
}

// TestRefreshOnce: a call is repeated at most once; a renewed token that is refused again is the error.
func TestRefreshOnce(t *testing.T) {
	s := oauthApp(t)
	c := refreshing(t, s, nil)
	s.FailNext("x.add", 2, &b24.APIError{Code: "expired_token", Status: 401})
	_, err := c.Do(context.Background(), "x.add", nil)
	if !errors.Is(err, b24.ErrExpiredToken) {
		t.Errorf("err = %v", err)
	}
	if n := len(s.Calls()); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

// TestRefreshFails: a refused renewal is an *APIError of oauth/token; no secret shows in any message.
func TestRefreshFails(t *testing.T) {
	s := oauthApp(t)
	c, err := b24.New(s.URL(), s.Token(), b24.WithRefresh(b24.Refresh{
		ClientID: "app.1", ClientSecret: appSecret, RefreshToken: "stale-refresh-token", Server: s.URL(),
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireToken()
	_, err = c.Do(context.Background(), "x.add", nil)
	var ae *b24.APIError
	if !errors.As(err, &ae) || ae.Code != "invalid_grant" || !strings.Contains(err.Error(), "x.add: the access token expired: oauth/token: invalid_grant") {
		t.Errorf("err = %v", err)
	}

	down, err := b24.New(s.URL(), s.Token(), b24.WithRefresh(b24.Refresh{
		ClientID: "app.1", ClientSecret: appSecret, RefreshToken: "stale-refresh-token", Server: "http://127.0.0.1:1",
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireToken()
	_, err = down.Do(context.Background(), "x.add", nil)
	if err == nil || !strings.Contains(err.Error(), "renewing the access token") {
		t.Errorf("err = %v", err)
	}
	for _, secret := range []string{appSecret, "stale-refresh-token"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%q shows in %q", secret, err)
		}
	}
}

func TestRefreshConfig(t *testing.T) {
	s := oauthApp(t)
	for name, tc := range map[string]struct {
		url, token string
		r          b24.Refresh
		want       string
	}{
		"webhook":    {s.WebhookURL(), "", b24.Refresh{ClientID: "a", ClientSecret: "b", RefreshToken: "c"}, "WithRefresh is for OAuth clients"},
		"incomplete": {s.URL(), "tok", b24.Refresh{ClientID: "a"}, "needs ClientID, ClientSecret and RefreshToken"},
		"plain http": {s.URL(), "tok", b24.Refresh{ClientID: "a", ClientSecret: "b", RefreshToken: "c", Server: "http://oauth.example.com"}, "http:// is allowed only for loopback"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := b24.New(tc.url, tc.token, b24.WithRefresh(tc.r))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestRefreshDetached: a call whose context ends while the OAuth server is answering gets its
// context's error, but the renewal goes on: the new pair reaches Save and later calls use the new
// token. A call that meets the renewal in flight waits for it instead of starting another.
func TestRefreshDetached(t *testing.T) {
	s := oauthApp(t)
	arrived, release := make(chan struct{}, 2), make(chan struct{})
	// The OAuth server holds the renewal until released, then answers as b24test's does.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		resp, err := http.Get(s.URL() + r.URL.RequestURI())
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer slow.Close()
	saved := make(chan b24.Token, 2)
	c, err := b24.New(s.URL(), s.Token(), b24.WithRefresh(b24.Refresh{
		ClientID: "app.1", ClientSecret: appSecret, RefreshToken: s.RefreshToken(), Server: slow.URL,
		Save: func(tok b24.Token) { saved <- tok },
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireToken()

	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, "x.add", nil)
		gaveUp <- err
	}()
	<-arrived
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("the call that gave up: err = %v, want context.Canceled", err)
	}
	waited := make(chan error, 1)
	go func() {
		_, err := c.Do(context.Background(), "x.add", nil)
		waited <- err
	}()
	close(release)

	select {
	case tok := <-saved:
		if tok.AccessToken != s.Token() || tok.RefreshToken != s.RefreshToken() {
			t.Errorf("saved %+v, the OAuth server issued %s / %s", tok, s.Token(), s.RefreshToken())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the new pair never reached Save")
	}
	if err := <-waited; err != nil {
		t.Errorf("the call that waited: %v", err)
	}
	if _, err := c.Do(context.Background(), "x.add", nil); err != nil {
		t.Errorf("a later call: %v", err)
	}
	if n := s.Renewals(); n != 1 {
		t.Errorf("%d renewals, want 1", n)
	}
	if n := len(arrived); n != 0 {
		t.Errorf("%d more requests reached the OAuth server", n)
	}
}
