package command

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/profile"
)

// runIn runs the command line in-process with standard input and the given environment.
func runIn(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errOut, Catalog: (&testCatalog{}).catalog(),
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(stdin),
	})
	return result{code, out.String(), errOut.String()}
}

func loadProfiles(t *testing.T, dir string) *profile.File {
	t.Helper()
	f, err := profile.Store{Dir: dir}.Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// noSecret fails when any of secrets shows in the run's output.
func noSecret(t *testing.T, r result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("secret %q in the output:\nstdout:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
}

const clientSecret = "app-client-s3cr3t"

// TestAuthProfiles is the scenario: a webhook profile and an OAuth profile logged in
// against b24test, commands run through each, an expired token renewed once and the new pair
// saved, the file's mode, auth list without secrets, --url and B24_URL winning over the profile.
func TestAuthProfiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "conf")
	env := map[string]string{"B24_CONFIG_DIR": dir}
	hook := b24test.New(b24test.WithSecret("hook-s3cr3t-path"))
	defer hook.Close()
	app := b24test.New(b24test.WithOAuthApp("local.app.1", clientSecret))
	defer app.Close()
	firstAccess, firstRefresh := app.Token(), app.RefreshToken()
	secrets := []string{"hook-s3cr3t-path", clientSecret, firstAccess, firstRefresh}

	// A webhook profile: the first login becomes the current profile.
	r := runIn(t, env, "", "auth", "login", "hook", "--url", hook.WebhookURL())
	r.check(t, 0)
	if !strings.Contains(r.stdout, `profile "hook" (webhook, 127.0.0.1:`) || !strings.Contains(r.stdout, "It is the current profile.") {
		t.Errorf("login said:\n%s", r.stdout)
	}
	noSecret(t, r, secrets...)

	// An OAuth profile, its secrets read from stdin (key=value lines), so none is in argv.
	stdin := "portal=" + app.URL() + "\nclient_secret=" + clientSecret + "\naccess_token=" + firstAccess +
		"\nrefresh_token=" + firstRefresh + "\noauth_server=" + app.URL() + "\n"
	r = runIn(t, env, stdin, "auth", "login", "app", "--client-id", "local.app.1", "--with-token")
	r.check(t, 0)
	if !strings.Contains(r.stdout, `profile "app" (oauth, 127.0.0.1:`) || !strings.Contains(r.stdout, "b24 auth use app") {
		t.Errorf("login said:\n%s", r.stdout)
	}
	noSecret(t, r, secrets...)

	path := filepath.Join(dir, profile.FileName)
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: %v, mode %v, want %04o", p, err, fi.Mode().Perm(), want)
			}
		}
	}

	// auth list: names, kinds, hosts, the current one; nothing secret.
	r = runIn(t, env, "", "auth", "list")
	r.check(t, 0)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "CURRENT") ||
		!strings.Contains(lines[1], "app") || !strings.Contains(lines[1], "oauth") || strings.HasPrefix(lines[1], "*") ||
		!strings.HasPrefix(lines[2], "*") || !strings.Contains(lines[2], "hook") || !strings.Contains(lines[2], "webhook") ||
		!strings.Contains(lines[2], strings.TrimPrefix(hook.URL(), "http://")) {
		t.Errorf("auth list:\n%s", r.stdout)
	}
	noSecret(t, r, secrets...)
	if strings.Contains(r.stdout, "/rest/") {
		t.Errorf("auth list shows a webhook path:\n%s", r.stdout)
	}

	// The current profile (the webhook) is called without --url.
	r = runIn(t, env, "", "im.dialog.unread", "--chat", "chat1", "--message", "2")
	r.check(t, 0)
	if c := lastCall(t, hook); c.Auth != "webhook" || c.Method != "im.dialog.unread" {
		t.Errorf("call %+v", c)
	}

	// --profile app: the OAuth profile, its token in the request.
	app.Handle("crm.deal.get", func(b24test.Call) (any, *b24.APIError) { return map[string]any{"ID": "7"}, nil })
	r = runIn(t, env, "", "--profile", "app", "crm.deal.get", "--id", "7")
	r.check(t, 0)
	if c := lastCall(t, app); c.Auth != "token" || !strings.Contains(string(c.Body), firstAccess) {
		t.Errorf("call %+v", c)
	}

	// The token expires: one renewal, the call repeated, the new pair saved, the other profile kept.
	app.ExpireToken()
	r = runIn(t, env, "", "--profile", "app", "crm.deal.get", "--id", "7", "--verbose")
	r.check(t, 0)
	if n := app.Renewals(); n != 1 {
		t.Errorf("%d renewals, want 1", n)
	}
	f := loadProfiles(t, dir)
	if p := f.Profiles["app"]; p == nil || p.AccessToken != app.Token() || p.RefreshToken != app.RefreshToken() ||
		p.AccessToken == firstAccess || p.RefreshToken == firstRefresh || p.Expires == 0 {
		t.Errorf("saved profile %+v (server has %s / %s)", p, app.Token(), app.RefreshToken())
	}
	if f.Profiles["hook"] == nil || f.Current != "hook" {
		t.Errorf("the webhook profile or the current one is lost: %+v", f)
	}
	noSecret(t, r, append(secrets, app.Token(), app.RefreshToken())...) // --verbose logs no secret
	if !strings.Contains(r.stderr, "crm.deal.get") {
		t.Errorf("--verbose logged nothing:\n%s", r.stderr)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("after the renewal: %v, mode %v", err, fi.Mode().Perm())
		}
	}

	// The next run starts with the saved token: no second renewal.
	r = runIn(t, env, "", "--profile", "app", "crm.deal.get", "--id", "7")
	r.check(t, 0)
	if n := app.Renewals(); n != 1 {
		t.Errorf("%d renewals after a run with the saved token, want 1", n)
	}

	// B24_PROFILE selects a profile; auth use switches the current one.
	r = runIn(t, map[string]string{"B24_CONFIG_DIR": dir, "B24_PROFILE": "app"}, "", "crm.deal.get", "--id", "7")
	r.check(t, 0)
	if c := lastCall(t, app); c.Auth != "token" {
		t.Errorf("B24_PROFILE: call %+v", c)
	}
	r = runIn(t, env, "", "auth", "use", "app")
	r.check(t, 0)
	if !strings.Contains(r.stdout, `Current profile: "app"`) {
		t.Errorf("auth use said %s", r.stdout)
	}
	app.ResetCalls()
	r = runIn(t, env, "", "crm.deal.get", "--id", "7")
	r.check(t, 0)
	if n := len(app.Calls()); n != 1 {
		t.Errorf("the current profile got %d calls, want 1", n)
	}

	// --url, B24_URL and --token win over the profile.
	other := b24test.New()
	defer other.Close()
	r = runIn(t, env, "", "--url", other.WebhookURL(), "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 0)
	if n := len(other.Calls()); n != 1 || r.stderr != "" {
		t.Errorf("--url: %d calls; stderr %s", n, r.stderr)
	}
	r = runIn(t, map[string]string{"B24_CONFIG_DIR": dir, "B24_URL": other.WebhookURL()}, "", "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 0)
	if n := len(other.Calls()); n != 2 {
		t.Errorf("B24_URL: %d calls", n)
	}
	r = runIn(t, env, "", "--profile", "hook", "--url", other.URL(), "--token", other.Token(), "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 0)
	if n := len(other.Calls()); n != 3 || !strings.Contains(r.stderr, `warning: --url/--token (or B24_URL/B24_TOKEN) win over profile "hook"`) {
		t.Errorf("--url with --profile: %d calls; stderr %s", n, r.stderr)
	}

	// An unknown profile is a usage error.
	r = runIn(t, env, "", "--profile", "nope", "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 2)
	if !strings.Contains(r.stderr, `no profile "nope"`) {
		t.Errorf("stderr %s", r.stderr)
	}

	// logout: the profile and its secrets leave the file; the only one left becomes current.
	r = runIn(t, env, "", "auth", "logout", "app")
	r.check(t, 0)
	if !strings.Contains(r.stdout, `Current profile: "hook"`) {
		t.Errorf("logout said %s", r.stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(clientSecret)) || bytes.Contains(data, []byte(`"app"`)) {
		t.Errorf("after logout the file holds:\n%s", data)
	}
	r = runIn(t, env, "", "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 0)
}

// TestAuthRefusesOpenFile: a profiles file others can read is refused, with the file and the fix,
// by every command that reads it; --url does not read it.
func TestAuthRefusesOpenFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("Windows has no group/other permission bits; the check does not apply")
		return
	}
	dir := t.TempDir()
	env := map[string]string{"B24_CONFIG_DIR": dir}
	srv := b24test.New(b24test.WithSecret("open-s3cr3t-path"))
	defer srv.Close()
	runIn(t, env, "", "auth", "login", "x", "--url", srv.WebhookURL()).check(t, 0)
	path := filepath.Join(dir, profile.FileName)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"im.dialog.unread", "--chat", "1", "--message", "1"},
		{"auth", "list"},
		{"auth", "use", "x"},
		{"auth", "login", "y", "--url", srv.WebhookURL()},
	} {
		r := runIn(t, env, "", args...)
		r.check(t, 1)
		if !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "mode 0644") || !strings.Contains(r.stderr, "chmod 600 "+path) {
			t.Errorf("%v: stderr %s", args, r.stderr)
		}
		noSecret(t, r, "open-s3cr3t-path")
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls through a refused profile", n)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("the refused file was rewritten: mode %v", fi.Mode().Perm())
	}
	r := runIn(t, env, "", "--url", srv.WebhookURL(), "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 0)
}

// TestAuthLoginForms: the OAuth server's JSON answer on stdin (as GetToken prints it), a webhook URL
// alone on stdin, and the user's mistakes.
func TestAuthLoginForms(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"B24_CONFIG_DIR": dir}
	app := b24test.New(b24test.WithOAuthApp("local.app.2", clientSecret))
	defer app.Close()
	answer, _ := json.Marshal(map[string]any{
		"access_token": app.Token(), "refresh_token": app.RefreshToken(), "expires": 1700000000, "expires_in": 3600,
		"scope": "app", "domain": "oauth.bitrix.info", "client_endpoint": app.URL() + "/rest/",
		"server_endpoint": app.URL() + "/rest/", "member_id": "m1", "status": "L",
	})
	r := runIn(t, env, string(answer), "auth", "login", "app", "--client-id", "local.app.2", "--client-secret", clientSecret, "--with-token")
	r.check(t, 0)
	p := loadProfiles(t, dir).Profiles["app"]
	if p == nil || p.Kind != profile.OAuth || p.Portal != app.URL() || p.OAuthServer != app.URL()+"/rest/" ||
		p.AccessToken != app.Token() || p.Expires != 1700000000 || p.ClientSecret != clientSecret {
		t.Errorf("profile %+v", p)
	}
	// It works, and renews through the OAuth server named by server_endpoint.
	app.ExpireToken()
	runIn(t, env, "", "im.dialog.unread", "--chat", "1", "--message", "1").check(t, 0)
	if app.Renewals() != 1 || loadProfiles(t, dir).Profiles["app"].AccessToken != app.Token() {
		t.Errorf("renewals %d", app.Renewals())
	}

	hook := b24test.New()
	defer hook.Close()
	r = runIn(t, env, hook.WebhookURL()+"\n", "auth", "login", "hook", "--with-token", "--use")
	r.check(t, 0)
	if f := loadProfiles(t, dir); f.Current != "hook" || f.Profiles["hook"].URL != hook.WebhookURL() {
		t.Errorf("file %+v", f)
	}

	for _, c := range []struct {
		stdin string
		args  []string
		msg   string
	}{
		{"", []string{"auth", "login", "x"}, "b24: give --url <webhook URL>, or --portal with"},
		{"", []string{"auth", "login"}, "b24: want one profile name: b24 auth login NAME"},
		{"", []string{"auth", "login", "-bad", "--url", hook.WebhookURL()}, "b24: unknown shorthand flag"},
		{"", []string{"auth", "login", "a/b", "--url", hook.WebhookURL()}, `b24: profile name "a/b": use letters, digits and . _ - (not first)`},
		{"", []string{"auth", "login", "x", "--url", "https://x.bitrix24.ru/rest/1"}, "b24: --url: webhook URL"},
		{"", []string{"auth", "login", "x", "--url", hook.WebhookURL(), "--portal", "x.bitrix24.ru"}, "b24: either --url (a webhook) or --portal"},
		{"", []string{"auth", "login", "x", "--portal", "x.bitrix24.ru", "--client-id", "c", "--client-secret", "topsecret1"},
			"b24: an OAuth profile needs --access-token, --refresh-token too"},
		{"client_secret=topsecret1\nbogus=1\n", []string{"auth", "login", "x", "--with-token"}, `b24: --with-token: standard input, line 2: unknown key "bogus"`},
		{"", []string{"auth", "login", "x", "--with-token"}, "b24: --with-token: standard input is empty"},
		{"", []string{"auth", "use", "nope"}, `b24: no profile "nope"`},
		{"", []string{"auth", "logout", "nope"}, `b24: no profile "nope"`},
		{"", []string{"auth", "frobnicate"}, `b24: unknown command "frobnicate" of b24 auth`},
	} {
		r := runIn(t, env, c.stdin, c.args...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %s", c.args, r.code, r.stderr)
		}
		noSecret(t, r, "topsecret1", clientSecret)
	}

	// Without a config directory (tests, no HOME) profiles are simply not there.
	r = run(t, nil, nil, "auth", "list")
	r.check(t, 1)
	if !strings.Contains(r.stderr, "set B24_CONFIG_DIR") {
		t.Errorf("stderr %s", r.stderr)
	}
	// auth --help names the file and the variable.
	r = runIn(t, env, "", "auth", "--help")
	r.check(t, 0)
	if !strings.Contains(r.stdout, filepath.Join(dir, "profiles.json")) || !strings.Contains(r.stdout, "B24_CONFIG_DIR") {
		t.Errorf("auth --help:\n%s", r.stdout)
	}
}

