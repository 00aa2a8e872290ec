// Package command is the b24 command line: global flags, the lazy command tree, output and exit codes.
// It knows methods and OPI functions only through a Catalog, so it can be tested without the
// generated bindings.
package command

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/clikit"
)

// Exit codes: one table for every command (the README lists it).
const (
	ExitOK    = 0
	ExitError = 1 // a Bitrix24 error, a network error, anything that is not the user's typing
	ExitUsage = 2 // unknown command or option, bad or missing option value: nothing was sent
	// ExitOutput: the call succeeded, and its answer did not fit --jq or --output; the answer was
	// printed as it came, so a write's result is not lost.
	ExitOutput = 3
	// ExitInterrupted is the shell's code for a run ended by Ctrl-C (128 + SIGINT).
	ExitInterrupted = 130
)

// Env is what a run talks to. Getenv nil means no environment (tests).
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Catalog        Catalog
	Terminal       bool // Stderr is a terminal: --all draws its progress there
	StdoutTerminal bool // Stdout is a terminal: control characters in answers are shown escaped
	// ClientOptions go after the flags' options of the client: tests shorten the retries' back-off
	// and pacing with them, which would make a call to an unreachable portal wait a minute.
	ClientOptions []b24.Option
	// Stdin is read by auth login --with-token; nil is none.
	Stdin io.Reader
	// ConfigDir is the user's config directory (os.UserConfigDir): the profiles live in its b24/.
	// Nil in tests, where only B24_CONFIG_DIR names a directory.
	ConfigDir func() (string, error)
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// globals are the flags every command has.
type globals struct {
	url, token, timeout string
	profile             string // auth.go
	jq, output          string // output.go
	sandbox, verbose    bool
}

// usageError is the user's mistake: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// runError marks an error returned by a command's own code, as opposed to cobra's parsing errors,
// which are all usage errors.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// Run runs the b24 command line with args (without the program name) and returns the exit code.
// Only the command named in args is built.
func Run(ctx context.Context, args []string, env Env) (code int) {
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	r := &runner{ctx: ctx, env: env}
	out := &safeWriter{w: env.Stdout, secrets: r.secrets, escape: env.StdoutTerminal}
	errOut := &safeWriter{w: env.Stderr, secrets: r.secrets}
	r.env.Stdout, r.env.Stderr = out, errOut
	defer out.Flush()
	defer errOut.Flush()
	// A bug must not end in a stack trace that could show option values: one line, exit 1.
	defer func() {
		if p := recover(); p != nil {
			r.errLine(fmt.Sprintf("internal error: %v", p))
			code = ExitError
		}
	}()
	return r.run(args)
}

type runner struct {
	ctx context.Context
	env Env
	g   globals
	// prof is the profile in use and the secrets met by auth commands (auth.go).
	prof profileState
	// extraSecrets are secrets given to a command, masked in all it prints (listen's token).
	extraSecrets []string
}

// globalValueFlags take a value, so the word after them is not a command name.
var globalValueFlags = map[string]bool{"--url": true, "--token": true, "--timeout": true, "--profile": true, "--jq": true, "--output": true, "-o": true}

// globalBoolFlags take no value: the word after them may be the command name.
var globalBoolFlags = map[string]bool{"-h": true, "--help": true, "--sandbox": true, "--verbose": true}

// commandIndex finds the first word of args that is not a flag or a flag's value. An unknown
// "--flag" without "=" is taken to have a value, as cobra does.
func commandIndex(args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		case globalBoolFlags[strings.SplitN(a, "=", 2)[0]]: // --sandbox, --verbose=true
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if !strings.Contains(a, "=") && (globalValueFlags[a] || strings.HasPrefix(a, "--")) {
				i++
			}
		default:
			return i
		}
	}
	return -1
}

func without(args []string, i int) []string {
	out := make([]string, 0, len(args)-1)
	out = append(out, args[:i]...)
	out = append(out, args[i+1:]...)
	if len(out) > 0 && out[0] == "--" {
		out = out[1:]
	}
	return out
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}

