package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24test"
)

// TestBinaryOPI builds the real b24 and runs the two commands of the issue against the fake portal:
// webhook mode and token mode of ОтметитьСообщениеКакНепрочитанное (MarkMessageAsUnreaded).
func TestBinaryOPI(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "b24")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := b24test.New()
	defer srv.Close()

	// B24_URL/B24_TOKEN of the developer's shell must not leak into the test.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "B24_") {
			env = append(env, kv)
		}
	}
	b24 := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("b24 %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	checkOut := func(stdout string) {
		t.Helper()
		var env struct {
			Result any            `json:"result"`
			Time   map[string]any `json:"time"`
		}
		if err := json.Unmarshal([]byte(stdout), &env); err != nil || env.Result != true || env.Time == nil {
			t.Errorf("stdout is not the response envelope (%v):\n%s", err, stdout)
		}
		if !strings.HasPrefix(stdout, "{\n  \"") {
			t.Errorf("stdout not indented:\n%s", stdout)
		}
	}

	stdout, stderr := b24("bitrix24", "ОтметитьСообщениеКакНепрочитанное", "--url", srv.WebhookURL(), "--chat", "chat872", "--message", "15660")
	checkOut(stdout)
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	c := calls[0]
	if c.Method != "im.dialog.unread" || c.Auth != "webhook" || c.HTTPMethod != "POST" {
		t.Errorf("webhook call: method %q auth %q http %q", c.Method, c.Auth, c.HTTPMethod)
	}
	got, _ := json.Marshal(c.Params)
	if d := cmp.Diff(`{"DIALOG_ID":"chat872","MESSAGE_ID":15660}`, string(got)); d != "" {
		t.Errorf("webhook params (-want +got):\n%s", d)
	}

	// b24test serves http on 127.0.0.1, and a URL without a scheme means https, so the scheme is given.
	stdout, stderr = b24("bitrix24", "ОтметитьСообщениеКакНепрочитанное", "--url", srv.URL(), "--chat", "10", "--message", "15662", "--token", srv.Token())
	checkOut(stdout)
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	calls = srv.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2", len(calls))
	}
	c = calls[1]
	if c.Method != "im.dialog.unread" || c.Auth != "token" || c.Path != "/rest/im.dialog.unread" {
		t.Errorf("token call: method %q auth %q path %q", c.Method, c.Auth, c.Path)
	}
	var body map[string]any
	json.Unmarshal(c.Body, &body)
	if body["auth"] != srv.Token() {
		t.Errorf("auth not in the body: %s", c.Body)
	}
	got, _ = json.Marshal(c.Params)
	if d := cmp.Diff(`{"DIALOG_ID":"10","MESSAGE_ID":15662}`, string(got)); d != "" {
		t.Errorf("token params (-want +got):\n%s", d)
	}
}

// TestConventions: a misspelled OpenIntegrations function gets the nearest names in its own
// language; a deprecated method warns however it is called (as a command, through call, through an
// OpenIntegrations function); a --jq that fails on an answer exits 3, not the usage's 2.
func TestConventions(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"bitrix24", "ОтметитьСообщениеКакНепрочитаное"}, 2, `did you mean ОтметитьСообщениеКакНепрочитанное`},
		{[]string{"bitrix24", "MarkMesageAsUnread"}, 2, "did you mean MarkMessageAsUnreaded?"},
		{[]string{"--url", srv.WebhookURL(), "crm.deal.get", "--id", "1"}, 0, "b24: warning: crm.deal.get is deprecated; use crm.item.get instead"},
		{[]string{"--url", srv.WebhookURL(), "call", "crm.deal.get", "id=1"}, 0, "b24: warning: crm.deal.get is deprecated; use crm.item.get instead"},
		{[]string{"--url", srv.WebhookURL(), "crm.item.get", "--entity-type-id", "2", "--id", "1", "--jq", `error("stop")`}, 3, "b24: --jq: error: stop"},
	} {
		code, _, stderr := runReal(c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", c.args, code, stderr, c.code, c.err)
		}
	}
}