// TestAuthRenewalFails: a refresh token the OAuth server refuses is one line on stderr, exit 1, and
// no secret anywhere.
func TestAuthRenewalFails(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"B24_CONFIG_DIR": dir}
	app := b24test.New(b24test.WithOAuthApp("local.app.3", clientSecret))
	defer app.Close()
	runIn(t, env, "", "auth", "login", "app", "--portal", app.URL(), "--oauth-server", app.URL(), "--client-id", "local.app.3",
		"--client-secret", clientSecret, "--access-token", app.Token(), "--refresh-token", "stale-refresh-0123").check(t, 0)
	app.ExpireToken()
	r := runIn(t, env, "", "im.dialog.unread", "--chat", "1", "--message", "1")
	r.check(t, 1)
	if first, _, _ := strings.Cut(r.stderr, "\n"); first != "b24: oauth/token: invalid_grant: Invalid refresh token" {
		t.Errorf("stderr %s", r.stderr)
	}
	noSecret(t, r, clientSecret, "stale-refresh-0123", app.Token())
}

// TestAuthExportRenews: an --all export through an OAuth profile starts with an expired token; the
// one client of the run renews it once for all its requests, every row comes, the new pair is saved.
func TestAuthExportRenews(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"B24_CONFIG_DIR": dir}
	app := b24test.New(b24test.WithOAuthApp("local.app.4", clientSecret))
	defer app.Close()
	n := app.GenerateRows("crm.deal.list", 6000)
	runIn(t, env, "", "auth", "login", "app", "--portal", app.URL(), "--oauth-server", app.URL(), "--client-id", "local.app.4",
		"--client-secret", clientSecret, "--access-token", app.Token(), "--refresh-token", app.RefreshToken()).check(t, 0)
	app.ExpireToken()
	r := runIn(t, env, "", "crm.deal.list", "--all")
	r.check(t, 0)
	if got := strings.Count(r.stdout, "\n"); got != n {
		t.Errorf("%d rows, want %d", got, n)
	}
	if app.Renewals() != 1 {
		t.Errorf("%d renewals, want 1", app.Renewals())
	}
	if p := loadProfiles(t, dir).Profiles["app"]; p.AccessToken != app.Token() || p.RefreshToken != app.RefreshToken() {
		t.Errorf("not saved: %+v", p)
	}
}

// TestGetTokenIntoLogin: what GetToken prints is what auth login --with-token stores; the profile then
// calls the portal.
func TestGetTokenIntoLogin(t *testing.T) {
	app := b24test.New(b24test.WithOAuthApp("local.app.3", clientSecret))
	defer app.Close()
	env := map[string]string{"B24_CONFIG_DIR": t.TempDir(), "B24_OAUTH_SERVER": app.URL()}
	r := runIn(t, env, "", "bitrix24", "GetToken", "--clientid", "local.app.3", "--clientsecret", clientSecret, "--code", app.AuthCode())
	r.check(t, 0)
	if strings.Contains(r.stderr, clientSecret) || !strings.Contains(r.stdout, app.Token()) {
		t.Fatalf("GetToken: stdout %s, stderr %s", r.stdout, r.stderr)
	}
	runIn(t, env, r.stdout, "auth", "login", "app", "--client-id", "local.app.3", "--client-secret", clientSecret, "--with-token").check(t, 0)
	runIn(t, env, "", "im.dialog.unread", "--chat", "1", "--message", "1").check(t, 0)
	if calls := app.Calls(); len(calls) != 1 {
		t.Errorf("%d calls through the profile, want 1", len(calls))
	}
}
