package command

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/clikit"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line in-process with the test catalog and the given environment.
func run(t *testing.T, tc *testCatalog, env map[string]string, args ...string) result {
	t.Helper()
	if tc == nil {
		tc = &testCatalog{}
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errOut, Catalog: tc.catalog(),
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errOut.String()}
}

func (r result) check(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// envelope decodes printed JSON and checks it is indented with two spaces as json.Indent does.
func envelope(t *testing.T, out string) map[string]any {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(out)); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	var ind bytes.Buffer
	json.Indent(&ind, compact.Bytes(), "", "  ")
	if ind.String()+"\n" != out {
		t.Errorf("stdout is not indented with two spaces:\n%s", out)
	}
	var m map[string]any
	json.Unmarshal([]byte(out), &m)
	return m
}

func lastCall(t *testing.T, srv *b24test.Server) b24test.Call {
	t.Helper()
	calls := srv.Calls()
	if len(calls) == 0 {
		t.Fatal("no call recorded")
	}
	return calls[len(calls)-1]
}

func paramsJSON(t *testing.T, c b24test.Call) string {
	t.Helper()
	b, err := json.Marshal(c.Params)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMethodWebhook(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	tc := &testCatalog{}
	r := run(t, tc, nil, "--url", srv.WebhookURL(), "im.dialog.unread", "--chat", "chat872", "--message", "15660")
	r.check(t, 0)
	if env := envelope(t, r.stdout); env["result"] != true {
		t.Errorf("result = %v", env["result"])
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	c := lastCall(t, srv)
	if c.Method != "im.dialog.unread" || c.Auth != "webhook" || c.HTTPMethod != "POST" {
		t.Errorf("call = %+v", c)
	}
	if d := cmp.Diff(`{"DIALOG_ID":"chat872","MESSAGE_ID":15660}`, paramsJSON(t, c)); d != "" {
		t.Error(d)
	}
	// Only the namespace of the method was built.
	if d := cmp.Diff([]string{"im"}, tc.asked()); d != "" {
		t.Errorf("Methods calls: %s", d)
	}

	// Case-insensitive method name, flags before the method, env URL.
	r = run(t, nil, map[string]string{"B24_URL": srv.WebhookURL()}, "--chat", "7", "IM.Dialog.Unread", "--message=3")
	r.check(t, 0)
	if d := cmp.Diff(`{"DIALOG_ID":"7","MESSAGE_ID":3}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}
}

func TestMethodTypes(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("im.message.add", func(b24test.Call) (any, *b24.APIError) { return 42, nil })
	r := run(t, nil, nil, "im.message.add", "--url", srv.WebhookURL(), "--dialog-id", "15", "--message", `Hi\nthere \\n`,
		"--attach", "{'MESSAGE':'x'}", "--url-preview", "false", "--system", "Y", "--keyboard", "{'BUTTONS':[]}")
	r.check(t, 0)
	want := `{"ATTACH":[{"MESSAGE":"x"}],"DIALOG_ID":"15","KEYBOARD":{"BUTTONS":[]},"MESSAGE":"Hi\nthere \\n","SYSTEM":1,"URL_PREVIEW":"N"}`
	if d := cmp.Diff(want, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}
	if env := envelope(t, r.stdout); env["result"] != float64(42) {
		t.Errorf("result = %v", env["result"])
	}
}

func TestTokenMode(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	r := run(t, nil, nil, "im.dialog.unread", "--url", srv.URL(), "--token", srv.Token(), "--chat", "10", "--message", "15662")
	r.check(t, 0)
	c := lastCall(t, srv)
	if c.Path != "/rest/im.dialog.unread" || c.Auth != "token" {
		t.Errorf("path %q auth %q", c.Path, c.Auth)
	}
	if !strings.Contains(string(c.Body), `"auth":"`+srv.Token()+`"`) {
		t.Errorf("auth not in the body: %s", c.Body)
	}
	if d := cmp.Diff(`{"DIALOG_ID":"10","MESSAGE_ID":15662}`, paramsJSON(t, c)); d != "" {
		t.Error(d)
	}
	// The same through the environment.
	r = run(t, nil, map[string]string{"B24_URL": srv.URL(), "B24_TOKEN": srv.Token()}, "im.dialog.unread", "--chat", "10", "--message", "1")
	r.check(t, 0)
	if c := lastCall(t, srv); c.Auth != "token" || c.Path != "/rest/im.dialog.unread" {
		t.Errorf("env token mode: %+v", c)
	}
}

func TestOPICommand(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	for _, name := range []string{"ОтметитьСообщениеКакНепрочитанное", "отметитьсообщениекакнепрочитанное", "MarkMessageAsUnreaded", "markmessageasunreaded", "MarkMessageAsUnread"} {
		r := run(t, nil, nil, "bitrix24", name, "--url", srv.WebhookURL(), "--chat", "chat872", "--message", "15660")
		r.check(t, 0)
		c := lastCall(t, srv)
		if c.Method != "im.dialog.unread" {
			t.Errorf("%s: method %s", name, c.Method)
		}
		if d := cmp.Diff(`{"DIALOG_ID":"chat872","MESSAGE_ID":15660}`, paramsJSON(t, c)); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if env := envelope(t, r.stdout); env["result"] != true {
			t.Errorf("%s: result %v", name, env["result"])
		}
	}
}

func TestOPISpreadFixedFiles(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	for _, m := range []string{"im.chat.updateAvatar", "im.message.add"} {
		srv.Handle(m, func(b24test.Call) (any, *b24.APIError) { return true, nil })
	}
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "bitrix24", "CreateChat", "--fields", "{'TYPE':'OPEN','TITLE':'Проект','USERS':[1,10]}")
	r.check(t, 0)
	if d := cmp.Diff(`{"TITLE":"Проект","TYPE":"OPEN","USERS":[1,10]}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}

	// A .json file for the structure.
	f := filepath.Join(t.TempDir(), "chat.json")
	os.WriteFile(f, []byte(`{"TITLE": "From file", "USERS": [3]}`), 0o600)
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "bitrix24", "СоздатьЧат", "--fields", f)
	r.check(t, 0)
	if d := cmp.Diff(`{"TITLE":"From file","USERS":[3]}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}

	r = run(t, nil, nil, "--url", srv.WebhookURL(), "bitrix24", "DisableChatNotifications", "--chat", "5")
	r.check(t, 0)
	if d := cmp.Diff(`{"CHAT_ID":5,"MUTE":"Y"}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}

	pic := filepath.Join(t.TempDir(), "pic.png")
	os.WriteFile(pic, []byte{0x89, 'P', 'N', 'G'}, 0o600)
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "bitrix24", "ChangeChatPicture", "--chat", "5", "--picture", pic)
	r.check(t, 0)
	want := `{"AVATAR":"` + base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G'}) + `","CHAT_ID":5}`
	if d := cmp.Diff(want, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}

	r = run(t, nil, nil, "--url", srv.WebhookURL(), "bitrix24", "SendMessage", "--chat", "chat1", "--text", "a", "--blocks", "[{'DELIMITER':{}}]", "--preview", "true")
	r.check(t, 0)
	if d := cmp.Diff(`{"ATTACH":[{"DELIMITER":{}}],"DIALOG_ID":"chat1","MESSAGE":"a","URL_PREVIEW":"Y"}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}
}

func TestHelperCommand(t *testing.T) {
	// The helper's own --url is the image link, not the portal; nothing is sent.
	r := run(t, nil, nil, "bitrix24", "GetPictureBlock", "--title", "Фото", "--url", "https://example.com/a.png?x=1&y=2")
	r.check(t, 0)
	want := `{
  "IMAGE": {
    "NAME": "Фото",
    "LINK": "https://example.com/a.png?x=1&y=2"
  }
}
`
	if d := cmp.Diff(want, r.stdout); d != "" {
		t.Error(d)
	}
	r = run(t, nil, nil, "bitrix24", "получитьструктуручата", "--empty", "true")
	r.check(t, 0)
	want = `{
  "TYPE": "",
  "TITLE": "",
  "USERS": [],
  "OWNER_ID": ""
}
`
	if d := cmp.Diff(want, r.stdout); d != "" {
		t.Error(d)
	}
	r = run(t, nil, nil, "bitrix24", "GetChatStructure")
	r.check(t, 0)
	if !strings.Contains(r.stdout, `"TITLE": "Обсуждение"`) {
		t.Errorf("template: %s", r.stdout)
	}
	r = run(t, nil, nil, "bitrix24", "GetPictureBlock", "--title", "x")
	r.check(t, 2)
	if d := cmp.Diff("b24: --url: required option missing; expected text\n", r.stderr); d != "" {
		t.Error(d)
	}
}

func TestCallCommand(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("crm.lead.add", func(b24test.Call) (any, *b24.APIError) { return 7, nil })
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "call", "crm.lead.add", "fields.TITLE=New lead", "fields.OPPORTUNITY=100.50",
		"fields.OPENED=true", "params={'REGISTER_SONET_EVENT':'Y'}", "code='15'", "empty=")
	r.check(t, 0)
	c := lastCall(t, srv)
	want := `{"code":"15","empty":"","fields":{"OPENED":true,"OPPORTUNITY":100.50,"TITLE":"New lead"},"params":{"REGISTER_SONET_EVENT":"Y"}}`
	if c.Method != "crm.lead.add" {
		t.Errorf("method %s", c.Method)
	}
	if d := cmp.Diff(want, paramsJSON(t, c)); d != "" {
		t.Error(d)
	}
	if env := envelope(t, r.stdout); env["result"] != float64(7) {
		t.Errorf("result %v", env["result"])
	}

	r = run(t, nil, nil, "--url", srv.WebhookURL(), "call", "crm.lead.add", "--json", "{'fields':{'TITLE':'a','X':1}}", "fields.TITLE=b")
	r.check(t, 0)
	if d := cmp.Diff(`{"fields":{"TITLE":"b","X":1}}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Error(d)
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"call"}, "b24: call: expected a method name, e.g. b24 call server.time\n"},
		{[]string{"call", "x y"}, "b24: call: \"x y\" is not a method name: only letters, digits, '.', '_' and '-'\n"},
		{[]string{"call", "x.y", "novalue"}, "b24: call: expected key=value, got \"novalue\"\n"},
		{[]string{"call", "x.y", "a=1", "a.b=2"}, "b24: call: \"a.b\": a is already set to a value, not an object\n"},
		{[]string{"call", "x.y", "a..b=2"}, "b24: call: \"a..b\": empty part in the key\n"},
		{[]string{"call", "x.y", "--json", "{'a':"}, "b24: --json: invalid JSON: the text ends too early (a missing bracket or quote?)\n"},
	} {
		r := run(t, nil, nil, append([]string{"--url", srv.WebhookURL()}, c.args...)...)
		r.check(t, 2)
		if d := cmp.Diff(c.msg, r.stderr); d != "" {
			t.Errorf("%v: %s", c.args, d)
		}
	}
}

