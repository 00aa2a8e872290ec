package command

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// failLines runs fail on an API error of method and returns the exit code and the stderr lines.
func failLines(t *testing.T, code, method string, env map[string]string) (int, []string) {
	t.Helper()
	var out, errOut bytes.Buffer
	r := &runner{ctx: context.Background(), env: Env{Stdout: &out, Stderr: &errOut, Catalog: (&testCatalog{}).catalog(),
		Getenv: func(k string) string { return env[k] }}}
	exit := r.fail(&b24.APIError{Code: code, Description: "the portal's words", Method: method, Status: 400})
	return exit, strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
}

// TestHints: every code mapped gets one hint line after the untouched error line; the hint says what
// to do (checked by a phrase of each), and codes match whatever their case.
func TestHints(t *testing.T) {
	cases := []struct {
		code, method string
		want         string // a phrase the hint must hold
	}{
		{"insufficient_scope", "crm.deal.list", `the webhook lacks the "crm" scope that crm.deal.list needs: add it in the webhook's settings`},
		{"INVALID_SCOPE", "task.commentitem.add", `lacks the "task" scope that task.commentitem.add needs`},
		{"BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION", "call.followup.get", `lacks the "telephony" scope`},
		{"expired_token", "crm.deal.get", "b24 bitrix24 RefreshToken"},
		{"INVALID_TOKEN", "crm.deal.get", "check --token (or B24_TOKEN)"},
		{"NO_AUTH_FOUND", "crm.deal.get", "pass the whole webhook URL"},
		{"INVALID_CREDENTIALS", "crm.deal.get", "copy its URL again"},
		{"invalid_request", "crm.deal.get", "use an https:// address"},
		{"ACCESS_DENIED", "crm.deal.get", "has rights to this data"},
		{"BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION", "tasks.task.get", "has rights to this data"},
		{"ERROR_METHOD_NOT_FOUND", "crm.deal.list", `the portal does not offer crm.deal.list: its module may be missing or turned off (an on-premise portal lags the cloud), or the "crm" scope is not granted`},
		{"ERROR_METHOD_NOT_FOUND", "crm.deal.lst", "the portal has no method crm.deal.lst: check its spelling; did you mean crm.deal.list, crm.deal.get?"},
		{"ERROR_METHOD_NOT_FOUND", "im.zzzzzzzzzzzz", "b24 help im lists the methods b24 knows there"},
		{"ERROR_METHOD_NOT_FOUND", "qqqqqq.wwwwwwwwwww", "b24 --help lists the namespaces b24 knows"},
		{"WRONG_AUTH_TYPE", "placement.bind", "placement.bind does not take this kind of authorization"},
		{"QUERY_LIMIT_EXCEEDED", "crm.deal.list", "group calls with b24 batch"},
		{"OPERATION_TIME_LIMIT", "crm.deal.list", "crm.deal.list has used up the time the portal lets it run"},
		{"OVERLOAD_LIMIT", "crm.deal.list", "contact Bitrix24 support"},
		{"PAYMENT_REQUIRED", "crm.deal.list", "renew it in the Bitrix24 Market"},
		{"ERROR_BATCH_LENGTH_EXCEEDED", "batch", "a batch runs at most 50 commands"},
		{"ERROR_BATCH_METHOD_NOT_ALLOWED", "batch", "cannot run inside a batch"},
		{"INTERNAL_SERVER_ERROR", "crm.deal.add", "check whether it took effect before repeating it"},
		{"ERROR_UNEXPECTED_ANSWER", "crm.deal.add", "the portal failed on its side"},
		{"ERROR_MANIFEST_IS_NOT_AVAILABLE", "app.configuration.import", "check the manifest code"},
		{"PORTAL_DELETED", "crm.deal.list", "check the address in --url"},
		{"ERROR_CORE", "crm.deal.add", "b24 crm.deal.add --help lists its parameters"},
		{"ERROR_CORE", "x.unknown", "the method's documentation lists its parameters"},
		{"user_access_error", "crm.deal.list", "give this user access to the app"},
		{"invalid_client", "", "client ID or secret is wrong"},
		{"WRONG_CLIENT", "", "client ID or secret is wrong"},
		{"invalid_grant", "", "authorize the app again"},
		{"NOT_INSTALLED", "", "install it again"},
		{"ERROR_OAUTH", "", "install it again"},
		{"APPLICATION_NOT_FOUND", "", "install it again"},
		{"authorization_error", "", "use an active user's credentials"},
		{"CONNECTION_ERROR", "", "oauth.bitrix.info"},
		{"METHOD_CONFIRM_WAITING", "voximplant.user.get", "confirm that the app may call voximplant.user.get"},
		{"METHOD_CONFIRM_DENIED", "voximplant.user.get", "refused the app voximplant.user.get"},
		{"allowed_only_intranet_user", "crm.item.import", "not extranet users"},
		{"WRONG_ENCODING", "crm.deal.list", "leave that field out with --select"},
		{"ERROR_ARGUMENT", "crm.deal.get", "b24 crm.deal.get --help lists its parameters"},
		{"INVALID_ARG_VALUE", "crm.deal.get", "a parameter is missing or has a wrong value"},
		{"ERROR_REQUIRED_PARAMETERS_MISSING", "crm.deal.get", "a parameter is missing"},
		{"BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION", "tasks.task.get", "a parameter is missing or has a wrong value"},
		{"BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION", "tasks.task.get", "a parameter is missing or has a wrong value"},
		{"NOT_FOUND", "crm.deal.get", "check the ID"},
		{"ERROR_NOT_FOUND", "crm.deal.get", "check the ID"},
		{"BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION", "tasks.task.get", "check the ID"},
		{"ERROR_EVENT_NOT_FOUND", "event.bind", "b24 call events"},
		{"ERROR_HANDLER_ALREADY_EXIST", "event.bind", "event.unbind"},
		{"ERROR_WRONG_HANDLER_URL", "event.bind", "public http(s) URL"},
	}
	tested := map[string]bool{}
	for _, c := range cases {
		tested[strings.ToUpper(c.code)] = true
		for _, code := range []string{c.code, strings.ToLower(c.code), strings.ToUpper(c.code)} {
			exit, lines := failLines(t, code, c.method, nil)
			head := code + ": the portal's words"
			if c.method != "" {
				head = c.method + ": " + head
			}
			if exit != ExitError || len(lines) != 2 || lines[0] != "b24: "+head || !strings.HasPrefix(lines[1], "b24: hint: ") {
				t.Errorf("%s %s: exit %d, stderr:\n%s", code, c.method, exit, strings.Join(lines, "\n"))
				continue
			}
			if !strings.Contains(lines[1], c.want) {
				t.Errorf("%s %s: hint %q lacks %q", code, c.method, lines[1], c.want)
			}
		}
	}
	for code := range hints {
		if !tested[code] {
			t.Errorf("%s has a hint and no test", code)
		}
	}

	// With an OAuth token the scope is the app's to change.
	_, lines := failLines(t, "insufficient_scope", "im.message.add", map[string]string{"B24_TOKEN": "tok"})
	if want := `b24: hint: the app lacks the "im" scope that im.message.add needs: add it to the app's permissions and reinstall or re-authorize the app for a token that has it`; lines[1] != want {
		t.Errorf("oauth scope hint %q", lines[1])
	}
}