func (r *runner) run(args []string) int {
	i := commandIndex(args)
	if i < 0 {
		if len(args) == 0 || wantsHelp(args) {
			r.rootHelp()
			return ExitOK
		}
		if slices.Contains(args, "--version") {
			fmt.Fprintf(r.env.Stdout, "b24 %s: %d Bitrix24 REST methods, %d OpenIntegrations functions\n",
				b24.Version, len(r.env.Catalog.Stubs()), len(r.env.Catalog.opi()))
			return ExitOK
		}
		return r.fail(usagef("no command given; run 'b24 --help'"))
	}
	name, rest := args[i], without(args, i)
	switch name {
	case "help":
		j := commandIndex(rest)
		if j < 0 {
			r.rootHelp()
			return ExitOK
		}
		// help <namespace> lists it even when the namespace is also a command of b24 (call).
		if _, isMethod := r.env.Catalog.findStub(rest[j]); !isMethod {
			if ns, ok := r.env.Catalog.isNamespace(rest[j]); ok {
				r.namespaceHelp(ns)
				return ExitOK
			}
		}
		return r.run(append(rest, "--help"))
	case "bitrix24":
		return r.runOPI(rest)
	case "call":
		return r.execute(r.callCommand(), []string{"call"}, rest)
	case "batch":
		return r.execute(r.batchCommand(), []string{"batch"}, rest)
	case "auth":
		return r.execute(r.authCommand(), []string{"auth"}, rest)
	case "completion":
		return r.execute(r.completionCommand(), []string{"completion"}, rest)
	case "mcp":
		return r.execute(r.mcpCommand(), []string{"mcp"}, rest)
	case "listen":
		return r.execute(r.listenCommand(), []string{"listen"}, rest)
	case "upload":
		return r.execute(r.uploadCommand(), []string{"upload"}, rest)
	case "download":
		return r.execute(r.downloadCommand(), []string{"download"}, rest)
	case cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return r.complete(name, rest)
	}
	if stub, ok := r.env.Catalog.findStub(name); ok {
		m, ok := r.env.Catalog.method(stub)
		if !ok {
			return r.fail(fmt.Errorf("%s: listed but not described by the catalog", stub.Name))
		}
		return r.execute(r.methodCommand(m), []string{m.Name}, rest)
	}
	if ns, ok := r.env.Catalog.isNamespace(name); ok {
		r.namespaceHelp(ns)
		return ExitOK
	}
	return r.fail(r.unknown(name))
}

// unknown is the error of a word that is neither a command, a method nor a namespace: it offers the
// closest names, and the ways to see them all or to call a method outside the spec.
func (r *runner) unknown(name string) error {
	msg := fmt.Sprintf("unknown command or method %q", name)
	if s := r.env.Catalog.suggest(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, ", ") + "?"
	}
	if validMethod(name) {
		return usagef("%s (b24 --help lists the namespaces; b24 call %s calls a method outside the spec)", msg, name)
	}
	return usagef("%s (b24 --help lists the namespaces)", msg)
}

func (r *runner) runOPI(args []string) int {
	i := commandIndex(args)
	if i < 0 {
		r.opiList()
		return ExitOK
	}
	name, rest := args[i], without(args, i)
	f, ok := r.env.Catalog.findOPI(name)
	if !ok {
		msg := fmt.Sprintf("unknown OpenIntegrations function %q", name)
		if s := r.env.Catalog.suggestOPI(name); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, ", ") + "?"
		}
		return r.fail(usagef("%s; run 'b24 bitrix24' for the list", msg))
	}
	return r.execute(r.opiCommand(f), []string{"bitrix24", f.EN}, rest)
}