func TestBitrixError(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("im.dialog.unread", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "Access denied!", Status: 403}
	})
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "im.dialog.unread", "--chat", "chat1", "--message", "1")
	r.check(t, 1)
	want := `{
  "error": "ACCESS_DENIED",
  "error_description": "Access denied!"
}
`
	if d := cmp.Diff(want, r.stdout); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff("b24: im.dialog.unread: ACCESS_DENIED: Access denied!\nb24: hint: "+accessHint(hintCtx{})+"\n", r.stderr); d != "" {
		t.Error(d)
	}

	// A wrong webhook secret: the error is printed, the secret is not.
	bad := strings.TrimSuffix(srv.WebhookURL(), "/") + "wrongsecretXYZ"
	r = run(t, nil, nil, "--url", bad, "bitrix24", "MarkMessageAsUnreaded", "--chat", "chat1", "--message", "1")
	r.check(t, 1)
	if !strings.Contains(r.stderr, "INVALID_CREDENTIALS") {
		t.Errorf("stderr: %s", r.stderr)
	}
	secret := bad[strings.LastIndex(bad, "/")+1:]
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Errorf("secret in output:\n%s%s", r.stdout, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	u := srv.WebhookURL()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"im.dialog.unread", "--url", u, "--chat", "chat1", "--message", "abc"}, `b24: --message: expected an integer, got "abc"`},
		{[]string{"im.dialog.unread", "--url", u, "--chat", "chat1"}, `b24: --message: required option missing; expected an integer`},
		{[]string{"im.dialog.unread", "--url", u, "--chat", "chat1", "--message", "1", "--foo", "1"}, `b24: unknown flag: --foo (see 'b24 im.dialog.unread --help')`},
		{[]string{"im.dialog.unread", "--url", u, "--chat"}, `b24: flag needs an argument: --chat (see 'b24 im.dialog.unread --help')`},
		{[]string{"im.dialog.unread", "--url", u, "stray"}, `b24: unexpected argument "stray": options are written --name value (see 'b24 im.dialog.unread --help')`},
		{[]string{"bitrix24", "CreateChat", "--url", u, "--fields", "{'TITLE':"}, `b24: --fields: invalid JSON: the text ends too early (a missing bracket or quote?)`},
		{[]string{"bitrix24", "CreateChat", "--url", u, "--fields", "TITLE"}, `b24: --fields: expected a JSON object like {'KEY':'value'} or a path to a .json file, got "TITLE"`},
		{[]string{"bitrix24", "CreateChat", "--url", u, "--bogus", "1"}, `b24: unknown flag: --bogus (see 'b24 bitrix24 CreateChat --help')`},
		{[]string{"bitrix24", "NoSuchThing"}, `b24: unknown OpenIntegrations function "NoSuchThing"; run 'b24 bitrix24' for the list`},
		{[]string{"im.nope", "--url", u}, `b24: unknown command or method "im.nope" (b24 --help lists the namespaces; b24 call im.nope calls a method outside the spec)`},
		{[]string{"im.dialog.unread", "--chat", "chat1", "--message", "1"}, `b24: no portal: pass --url with an incoming webhook URL (or a portal address and --token), set B24_URL, log in with 'b24 auth login', or use --sandbox`},
		{[]string{"im.dialog.unread", "--url", u, "--timeout", "soon", "--chat", "chat1", "--message", "1"}, `b24: --timeout: expected a duration like 30s or 2m, got "soon"`},
		{[]string{"im.chat.add", "--url", u, "--users", "1", "--type", "SECRET"}, `b24: --type: expected one of OPEN, CHAT, got "SECRET"`},
		{[]string{"--url", u}, `b24: no command given; run 'b24 --help'`},
		{[]string{"crm.deal.list", "--url", u, "--select", "ID", "--select", "TITLE"}, `b24: --select: given twice; a list goes in one option, as a JSON array like "['a','b']"`},
		{[]string{"im.dialog.unread", "--url", u, "--chat", "chat1", "--chat", "chat2", "--message", "1"}, `b24: --chat: given twice`},
		{[]string{"bitrix24", "MarkMessageAsUnreaded", "--url", u, "--chat", "chat1", "--chat", "chat2", "--message", "1"}, `b24: --chat: given twice`},
		{[]string{"download", "--url", u, "--disk-file", "abc"}, `b24: --disk-file: expected an integer, got "abc"`},
		{[]string{"listen", "--url", u, "--offline", "--every", "soon"}, `b24: --every: expected a duration like 30s or 2m, got "soon"`},
		{[]string{"batch", "--url", u, "--halt=maybe"}, `b24: --halt: expected true or false, got "maybe"`},
	} {
		r := run(t, nil, nil, c.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %s)", c.args, r.code, r.stderr)
		}
		if d := cmp.Diff(c.msg+"\n", r.stderr); d != "" {
			t.Errorf("%v: %s", c.args, d)
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout %q", c.args, r.stdout)
		}
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls made by usage errors", n)
	}
}