// TestNoHint: a code without advice prints the error line alone; other errors get no hint line.
func TestNoHint(t *testing.T) {
	for _, code := range []string{"SOME_NEW_CODE", "100", ""} {
		exit, lines := failLines(t, code, "crm.deal.list", nil)
		if exit != ExitError || len(lines) != 1 || strings.Contains(lines[0], "hint") {
			t.Errorf("%q: exit %d, stderr %q", code, exit, lines)
		}
	}
	r := run(t, nil, nil, "crm.deal.list", "--bogus")
	if r.check(t, ExitUsage); strings.Contains(r.stderr, "hint") {
		t.Errorf("usage error: %q", r.stderr)
	}
}

// TestHintsEndToEnd: the hint comes from a real answer of the portal, after the code, and batch
// commands that fail alike share one hint naming their keys.
func TestHintsEndToEnd(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("crm.deal.get", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "insufficient_scope", Description: "The request requires higher privileges", Status: 403}
	})
	srv.Handle("x.gone", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ERROR_METHOD_NOT_FOUND", Description: "Method not found!", Status: 404}
	})
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.get", "--id", "1")
	r.check(t, ExitError)
	want := "b24: crm.deal.get: insufficient_scope: The request requires higher privileges\n" +
		`b24: hint: the webhook lacks the "crm" scope that crm.deal.get needs: add it in the webhook's settings on the portal, then run the command again` + "\n"
	if d := cmp.Diff(want, r.stderr); d != "" {
		t.Error(d)
	}
	if !strings.Contains(r.stdout, `"error": "insufficient_scope"`) {
		t.Errorf("stdout %q", r.stdout)
	}

	r = run(t, nil, nil, "--url", srv.WebhookURL(), "batch", "a=crm.deal.get?id=1", "b=crm.deal.get?id=2", "c=x.gone", "d=server.time")
	r.check(t, ExitError)
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) != 3 ||
		lines[1] != `b24: hint: a, b: the webhook lacks the "crm" scope that crm.deal.get needs: add it in the webhook's settings on the portal, then run the command again` ||
		lines[2] != "b24: hint: c: the portal has no method x.gone: check its spelling; b24 --help lists the namespaces b24 knows" {
		t.Errorf("batch stderr:\n%s", r.stderr)
	}
}

// TestScopeOf: a method's scope is the spec's; a method the spec lacks gets the one its namespace's
// methods need, else its first part.
func TestScopeOf(t *testing.T) {
	r := &runner{env: Env{Catalog: (&testCatalog{}).catalog()}}
	for m, want := range map[string]string{
		"crm.deal.list": "crm", "task.commentitem.add": "task", "im.chat.add": "im", "im.new.method": "im",
		"call.followup.get": "telephony", "call.new.method": "telephony", "x.gone": "x", "methods": "",
	} {
		if got := r.scopeOf(m); got != want {
			t.Errorf("scopeOf(%q) = %q, want %q", m, got, want)
		}
	}
}