// root makes the root command with the global flags. Children added to it see these flags unless
// they define an option of the same name (GetPictureBlock's --url), which then wins.
func (r *runner) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "b24",
		Short:         "Bitrix24 REST from the command line",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(r.env.Stdout)
	root.SetErr(r.env.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		var bad *pflag.InvalidValueError
		if errors.As(err, &bad) { // in the words of the generated flags
			var own *usageError
			if errors.As(err, &own) {
				return usagef("--%s: %s", bad.GetFlag().Name, own.msg)
			}
			return usagef("--%s: expected %s, got %q", bad.GetFlag().Name, expected(bad.GetFlag().Value.Type()), bad.GetValue())
		}
		return usagef("%v (see 'b24 %s --help')", err, strings.TrimPrefix(c.CommandPath(), "b24 "))
	})
	pf := root.PersistentFlags()
	pf.StringVar(&r.g.url, "url", r.env.getenv("B24_URL"), "incoming webhook URL, or the portal address with --token (env B24_URL)")
	pf.StringVar(&r.g.token, "token", "", "OAuth access token; the request goes to <portal>/rest/<method> with auth (env B24_TOKEN)")
	pf.StringVar(&r.g.timeout, "timeout", "", "time limit of the whole call, retries and waits included, e.g. 30s or 2m; with --all, of each request "+
		"(default: none for the call, 70s for each HTTP exchange)")
	pf.BoolVar(&r.g.sandbox, "sandbox", false, "call an in-process fake portal instead of a real one")
	pf.StringVar(&r.g.profile, "profile", r.env.getenv("B24_PROFILE"), "the stored portal to call (b24 auth list); --url/--token win over it (env B24_PROFILE)")
	pf.BoolVar(&r.g.verbose, "verbose", false, "log each HTTP request on stderr: method, status, duration, operating time, retries (no secrets)")
	pf.StringVar(&r.g.jq, "jq", "", jqUsage)
	pf.StringVarP(&r.g.output, "output", "o", formatJSON, outputUsage)
	// The defaults are not shown in help: B24_URL may hold a webhook secret.
	pf.Lookup("url").DefValue = ""
	return root
}

// execute runs cmd (a child of a fresh root, found by path) with args.
func (r *runner) execute(cmd *cobra.Command, path []string, args []string) int {
	root := r.root()
	parent := root
	for _, p := range path[:len(path)-1] {
		c := &cobra.Command{Use: p, SilenceErrors: true, SilenceUsage: true}
		parent.AddCommand(c)
		parent = c
	}
	parent.AddCommand(cmd)
	root.SetArgs(append(append([]string{}, path...), args...))
	root.SetContext(r.ctx)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var re *runError
	if errors.As(err, &re) {
		return r.fail(re.err)
	}
	var oe *outputError
	if errors.As(err, &oe) { // before usage: a filter that did not fit an answer may say usage inside
		return r.fail(oe)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return r.fail(ue)
	}
	// Anything else comes from cobra's own parsing.
	return r.fail(&usageError{err.Error()})
}

// fail prints err and returns its exit code.
func (r *runner) fail(err error) int {
	var ve *clikit.ValueError
	var ue *usageError
	var oe *outputError
	var ae *b24.APIError
	var se *streamError
	if errors.As(err, &se) {
		switch {
		case se.after != 0:
			defer r.errLine(fmt.Sprintf("the rows up to ID %d are printed; to go on from there, repeat the command with --after %d", se.after, se.after))
		case se.cursor != nil:
			defer r.errLine(fmt.Sprintf("the rows before cursor %s are printed; to go on from there, repeat the command with --after-cursor '%s'", se.cursor, se.cursor))
		}
	}
	if r.ctx.Err() != nil && errors.Is(err, context.Canceled) {
		if errors.Is(err, b24.ErrMaybeRan) { // a write cut off after it was sent
			r.errLine(err.Error())
		} else {
			r.errLine("interrupted")
		}
		return ExitInterrupted
	}
	defer r.printHints(err) // after the error line, before the way to resume
	switch {
	case errors.Is(err, b24.ErrMaybeRan):
		// the portal's code is in the message; the may-have-run wording must not give way to it
		r.errLine(err.Error())
		return ExitError
	case errors.As(err, &ae):
		if body := indent(ae.Body); len(body) > 0 && !errors.As(err, &se) && r.plainJSON() {
			r.env.Stdout.Write(body)
			io.WriteString(r.env.Stdout, "\n")
		}
		method := ae.Method
		msg := ae.Code
		if ae.Description != "" {
			msg += ": " + ae.Description
		}
		for i, v := range ae.Validation { // REST 3.0: each field the portal refused
			msg += []string{" (", "; "}[min(i, 1)] + v.Field + ": " + v.Message
			if i == len(ae.Validation)-1 {
				msg += ")"
			}
		}
		if method != "" {
			msg = method + ": " + msg
		}
		// what the client added after the portal's error (why it stopped retrying)
		if rest, ok := strings.CutPrefix(err.Error(), ae.Error()); ok {
			msg += rest
		}
		r.errLine(msg)
		return ExitError
	case errors.As(err, &oe):
		r.errLine(oe.Error())
		return ExitOutput
	case errors.As(err, &ve):
		r.errLine(ve.Error())
		return ExitUsage
	case errors.As(err, &ue):
		r.errLine(ue.Error())
		return ExitUsage
	}
	r.errLine(err.Error())
	return ExitError
}