func TestBadURL(t *testing.T) {
	r := run(t, nil, nil, "im.dialog.unread", "--url", "http://portal.example.com/rest/1/topsecret99", "--chat", "1", "--message", "1")
	r.check(t, 2)
	if !strings.HasPrefix(r.stderr, "b24: --url: ") || strings.Contains(r.stderr, "topsecret99") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestUnreachable(t *testing.T) {
	// A port nobody listens on: take a free one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	for _, args := range [][]string{
		{"--url", "http://" + addr + "/rest/1/verysecret42", "im.dialog.unread", "--chat", "1", "--message", "1", "--timeout", "5s"},
		{"--url", "http://" + addr, "--token", "tokentoken77", "bitrix24", "MarkMessageAsUnreaded", "--chat", "1", "--message", "1"},
	} {
		// the refused connection is retried as always, with a back-off of milliseconds and no pacing
		// (a refusal fills the bucket: the steady rate would be 2 attempts a second)
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Catalog: (&testCatalog{}).catalog(),
			ClientOptions: []b24.Option{b24.WithRetry(b24.DefaultRetries, time.Millisecond), b24.WithRateLimit(0, 0)}})
		r := result{code, out.String(), errOut.String()}
		r.check(t, 1)
		if r.stderr == "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "b24: ") {
			t.Errorf("stderr: %q", r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "verysecret42") || strings.Contains(r.stdout+r.stderr, "tokentoken77") {
			t.Errorf("credential in output:\n%s%s", r.stdout, r.stderr)
		}
	}
}

