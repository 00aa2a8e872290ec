package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// completions runs `b24 __complete args...` and splits cobra's protocol: candidates (with their
// descriptions) and the directive of the last line.
func completions(t *testing.T, tc *testCatalog, env map[string]string, args ...string) ([]string, cobra.ShellCompDirective) {
	t.Helper()
	r := run(t, tc, env, append([]string{"__complete"}, args...)...)
	r.check(t, 0)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	last := lines[len(lines)-1]
	var d int
	if _, err := fmt.Sscanf(last, ":%d", &d); err != nil {
		t.Fatalf("last line %q is not :<directive>:\n%s", last, r.stdout)
	}
	return lines[:len(lines)-1], cobra.ShellCompDirective(d)
}

// words drops the descriptions.
func words(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i], _, _ = strings.Cut(l, "\t")
	}
	return out
}

const noFile = cobra.ShellCompDirectiveNoFileComp

func TestCompleteMethod(t *testing.T) {
	tc := &testCatalog{}
	got, d := completions(t, tc, nil, "crm.deal.")
	if diff := cmp.Diff([]string{"crm.deal.add", "crm.deal.get", "crm.deal.list"}, words(got)); diff != "" || d != noFile {
		t.Errorf("crm.deal.: directive %d %s", d, diff)
	}
	// The next part of a name at a time; a part with one method is that method.
	got, d = completions(t, tc, nil, "crm.")
	if diff := cmp.Diff([]string{"crm.deal.\t3 methods", "crm.lead.get\tReturns a lead by ID."}, got); diff != "" || d != noFile|cobra.ShellCompDirectiveNoSpace {
		t.Errorf("crm.: directive %d %s", d, diff)
	}
	got, _ = completions(t, tc, nil, "")
	want := []string{"auth", "batch", "bitrix24", "call", "completion", "download", "help", "listen", "mcp", "upload", "call.followup.get", "crm.", "im.", "task.commentitem.add"}
	if diff := cmp.Diff(want, words(got)); diff != "" {
		t.Errorf("empty word: %s", diff)
	}
	got, _ = completions(t, tc, nil, "--sandbox", "im.d")
	if diff := cmp.Diff([]string{"im.dialog.unread\tMarks the messages of a dialog as unread."}, got); diff != "" {
		t.Errorf("im.d after a flag: %s", diff)
	}
	// Completing a method name builds no command: no namespace's descriptors.
	if asked := tc.asked(); len(asked) != 0 {
		t.Errorf("namespaces built: %v", asked)
	}
	// Without descriptions.
	r := run(t, tc, nil, "__completeNoDesc", "crm.")
	r.check(t, 0)
	if r.stdout != "crm.deal.\ncrm.lead.get\n:6\n" {
		t.Errorf("__completeNoDesc:\n%s", r.stdout)
	}
	// help <word> and call <method> complete methods too.
	got, _ = completions(t, tc, nil, "help", "im.m")
	if diff := cmp.Diff([]string{"im.message.add"}, words(got)); diff != "" {
		t.Errorf("help: %s", diff)
	}
	got, _ = completions(t, tc, nil, "call", "crm.deal.g")
	if diff := cmp.Diff([]string{"crm.deal.get"}, words(got)); diff != "" {
		t.Errorf("call: %s", diff)
	}
	got, d = completions(t, tc, nil, "call", "crm.deal.get", "")
	if diff := cmp.Diff([]string{"id="}, words(got)); diff != "" || d&cobra.ShellCompDirectiveNoSpace == 0 {
		t.Errorf("call fields: %d %s", d, diff)
	}
}

func TestCompleteFlags(t *testing.T) {
	tc := &testCatalog{}
	got, d := completions(t, tc, nil, "im.dialog.unread", "--ch")
	if diff := cmp.Diff([]string{"--chat\tDialog: chatXXX or a user ID. (required)"}, got); diff != "" || d != noFile {
		t.Errorf("--ch: %d %s", d, diff)
	}
	// After the method, its options not given yet.
	got, _ = completions(t, tc, nil, "im.dialog.unread", "--chat", "1", "")
	if diff := cmp.Diff([]string{"--message"}, words(got)); diff != "" {
		t.Errorf("next option: %s", diff)
	}
	// A method typed in other case is found.
	got, _ = completions(t, tc, nil, "IM.Dialog.Unread", "--me")
	if diff := cmp.Diff([]string{"--message"}, words(got)); diff != "" {
		t.Errorf("case: %s", diff)
	}
	// Global flags are offered with a dash too.
	got, _ = completions(t, tc, nil, "im.dialog.unread", "--sa")
	if diff := cmp.Diff([]string{"--sandbox"}, words(got)); diff != "" {
		t.Errorf("global: %s", diff)
	}
	// Values of an enum and of a boolean.
	got, _ = completions(t, tc, nil, "im.chat.add", "--type", "")
	if diff := cmp.Diff([]string{"OPEN", "CHAT"}, words(got)); diff != "" {
		t.Errorf("enum: %s", diff)
	}
	// --flag=<TAB>: the shell scripts take the value part themselves.
	got, _ = completions(t, tc, nil, "im.message.add", "--url-preview=t")
	if diff := cmp.Diff([]string{"true"}, words(got)); diff != "" {
		t.Errorf("boolean: %s", diff)
	}
	// The global --output, by name and by shorthand.
	for _, args := range [][]string{{"im.chat.add", "-o", "j"}, {"--output", "j"}, {"im.chat.add", "--output=j"}} {
		got, _ = completions(t, tc, nil, args...)
		if diff := cmp.Diff([]string{"json", "jsonl"}, words(got)); diff != "" {
			t.Errorf("%v: %s", args, diff)
		}
	}
	// Only the method's namespace was built.
	if diff := cmp.Diff([]string{"im", "im", "im", "im", "im", "im", "im", "im"}, tc.asked()); diff != "" {
		t.Errorf("namespaces built: %s", diff)
	}
	// auth's subcommands and flags; completion's shells.
	got, _ = completions(t, tc, nil, "auth", "")
	if diff := cmp.Diff([]string{"list", "login", "logout", "use"}, words(got)); diff != "" {
		t.Errorf("auth: %s", diff)
	}
	got, _ = completions(t, tc, nil, "auth", "login", "x", "--with")
	if diff := cmp.Diff([]string{"--with-token"}, words(got)); diff != "" {
		t.Errorf("auth login: %s", diff)
	}
	got, _ = completions(t, tc, nil, "completion", "")
	if diff := cmp.Diff(shells, words(got)); diff != "" {
		t.Errorf("completion: %s", diff)
	}
}