// errLine prints one "b24: ..." line on stderr, with any credential masked and control characters
// (a portal's text may hold them) escaped.
func (r *runner) errLine(msg string) {
	msg = strings.TrimPrefix(msg, "b24: ")
	msg = escapeControls(strings.Join(strings.Fields(r.scrub(msg)), " "), "")
	fmt.Fprintf(r.env.Stderr, "b24: %s\n", msg)
}

// scrub masks the token and the webhook secret. b24 already does it for its own errors; this also
// covers messages built here.
func (r *runner) scrub(s string) string {
	for _, secret := range r.secrets() {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

func (r *runner) secrets() []string {
	var out []string
	if t := r.token(); t != "" {
		out = append(out, t, url.QueryEscape(t))
	}
	// A webhook is .../rest/<user>/<secret>: the segment after the user id is the secret.
	segs := strings.Split(strings.Trim(r.portalURL(), "/ "), "/")
	for i := 0; i+2 < len(segs); i++ {
		if segs[i] == "rest" && segs[i+2] != "" {
			out = append(out, segs[i+2])
		}
	}
	out = append(out, r.extraSecrets...)
	return append(out, r.profileSecrets()...)
}

// addSecret masks s in everything the run prints from now on (an application token).
func (r *runner) addSecret(s string) {
	if s != "" {
		r.extraSecrets = append(r.extraSecrets, s)
	}
}

// portalURL and token are --url/--token (B24_URL/B24_TOKEN), else those of the profile in use.
func (r *runner) portalURL() string {
	if r.g.url != "" {
		return r.g.url
	}
	return r.profileURL()
}

func (r *runner) token() string {
	if r.g.token != "" {
		return r.g.token
	}
	if t := r.env.getenv("B24_TOKEN"); t != "" {
		return t
	}
	return r.profileToken()
}

// limited adds --timeout to opts as the limit of the whole call, retries and waits included (with
// --all, of each request of the export); each HTTP exchange has it too (see client).
func (r *runner) limited(opts []b24.CallOption) []b24.CallOption {
	if d, err := r.callTimeout(); err == nil && d > 0 {
		return append(slices.Clip(opts), b24.WithCallTimeout(d))
	}
	return opts
}

// callTimeout reads --timeout: a Go duration (30s, 2m) or a number of seconds.
func (r *runner) callTimeout() (time.Duration, error) {
	t := strings.TrimSpace(r.g.timeout)
	if t == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(t); err == nil && n > 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(t)
	if err != nil || d <= 0 {
		return 0, &clikit.ValueError{Flag: "timeout", Msg: fmt.Sprintf("expected %s, got %q", aDuration, t)}
	}
	return d, nil
}

// parser makes the option parser; file URLs are fetched under the same time limit as the call.
func (r *runner) parser() (*clikit.Parser, error) {
	d, err := r.callTimeout()
	if err != nil {
		return nil, err
	}
	if _, err := r.printer(); err != nil {
		return nil, err // --jq and --output are checked before any warning or call
	}
	if d == 0 {
		d = clikit.DefaultFetchTimeout
	}
	return &clikit.Parser{Ctx: r.ctx, HTTPClient: &http.Client{Timeout: d}}, nil
}

// call sends one request and prints the answer.
func (r *runner) call(method string, params any, opts ...b24.CallOption) error {
	_, err := r.callResponse(method, params, opts...)
	return err
}

// client is the client of --url/--token, or of an in-process sandbox portal; done closes the sandbox.
func (r *runner) client() (client *b24.Client, done func(), err error) {
	d, err := r.callTimeout()
	if err != nil {
		return nil, nil, err
	}
	var opts []b24.Option
	if d > 0 {
		opts = append(opts, b24.WithTimeout(d))
	}
	if r.g.verbose {
		opts = append(opts, b24.WithLogger(slog.New(slog.NewTextHandler(r.env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	popts, err := r.useProfile()
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, popts...)
	opts = append(opts, r.env.ClientOptions...)
	base, token, done := r.portalURL(), r.token(), func() {}
	if r.g.sandbox {
		srv := b24test.New()
		base, token, done = srv.WebhookURL(), "", srv.Close
	} else if strings.TrimSpace(base) == "" {
		return nil, nil, usagef("no portal: pass --url with an incoming webhook URL (or a portal address and --token), set B24_URL, log in with 'b24 auth login', or use --sandbox")
	}
	client, err = b24.New(base, token, opts...)
	if err != nil {
		done()
		source := "--url"
		if r.prof.p != nil {
			source = fmt.Sprintf("profile %q", r.prof.name)
		}
		return nil, nil, &usageError{source + ": " + strings.TrimPrefix(err.Error(), "b24: ")}
	}
	return client, done, nil
}

// callResponse is call that also returns the answer it printed.
func (r *runner) callResponse(method string, params any, opts ...b24.CallOption) (*b24.RawResponse, error) {
	p, err := r.printer()
	if err != nil {
		return nil, err
	}
	client, done, err := r.client()
	if err != nil {
		return nil, err
	}
	defer done()
	resp, err := client.Do(r.ctx, method, params, r.limited(opts)...)
	if err != nil {
		return nil, err
	}
	if err := r.printAnswer(p, method, resp.Body, true, selectedFields(params)); err != nil {
		// the method ran: a filter or a format that does not fit its answer must not lose it (a
		// write's new ID), so the answer follows as it came, and the error says what did not fit
		out := indent(resp.Body)
		if len(out) == 0 {
			out = resp.Body
		}
		r.env.Stdout.Write(out)
		io.WriteString(r.env.Stdout, "\n")
		return resp, err
	}
	return resp, nil
}

// kindOpts marks a call of a read method (b24.Read): one that may have run is then repeated. Any
// other call, batch and unknown methods included, is a write: never repeated. A REST 3.0 method is
// sent to /rest/api/ (b24.API3).
func kindOpts(m *clikit.Method) []b24.CallOption {
	var opts []b24.CallOption
	if m != nil && m.Kind == "read" {
		opts = append(opts, b24.Read())
	}
	if m != nil && m.API3 {
		opts = append(opts, b24.API3())
	}
	return opts
}

// lookupKind is kindOpts of a method named on the command line (b24 call, an OPI function), after
// the warning a deprecated method gets however it is called.
func (r *runner) lookupKind(method string) []b24.CallOption {
	if s, ok := r.env.Catalog.findStub(method); ok {
		m, _ := r.env.Catalog.method(s)
		r.warnDeprecated(m)
		return kindOpts(m)
	}
	return nil
}

// warnDeprecated says on stderr that m is deprecated, and what replaces it; it is called when the
// call goes out, so that a usage error stays one line.
func (r *runner) warnDeprecated(m *clikit.Method) {
	if m != nil && m.Deprecated {
		fmt.Fprintf(r.env.Stderr, "b24: warning: %s\n", deprecation(m))
	}
}

// indent re-indents JSON with two spaces, keeping key order; nil if body is not JSON.
func indent(body []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(body), "", "  "); err != nil {
		return nil
	}
	return buf.Bytes()
}

// aDuration is what --timeout and the duration flags take.
const aDuration = "a duration like 30s or 2m"

// expected names what a flag of pflag's type takes, in the words of the method options.
func expected(typ string) string {
	switch typ {
	case "int", "int64":
		return clikit.Describe("integer")
	case "duration":
		return aDuration
	case "bool":
		return clikit.Describe("boolean")
	}
	return "a " + typ
}