func TestSandbox(t *testing.T) {
	r := run(t, nil, nil, "--sandbox", "im.dialog.unread", "--chat", "chat1", "--message", "2")
	r.check(t, 0)
	if env := envelope(t, r.stdout); env["result"] != true {
		t.Errorf("result %v", env["result"])
	}
	// The sandbox answers what the spec knows; a parameter the portal surely needs it checks itself.
	r = run(t, nil, nil, "--sandbox", "call", "crm.deal.get")
	r.check(t, 1)
	if !strings.Contains(r.stderr, "ERROR_ARGUMENT") || !strings.Contains(r.stdout, `"error": "ERROR_ARGUMENT"`) {
		t.Errorf("stdout %s stderr %s", r.stdout, r.stderr)
	}
}

func TestDeprecated(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("im.old.send", func(b24test.Call) (any, *b24.APIError) { return true, nil })
	r := run(t, nil, nil, "im.old.send", "--url", srv.WebhookURL(), "--text", "x")
	r.check(t, 0)
	if d := cmp.Diff("b24: warning: im.old.send is deprecated; use im.message.add instead\n", r.stderr); d != "" {
		t.Error(d)
	}
}

func TestHelp(t *testing.T) {
	tc := &testCatalog{}
	for _, args := range [][]string{nil, {"--help"}, {"-h"}, {"help"}} {
		r := run(t, tc, nil, args...)
		r.check(t, 0)
		for _, s := range []string{"b24 bitrix24 <function>", "b24 call <method>", "Namespaces (10 methods in 4 namespaces",
			"  call*    1  im       4\n  crm      4  task     1\n", "* also a command of b24: list its methods with b24 help <namespace>"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%v: root help lacks %q:\n%s", args, s, r.stdout)
			}
		}
		// Methods are listed per namespace, not here: 1,500 lines would bury the usage.
		if strings.Contains(r.stdout, "crm.lead.get") {
			t.Errorf("%v: root help lists methods:\n%s", args, r.stdout)
		}
	}
	if got := tc.asked(); len(got) != 0 {
		t.Errorf("root help built namespaces %v", got)
	}

	r := run(t, tc, nil, "im.dialog.unread", "--help")
	r.check(t, 0)
	for _, s := range []string{"b24 im.dialog.unread [flags]", "--chat dialog_id", "Dialog: chatXXX or a user ID. (required)", "--message id", "--sandbox", "Отмечает", "Docs: https://"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("method help lacks %q:\n%s", s, r.stdout)
		}
	}
	r = run(t, tc, nil, "help", "im.dialog.unread")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "--chat dialog_id") {
		t.Errorf("b24 help <method>:\n%s", r.stdout)
	}
	if d := cmp.Diff([]string{"im", "im"}, tc.asked()); d != "" {
		t.Errorf("namespaces built: %s", d)
	}

	// A method without a summary, with a map option; a deprecated positional one.
	r = run(t, tc, nil, "crm.deal.list", "--help")
	r.check(t, 0)
	for _, s := range []string{"crm.deal.list\n\nKind: read\n", "--order map[string]string ", "a JSON object (each value: text) or a path to a .json file\n",
		"--select []string", "--weights map[string]integer"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("crm.deal.list help lacks %q:\n%s", s, r.stdout)
		}
	}
	r = run(t, tc, nil, "task.commentitem.add", "--help")
	r.check(t, 0)
	for _, s := range []string{"DEPRECATED: task.commentitem.add is deprecated; use tasks.task.chat.message.send instead.",
		"Sent as a JSON array, in this order: --taskid, --fields, --extra", "--taskid integer   an integer (required)"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("task.commentitem.add help lacks %q:\n%s", s, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("help warned: %s", r.stderr)
	}

	r = run(t, tc, nil, "bitrix24")
	r.check(t, 0)
	for _, s := range []string{"MarkMessageAsUnreaded", "ОтметитьСообщениеКакНепрочитанное", "im.dialog.unread", "GetPictureBlock"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("bitrix24 list lacks %q", s)
		}
	}
	r = run(t, tc, nil, "bitrix24", "СоздатьЧат", "--help")
	r.check(t, 0)
	for _, s := range []string{"b24 bitrix24 CreateChat [flags]", "--fields object", "Chat fields. (required)", "Calls im.chat.add"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("OPI help lacks %q:\n%s", s, r.stdout)
		}
	}
	// A helper's own --url is listed as its option, not as the global one.
	r = run(t, tc, nil, "bitrix24", "GetPictureBlock", "--help")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "URL of the image. (required)") || strings.Contains(r.stdout, "incoming webhook URL") {
		t.Errorf("helper help:\n%s", r.stdout)
	}
}

