package b24_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

func TestAuthorizeURL(t *testing.T) {
	app := b24.OAuthApp{ClientID: "local.abc 1"}
	for portal, want := range map[string]string{
		"portal.bitrix24.ru":              "https://portal.bitrix24.ru/oauth/authorize/?client_id=local.abc+1",
		"https://portal.bitrix24.ru/rest": "https://portal.bitrix24.ru/oauth/authorize/?client_id=local.abc+1",
	} {
		got, err := app.AuthorizeURL(portal)
		if err != nil || got != want {
			t.Errorf("AuthorizeURL(%q) = %q, %v; want %q", portal, got, err, want)
		}
	}
	if _, err := (b24.OAuthApp{}).AuthorizeURL("portal.bitrix24.ru"); err == nil {
		t.Error("no ClientID: no error")
	}
}

// TestOAuthExchange: a code gives a pair the portal accepts and works once; the pair renews; a wrong
// secret is the OAuth server's error, without the secret or the code in its text.
func TestOAuthExchange(t *testing.T) {
	s := oauthApp(t)
	app := b24.OAuthApp{ClientID: "app.1", ClientSecret: appSecret, Server: s.URL()}
	ctx := context.Background()
	code := s.AuthCode()
	tok, answer, err := app.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	var whole map[string]any
	if json.Unmarshal(answer, &whole) != nil || whole["access_token"] != tok.AccessToken || whole["member_id"] != "b24test" {
		t.Errorf("answer %s, token %+v", answer, tok)
	}
	c, err := b24.New(s.URL(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, "x.add", nil); err != nil {
		t.Errorf("a call with the exchanged token: %v", err)
	}
	_, _, err = app.Exchange(ctx, code)
	var ae *b24.APIError
	if !errors.As(err, &ae) || ae.Code != "invalid_grant" || strings.Contains(err.Error(), code) {
		t.Errorf("the code again: %v", err)
	}
	renewed, _, err := app.Renew(ctx, tok.RefreshToken)
	if err != nil || renewed.AccessToken == tok.AccessToken || renewed.RefreshToken != s.RefreshToken() {
		t.Errorf("Renew: %+v, %v", renewed, err)
	}
	bad := app
	bad.ClientSecret = "wrong-secret-value"
	_, _, err = bad.Exchange(ctx, s.AuthCode())
	if !errors.As(err, &ae) || ae.Code != "invalid_client" || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("a wrong secret: %v", err)
	}
	if _, _, err := app.Renew(ctx, ""); err == nil {
		t.Error("no refresh token: no error")
	}
}