func TestCompleteOPI(t *testing.T) {
	tc := &testCatalog{}
	got, d := completions(t, tc, nil, "bitrix24", "Mark")
	if diff := cmp.Diff([]string{
		"MarkMessageAsUnreaded\tОтметитьСообщениеКакНепрочитанное (im.dialog.unread)",
		"MarkMessageAsUnread\tMarkMessageAsUnreaded (im.dialog.unread)",
	}, got); diff != "" || d != noFile {
		t.Errorf("EN: %d %s", d, diff)
	}
	got, _ = completions(t, tc, nil, "bitrix24", "Отметить")
	if diff := cmp.Diff([]string{"ОтметитьСообщениеКакНепрочитанное\tMarkMessageAsUnreaded (im.dialog.unread)"}, got); diff != "" {
		t.Errorf("RU: %s", diff)
	}
	// Case is ignored, as by b24 bitrix24 itself; the builtin functions are there too.
	got, _ = completions(t, tc, nil, "bitrix24", "получитьс")
	if diff := cmp.Diff([]string{"ПолучитьСтруктуруЧата", "ПолучитьСсылкуАвторизацииПриложения", "ПолучитьСтруктуруФильтраКаталога"}, words(got)); diff != "" {
		t.Errorf("RU lower case: %s", diff)
	}
	// The options of a function named in Russian, and the global ones.
	got, _ = completions(t, tc, nil, "bitrix24", "ОтправитьСообщение", "--p")
	if diff := cmp.Diff([]string{"--profile", "--preview"}, words(got)); diff != "" {
		t.Errorf("OPI flags: %s", diff)
	}
	got, _ = completions(t, tc, nil, "bitrix24", "SendMessage", "--preview", "")
	if diff := cmp.Diff([]string{"true", "false"}, words(got)); diff != "" {
		t.Errorf("OPI boolean: %s", diff)
	}
	if asked := tc.asked(); len(asked) != 0 {
		t.Errorf("namespaces built: %v", asked)
	}
}

func TestCompleteProfiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"B24_CONFIG_DIR": dir}
	for _, name := range []string{"work", "home", "work2"} {
		runIn(t, env, "", "auth", "login", name, "--url", "https://"+name+".bitrix24.ru/rest/1/s3cr3t").check(t, 0)
	}
	got, d := completions(t, nil, env, "--profile", "")
	if diff := cmp.Diff([]string{"home\twebhook, home.bitrix24.ru", "work\twebhook, work.bitrix24.ru", "work2\twebhook, work2.bitrix24.ru"}, got); diff != "" || d != noFile {
		t.Errorf("--profile: %d %s", d, diff)
	}
	got, _ = completions(t, nil, env, "crm.deal.list", "--profile=w")
	if diff := cmp.Diff([]string{"work", "work2"}, words(got)); diff != "" {
		t.Errorf("--profile=: %s", diff)
	}
	for _, sub := range []string{"use", "logout"} {
		got, _ = completions(t, nil, env, "auth", sub, "wo")
		if diff := cmp.Diff([]string{"work", "work2"}, words(got)); diff != "" {
			t.Errorf("auth %s: %s", sub, diff)
		}
		got, _ = completions(t, nil, env, "auth", sub, "work", "")
		if len(got) != 0 {
			t.Errorf("auth %s takes one name: %v", sub, got)
		}
	}
	got, _ = completions(t, nil, nil, "--profile", "")
	if len(got) != 0 {
		t.Errorf("no config dir: %v", got)
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string][]string{
		"bash":       {"__start_b24", "__complete", "complete -o default -F __start_b24 b24"},
		"zsh":        {"#compdef b24", "__complete"},
		"fish":       {"complete -c b24", "__complete"},
		"powershell": {"Register-ArgumentCompleter", "__complete"},
	} {
		r := run(t, nil, nil, "completion", shell)
		r.check(t, 0)
		for _, s := range want {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%s script lacks %q", shell, s)
			}
		}
		nd := run(t, nil, nil, "completion", shell, "--no-descriptions")
		nd.check(t, 0)
		if nd.stdout == r.stdout && shell != "fish" {
			t.Errorf("%s: --no-descriptions changed nothing", shell)
		}
	}
	r := run(t, nil, nil, "completion", "tcsh")
	r.check(t, 2)
	if r.stderr != "b24: completion: name one shell: bash, zsh, fish or powershell (see 'b24 completion --help')\n" {
		t.Errorf("stderr %s", r.stderr)
	}
	r = run(t, nil, nil, "completion", "--help")
	r.check(t, 0)
	if !strings.Contains(r.stdout, "source <(b24 completion bash)") {
		t.Errorf("help:\n%s", r.stdout)
	}
}