func TestNamespaceHelp(t *testing.T) {
	tc := &testCatalog{}
	r := run(t, tc, nil, "im")
	r.check(t, 0)
	want := `Methods of im (4; b24 <method> --help shows the flags of one):
  im.chat.add       Creates a chat.
  im.dialog.unread  Marks the messages of a dialog as unread.
  im.message.add    Sends a message.
  im.old.send       (deprecated, use im.message.add) Old way to send.
`
	if d := cmp.Diff(want, r.stdout); d != "" {
		t.Errorf("b24 im (-want +got):\n%s", d)
	}
	// Methods without a summary show a dash; only the namespace asked for is built.
	r = run(t, tc, nil, "CRM")
	r.check(t, 0)
	for _, s := range []string{"Methods of crm (4;", "  crm.deal.add   -\n", "  crm.lead.get   Returns a lead by ID.\n"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("b24 crm lacks %q:\n%s", s, r.stdout)
		}
	}
	if d := cmp.Diff([]string{"im", "crm"}, tc.asked()); d != "" {
		t.Errorf("namespaces built: %s", d)
	}
	// "call" is b24's own command; help <namespace> lists the namespace of that name.
	r = run(t, tc, nil, "help", "call")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "Methods of call (1;") || !strings.Contains(r.stdout, "call.followup.get") {
		t.Errorf("b24 help call:\n%s", r.stdout)
	}
	r = run(t, tc, nil, "call", "--help")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "b24 help call lists them") {
		t.Errorf("b24 call --help:\n%s", r.stdout)
	}
	r = run(t, tc, nil, "help", "im")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "Methods of im (4;") {
		t.Errorf("b24 help im:\n%s", r.stdout)
	}
}

