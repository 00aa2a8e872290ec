package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

// TestSecretsNowhereCLI: a portal's error that repeats the request path (the webhook secret) or
// an answer that holds the token prints neither, on stdout (the JSON answer) or stderr; control
// characters in the portal's text are escaped on stderr, and on stdout when it is a terminal.
func TestSecretsNowhereCLI(t *testing.T) {
	const secret, token = "w3bh00ks3cr3tc0de", "acc3sst0k3nv4lu3"
	s := b24test.New(b24test.WithSecret(secret), b24test.WithToken(token))
	defer s.Close()
	s.HandleHTTP("crm.deal.get", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"ERROR_CORE","error_description":"cannot route ` + r.URL.Path + ` \u001b[2J\u001b]0;pwned\u0007"}`))
	})
	s.Handle("app.info", func(b24test.Call) (any, *b24.APIError) {
		return map[string]any{"token": token, "text": "a\u001b[31mred"}, nil
	})
	run := func(terminal bool, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := command.Run(context.Background(), args, command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog(), StdoutTerminal: terminal})
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run(false, "--url", s.WebhookURL(), "crm.deal.get", "--id", "1")
	if code != 1 || strings.Contains(out+errOut, secret) || !strings.Contains(out, "/rest/1/***/crm.deal.get") ||
		!strings.Contains(errOut, `cannot route /rest/1/***/crm.deal.get \x1b[2J\x1b]0;pwned\x07`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, errOut = run(false, "--url", s.URL(), "--token", token, "app.info")
	if code != 0 || strings.Contains(out+errOut, token) || !strings.Contains(out, `"token": "***"`) {
		t.Errorf("OAuth: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, _ = run(true, "--url", s.URL(), "--token", token, "app.info", "--jq", ".result.text")
	if code != 0 || out != `a\x1b[31mred`+"\n" {
		t.Errorf("terminal: exit %d, stdout %q", code, out)
	}
	if _, out, _ = run(false, "--url", s.URL(), "--token", token, "app.info", "--jq", ".result.text"); out != "a\x1b[31mred\n" {
		t.Errorf("not a terminal: stdout %q; a pipe gets the text as it came", out)
	}
}
