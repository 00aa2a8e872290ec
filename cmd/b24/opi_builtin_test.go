package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// The OPI functions that are not one REST call: what each prints, checked by its meaning.

func checkAuthLink(t *testing.T, name string) {
	code, stdout, stderr := runConformance(nil, "bitrix24", name, "--domain", "portal.bitrix24.ru", "--clientid", "local.5f2")
	if want := "https://portal.bitrix24.ru/oauth/authorize/?client_id=local.5f2\n"; code != 0 || stdout != want {
		t.Errorf("%s: exit %d, stdout %q, want %q; stderr %s", name, code, stdout, want, stderr)
	}
}

// checkOAuth exchanges a code (GetToken) or a refresh token (RefreshToken) at b24test's OAuth server:
// the answer printed holds the pair the portal now accepts; a wrong secret is an error naming no secret.
func checkOAuth(t *testing.T, f opiCatalogFunc, name string) {
	const secret = "conformance-client-secret"
	srv := b24test.New(b24test.WithOAuthApp("app.conformance", secret))
	defer srv.Close()
	env := map[string]string{"B24_OAUTH_SERVER": srv.URL()}
	grant, value := "--code", srv.AuthCode()
	if f.EN == "RefreshToken" {
		grant, value = "--refresh", srv.RefreshToken()
	}
	code, stdout, stderr := runConformance(env, "bitrix24", name, "--clientid", "app.conformance", "--clientsecret", secret, grant, value)
	var answer struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &answer) != nil {
		t.Fatalf("%s: exit %d, stdout %q, stderr %s", name, code, stdout, stderr)
	}
	if answer.Access != srv.Token() || answer.Refresh != srv.RefreshToken() {
		t.Errorf("%s: printed %+v; the portal accepts %s, the OAuth server %s", name, answer, srv.Token(), srv.RefreshToken())
	}
	code, stdout, stderr = runConformance(env, "bitrix24", name, "--clientid", "app.conformance", "--clientsecret", "wrong-"+secret, grant, "used-"+value)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "invalid_client") || strings.Contains(stderr, secret) || strings.Contains(stderr, value) {
		t.Errorf("%s with a wrong secret: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
	}
}

// checkFolderFilter: one call of disk.folder.getFields, and the fields its answer marks USE_IN_FILTER
// printed with their types, or empty with --empty.
func checkFolderFilter(t *testing.T, name string) {
	fx, _ := fixtures.Lookup("disk.folder.getFields")
	var answer struct {
		Result map[string]struct {
			Type   string `json:"TYPE"`
			Filter bool   `json:"USE_IN_FILTER"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(fx.Example), &answer); err != nil || len(answer.Result) == 0 {
		t.Fatalf("disk.folder.getFields' example: %v", err)
	}
	for _, empty := range []string{"true", "false"} {
		srv := b24test.New()
		code, stdout, stderr := runConformance(nil, "bitrix24", name, "--url", srv.WebhookURL(), "--empty", empty)
		calls := srv.Calls()
		srv.Close()
		if code != 0 || len(calls) != 1 || !strings.EqualFold(calls[0].Method, "disk.folder.getfields") {
			t.Fatalf("%s --empty %s: exit %d, %d calls, stderr %s", name, empty, code, len(calls), stderr)
		}
		want := map[string]string{}
		for k, f := range answer.Result {
			if f.Filter {
				want[k] = f.Type
				if empty == "true" {
					want[k] = ""
				}
			}
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("%s --empty %s: printed %s, want %v", name, empty, stdout, want)
		}
	}
}