func TestUnknownMethod(t *testing.T) {
	tc := &testCatalog{}
	for _, c := range []struct{ name, want string }{
		{"crm.deal.ad", `did you mean crm.deal.add?`},
		{"crm.deal.gett", `did you mean crm.deal.get?`},
		{"crm.deal.lst", `did you mean crm.deal.list, crm.deal.get?`},
		{"CRM.DEAL.AD", `did you mean crm.deal.add?`},
		{"crm.deal.ge", `did you mean crm.deal.get?`},
		{"crm.deal.gt", `did you mean crm.deal.get?`},
		{"crm.daal.get", `did you mean crm.deal.get?`},
		{"crm.deal", `did you mean crm.deal.add, crm.deal.get, crm.deal.list?`},
		{"imm", `did you mean im?`},
		{"im.dialog.unred", `did you mean im.dialog.unread?`},
	} {
		r := run(t, tc, nil, c.name, "--url", "http://127.0.0.1:1/rest/1/x")
		r.check(t, 2)
		want := fmt.Sprintf("b24: unknown command or method %q; %s (b24 --help lists the namespaces; b24 call %s calls a method outside the spec)\n", c.name, c.want, c.name)
		if d := cmp.Diff(want, r.stderr); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, d)
		}
	}
	r := run(t, tc, nil, "zzzz.qqqq.wwww")
	r.check(t, 2)
	if strings.Contains(r.stderr, "did you mean") {
		t.Errorf("suggestions for nothing alike: %s", r.stderr)
	}
	// Suggesting reads the stubs only.
	if got := tc.asked(); len(got) != 0 {
		t.Errorf("suggestions built namespaces %v", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 2, 0},
		{"abc", "abc", 2, 0},
		{"crm.deal.ad", "crm.deal.add", 2, 1},
		{"crm.deal.get", "crm.deal.ge", 2, 1},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // over the limit: limit+1
		{"a", "abcdef", 2, 3},
	} {
		if got := editDistance([]rune(c.a), []rune(c.b), c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

// TestPositional: a positional method sends its options as a JSON array in parameter order, which the
// portal sees as the keys "0", "1", …; in token mode auth goes in the query, not in the array.
func TestPositional(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("task.commentitem.add", func(b24test.Call) (any, *b24.APIError) { return 7, nil })
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "task.commentitem.add", "--fields", "{'POST_MESSAGE':'hi'}", "--taskid", "12")
	r.check(t, 0)
	if !strings.Contains(r.stderr, "warning: task.commentitem.add is deprecated; use tasks.task.chat.message.send instead") {
		t.Errorf("no deprecation warning: %q", r.stderr)
	}
	c := lastCall(t, srv)
	if d := cmp.Diff(`{"0":12,"1":{"POST_MESSAGE":"hi"}}`, paramsJSON(t, c)); d != "" {
		t.Errorf("params (-want +got):\n%s", d)
	}
	if d := cmp.Diff(`[12,{"POST_MESSAGE":"hi"}]`, string(bytes.TrimSpace(c.Body))); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
	r = run(t, nil, nil, "--url", srv.URL(), "--token", srv.Token(), "task.commentitem.add", "--taskid", "12", "--fields", "{}", "--extra", "5")
	r.check(t, 0)
	c = lastCall(t, srv)
	if d := cmp.Diff(`{"0":12,"1":{},"2":5}`, paramsJSON(t, c)); d != "" {
		t.Errorf("token params (-want +got):\n%s", d)
	}
	if c.Auth != "token" || strings.Contains(string(c.Body), srv.Token()) {
		t.Errorf("token call: auth %q body %s", c.Auth, c.Body)
	}
	// A missing required option is a usage error before any request.
	srv.ResetCalls()
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "task.commentitem.add", "--taskid", "12")
	r.check(t, 2)
	if d := cmp.Diff("b24: --fields: required option missing; expected a JSON object or a path to a .json file\n", r.stderr); d != "" {
		t.Error(d)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls", n)
	}
}

// TestMapOption: a map[string]T option takes a JSON object (single quotes or a .json file), checks every
// value, and names the flag and the key when one is wrong.
func TestMapOption(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("crm.deal.list", func(b24test.Call) (any, *b24.APIError) { return []any{}, nil })
	file := filepath.Join(t.TempDir(), "order.json")
	os.WriteFile(file, []byte(`{"DATE_CREATE": "DESC"}`), 0o600)
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--order", "{'ID':'ASC'}", "--weights", "{'a': '2'}",
		"--select", "['ID','TITLE']", "--filter", "{'>ID': 10}")
	r.check(t, 0)
	want := `{"filter":{"\u003eID":10},"order":{"ID":"ASC"},"select":["ID","TITLE"],"weights":{"a":2}}`
	if d := cmp.Diff(want, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Errorf("params (-want +got):\n%s", d)
	}
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--order", file)
	r.check(t, 0)
	if d := cmp.Diff(`{"order":{"DATE_CREATE":"DESC"}}`, paramsJSON(t, lastCall(t, srv))); d != "" {
		t.Errorf("params (-want +got):\n%s", d)
	}
	srv.ResetCalls()
	for args, msg := range map[string]string{
		"--order={'ID':['ASC']}":    `b24: --order: key "ID": expected text, got an array`,
		"--weights={'a':1,'b':'x'}": `b24: --weights: key "b": expected an integer, got "x"`,
		"--order=ID:ASC":            `b24: --order: expected a JSON object like {'KEY':'value'} or a path to a .json file, got "ID:ASC"`,
	} {
		r := run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", args)
		r.check(t, 2)
		if d := cmp.Diff(msg+"\n", r.stderr); d != "" {
			t.Errorf("%s: %s", args, d)
		}
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls made by usage errors", n)
	}
}

func TestCommandIndex(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"im.x"}, 0},
		{[]string{"--url", "u", "im.x"}, 2},
		{[]string{"--url=u", "--sandbox", "im.x"}, 2},
		{[]string{"--token", "t", "--timeout", "5s", "call"}, 4},
		{[]string{"-h"}, -1},
		{[]string{"--", "im.x"}, 1},
		{nil, -1},
	} {
		if got := commandIndex(c.args); got != c.want {
			t.Errorf("commandIndex(%v) = %d, want %d", c.args, got, c.want)
		}
	}
}

func TestPanicIsOneLine(t *testing.T) {
	var out, errOut bytes.Buffer
	cat := Catalog{Stubs: func() []clikit.Stub { panic("boom") }}
	code := Run(context.Background(), []string{"x.y"}, Env{Stdout: &out, Stderr: &errOut, Catalog: cat})
	if code != 1 || errOut.String() != "b24: internal error: boom\n" || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestBatchCommand(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	srv.Handle("crm.deal.add", func(b24test.Call) (any, *b24.APIError) { return 7, nil })
	srv.Handle("crm.deal.get", func(c b24test.Call) (any, *b24.APIError) { return c.Params, nil })
	srv.Handle("x.fail", func(b24test.Call) (any, *b24.APIError) {
		return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"}
	})

	r := run(t, nil, nil, "--url", srv.WebhookURL(), "batch", "deal=crm.deal.add?fields[TITLE]=New+deal%26co", "get=crm.deal.get?id=$result[deal]")
	r.check(t, 0)
	calls := srv.Calls()
	if len(calls) != 3 || calls[0].Method != "batch" || calls[1].BatchKey != "deal" || calls[2].BatchKey != "get" {
		t.Fatalf("calls %+v", calls)
	}
	if d := cmp.Diff(`{"fields":{"TITLE":"New deal\u0026co"}}`, paramsJSON(t, calls[1])); d != "" {
		t.Errorf("deal params: %s", d)
	}
	if d := cmp.Diff(`{"halt":0,"cmd":{"deal":"crm.deal.add?fields[TITLE]=New+deal%26co","get":"crm.deal.get?id=$result[deal]"}}`, string(calls[0].Body)); d != "" {
		t.Errorf("body: %s", d)
	}
	res, _ := envelope(t, r.stdout)["result"].(map[string]any)
	if got := fmt.Sprint(res["result"]); got != "map[deal:7 get:map[id:7]]" {
		t.Errorf("results %s", got)
	}

	srv.ResetCalls()
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "batch", "--halt", "a=x.fail", "b=crm.deal.add")
	r.check(t, 1)
	if d := cmp.Diff("b24: batch: 1 command(s) failed: a: ACCESS_DENIED (no)\nb24: hint: a: "+accessHint(hintCtx{})+"\n", r.stderr); d != "" {
		t.Error(d)
	}
	if len(srv.Calls()) != 2 || !strings.HasPrefix(string(srv.Calls()[0].Body), `{"halt":1,`) {
		t.Errorf("with --halt: calls %+v", srv.Calls())
	}

	many := []string{"--url", srv.WebhookURL(), "batch"}
	for i := range 51 {
		many = append(many, fmt.Sprintf("c%d=crm.deal.add", i))
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"batch"}, "b24: batch: expected commands like user='user.get?ID=1'\n"},
		{[]string{"batch", "a b=x.y"}, "b24: batch: \"a b=x.y\": expected key='method?query' with a key of letters, digits and _\n"},
		{[]string{"batch", "a=x.y", "a=x.z"}, "b24: batch: the key \"a\" is used twice\n"},
		{[]string{"batch", "a=x y?z=1"}, "b24: batch: a: \"x y\" is not a method name\n"},
		{many[2:], "b24: batch: 51 commands; the portal runs at most 50 in one request\n"},
	} {
		srv.ResetCalls()
		r := run(t, nil, nil, append([]string{"--url", srv.WebhookURL()}, c.args...)...)
		r.check(t, 2)
		if d := cmp.Diff(c.msg, r.stderr); d != "" {
			t.Errorf("%v: %s", c.args, d)
		}
		if n := len(srv.Calls()); n != 0 {
			t.Errorf("%v: %d calls sent", c.args, n)
		}
	}
}

// TestAllOption: --all prints every row as a JSON line, walked by ID with the caller's filter kept;
// on a terminal the progress goes to stderr; an error stops it with the rows so far printed.
func TestAllOption(t *testing.T) {
	srv := b24test.New()
	defer srv.Close()
	var starts []string
	srv.Handle("crm.deal.list", func(c b24test.Call) (any, *b24.APIError) {
		f, _ := c.Params["filter"].(map[string]any)
		starts = append(starts, fmt.Sprint(c.Params["start"], " ", f[">ID"], " ", f["TYPE"], " ", c.Params["order"]))
		// a single call sends numbers, a batch command text
		after, _ := strconv.ParseInt(fmt.Sprint(f[">ID"]), 10, 64)
		var rows []map[string]any
		for id := after + 1; id <= 120 && len(rows) < 50; id++ {
			rows = append(rows, map[string]any{"ID": fmt.Sprint(id)})
		}
		if fmt.Sprint(c.Params["start"]) == "-1" {
			return rows, nil
		}
		return b24test.Page(rows, 120-int(after), 50), nil
	})
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"--url", srv.WebhookURL(), "crm.deal.list", "--all", "--filter", "{'TYPE':'A'}"},
		Env{Stdout: &out, Stderr: &errOut, Catalog: (&testCatalog{}).catalog(), Terminal: true})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 120 || lines[0] != `{"ID":"1"}` || lines[119] != `{"ID":"120"}` {
		t.Errorf("%d lines: %q … %q", len(lines), lines[0], lines[len(lines)-1])
	}
	// a counted page, then one batch of the two pages left, the second chained to the first
	want := []string{"0 <nil> A map[ID:ASC]", "-1 50 A map[ID:ASC]", "-1 100 A map[ID:ASC]"}
	if d := cmp.Diff(want, starts); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	if !strings.HasSuffix(errOut.String(), "\rcrm.deal.list: 120 of 120 rows (100%)\n") || !strings.Contains(errOut.String(), "\rcrm.deal.list: 50 of 120 rows (41%)") {
		t.Errorf("progress %q", errOut.String())
	}

	// not a terminal: no progress; an error after a page: those rows printed, then the error and how
	// to resume, exit 1; resumed with --after, the rest, each row once
	calls := 0
	srv.Handle("crm.deal.list", func(c b24test.Call) (any, *b24.APIError) {
		if calls++; calls == 2 {
			return nil, &b24.APIError{Code: "ACCESS_DENIED", Description: "no"}
		}
		var rows []map[string]any
		for id := 1; id <= 50; id++ {
			rows = append(rows, map[string]any{"ID": fmt.Sprint(id)})
		}
		return b24test.Page(rows, 120, 50), nil
	})
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--all")
	r.check(t, 1)
	if n := strings.Count(r.stdout, "\n"); n != 50 || !strings.HasSuffix(r.stdout, "{\"ID\":\"50\"}\n") {
		t.Errorf("%d lines printed: %q", n, r.stdout)
	}
	wantErr := "b24: crm.deal.list: ACCESS_DENIED: no\nb24: hint: " + accessHint(hintCtx{}) + "\nb24: the rows up to ID 50 are printed; to go on from there, repeat the command with --after 50\n"
	if r.stderr != wantErr {
		t.Errorf("stderr %q, want %q", r.stderr, wantErr)
	}
	starts = nil
	srv.Handle("crm.deal.list", func(c b24test.Call) (any, *b24.APIError) {
		f, _ := c.Params["filter"].(map[string]any)
		starts = append(starts, fmt.Sprint(c.Params["start"], " ", f[">ID"]))
		after, _ := strconv.ParseInt(fmt.Sprint(f[">ID"]), 10, 64)
		var rows []map[string]any
		for id := after + 1; id <= 120 && len(rows) < 50; id++ {
			rows = append(rows, map[string]any{"ID": fmt.Sprint(id)})
		}
		return b24test.Page(rows, 120-int(after), 0), nil
	})
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--all", "--after", "50")
	r.check(t, 0)
	if n := strings.Count(r.stdout, "\n"); n != 70 || !strings.HasPrefix(r.stdout, "{\"ID\":\"51\"}\n") {
		t.Errorf("resumed: %d lines: %.40q", n, r.stdout)
	}
	if starts[0] != "0 50" {
		t.Errorf("resumed requests %q", starts)
	}
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.list", "--after", "50")
	r.check(t, 2)

	r = run(t, nil, nil, "--url", srv.WebhookURL(), "crm.deal.get", "--id", "1", "--all")
	r.check(t, 2)
}

func TestVersion(t *testing.T) {
	r := run(t, nil, nil, "--version")
	r.check(t, 0)
	// the functions the catalog lists and those b24 runs itself (GetToken, …)
	want := fmt.Sprintf("b24 %s: %d Bitrix24 REST methods, %d OpenIntegrations functions\n", b24.Version,
		len((&testCatalog{}).stubs()), len((&testCatalog{}).opi())+len(builtinOPI))
	if r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
}

// TestVerbose: --verbose logs each HTTP request on stderr (method, status, duration, retries), never
// the webhook secret; without it stderr stays empty.
func TestVerbose(t *testing.T) {
	srv := b24test.New(b24test.WithSecret("v3rys3cr3t"))
	defer srv.Close()
	srv.FailNext("im.dialog.unread", 1, b24test.QueryLimitExceeded())
	r := run(t, nil, nil, "--url", srv.WebhookURL(), "--verbose", "im.dialog.unread", "--chat", "chat872", "--message", "15660")
	r.check(t, 0)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "method=im.dialog.unread") || !strings.Contains(lines[1], "status=200") ||
		!strings.Contains(lines[1], "retries=1") || !strings.Contains(lines[0], "QUERY_LIMIT_EXCEEDED") || strings.Contains(r.stderr, "v3rys3cr3t") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	r = run(t, nil, nil, "--url", srv.WebhookURL(), "im.dialog.unread", "--chat", "chat872", "--message", "15660")
	if r.check(t, 0); r.stderr != "" {
		t.Errorf("without --verbose: %q", r.stderr)
	}
}
