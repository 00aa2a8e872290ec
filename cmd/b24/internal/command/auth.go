package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/cmd/b24/internal/profile"
)

// profileState is the profile a run calls through, chosen once by client(), and every secret the
// run has met outside --url/--token: scrub() masks them all.
type profileState struct {
	name string
	p    *profile.Profile // nil: no profile in use

	mu    sync.Mutex // Save of a renewal runs on another goroutine
	extra []string   // values of auth login, renewed tokens
}

func (s *profileState) addSecrets(v ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extra = append(s.extra, v...)
}

// profileSecrets are the secrets of the profile in use and those met by auth commands.
func (r *runner) profileSecrets() []string {
	r.prof.mu.Lock()
	out := append([]string(nil), r.prof.extra...)
	r.prof.mu.Unlock()
	if p := r.prof.p; p != nil {
		out = append(out, p.Secrets()...)
	}
	var forms []string
	for _, s := range out {
		if s != "" {
			forms = append(forms, s, url.QueryEscape(s))
		}
	}
	return forms
}

// profileURL and profileToken are the credentials of the profile in use, "" without one.
func (r *runner) profileURL() string {
	switch p := r.prof.p; {
	case p == nil:
		return ""
	case p.Kind == profile.Webhook:
		return p.URL
	default:
		return p.Portal
	}
}

func (r *runner) profileToken() string {
	if p := r.prof.p; p != nil && p.Kind == profile.OAuth {
		return p.AccessToken
	}
	return ""
}

// store is the profiles file: $B24_CONFIG_DIR/profiles.json, else <user config dir>/b24/profiles.json.
func (r *runner) store() (profile.Store, error) {
	if d := r.env.getenv("B24_CONFIG_DIR"); d != "" {
		return profile.Store{Dir: d}, nil
	}
	if r.env.ConfigDir != nil {
		if d, err := r.env.ConfigDir(); err == nil && d != "" {
			return profile.Store{Dir: filepath.Join(d, "b24")}, nil
		}
	}
	return profile.Store{}, errors.New("no config directory to keep the profiles in: set B24_CONFIG_DIR")
}

// explicitCredentials: --url, --token, B24_URL or B24_TOKEN is set, and wins over any profile.
func (r *runner) explicitCredentials() bool {
	return r.g.url != "" || r.g.token != "" || r.env.getenv("B24_TOKEN") != ""
}

// useProfile picks the profile of this run (--profile, B24_PROFILE, the current one) unless the
// credentials are given otherwise, and returns the client options it needs: an OAuth profile
// renews its token and saves the new pair.
func (r *runner) useProfile() ([]b24.Option, error) {
	if r.g.sandbox {
		return nil, nil
	}
	if r.explicitCredentials() {
		if r.g.profile != "" {
			// Calling another portal than the one named would be a surprise worth a line.
			r.errLine(fmt.Sprintf("warning: --url/--token (or B24_URL/B24_TOKEN) win over profile %q", r.g.profile))
		}
		return nil, nil
	}
	st, err := r.store()
	if err != nil {
		if r.g.profile == "" {
			return nil, nil // no profiles: client() says how to name a portal
		}
		return nil, err
	}
	f, err := st.Load()
	if err != nil {
		return nil, err
	}
	name := r.g.profile
	if name == "" {
		name = f.Default()
	}
	if name == "" {
		if len(f.Profiles) > 1 {
			return nil, usagef("no current profile among %d: pick one with 'b24 auth use NAME' or --profile NAME (b24 auth list shows them)", len(f.Profiles))
		}
		return nil, nil
	}
	p := f.Profiles[name]
	if p == nil {
		return nil, usagef("no profile %q in %s (b24 auth list shows the profiles)", name, st.Path())
	}
	r.prof.name, r.prof.p = name, p
	switch p.Kind {
	case profile.Webhook:
		return nil, nil
	case profile.OAuth:
		return []b24.Option{b24.WithRefresh(b24.Refresh{
			ClientID: p.ClientID, ClientSecret: p.ClientSecret, RefreshToken: p.RefreshToken,
			Server: p.OAuthServer, Save: r.saveToken(st, name, p.RefreshToken),
		})}, nil
	}
	return nil, fmt.Errorf("profile %q in %s: unknown kind %q; log in again", name, st.Path(), p.Kind)
}

// saveToken writes a renewed pair into the profile. The old refresh token no longer works, so a
// pair that cannot be saved is said on stderr: the next run will need a new login. A profile
// logged in again meanwhile (its refresh token is not the one renewed) is left as it is.
func (r *runner) saveToken(st profile.Store, name, renewed string) func(b24.Token) {
	return func(t b24.Token) {
		r.prof.addSecrets(t.AccessToken, t.RefreshToken)
		err := st.Update(func(f *profile.File) error {
			p := f.Profiles[name]
			switch {
			case p == nil || p.Kind != profile.OAuth:
				return fmt.Errorf("profile %q is gone from %s", name, st.Path())
			case p.RefreshToken == renewed:
				p.AccessToken, p.RefreshToken, p.Expires = t.AccessToken, t.RefreshToken, t.Expires
			}
			return nil
		})
		renewed = t.RefreshToken // calls of Save never overlap
		if err != nil {
			r.errLine(fmt.Sprintf("warning: the renewed token of profile %q is not saved (%v); log in again with 'b24 auth login %s'", name, err, name))
		}
	}
}

// authLong is the help of `b24 auth`; %s is the profiles file.
const authLong = `Profiles keep portals under a name, so that commands need no --url.

  b24 auth login NAME --url <webhook URL>          an incoming webhook
  b24 auth login NAME --portal <URL> --client-id ID --client-secret S --access-token A --refresh-token R
                                                   an OAuth application (--with-token reads them from stdin)
  b24 auth list                                    the profiles: name, kind, portal; nothing secret
  b24 auth use NAME                                make NAME the current profile
  b24 auth logout NAME                             forget NAME

A command calls the portal of --profile NAME, else of $B24_PROFILE, else of the current profile (the
first one logged in, or the one of 'b24 auth use'). --url/--token and B24_URL/B24_TOKEN win over any
profile. An OAuth profile renews its access token when the portal says it expired, and stores the
new pair.

The profiles are kept in %s
(B24_CONFIG_DIR=<dir> keeps them in <dir>/profiles.json instead). The file holds secrets: b24
writes it with mode 0600 and refuses to read it when others can.`

const loginLong = `Stores a portal under NAME: an incoming webhook (--url), or an OAuth application (--portal,
--client-id, --client-secret and the tokens it got: those of 'b24 bitrix24 GetToken', or a pasted
pair). Nothing is sent to the portal. Logging in again under a name replaces that profile. The
first profile becomes the current one; 'b24 auth use NAME' (or --use) switches.

--with-token reads the values from standard input, so that no secret lands in the shell history:
  - a webhook URL alone;
  - key=value lines: url, portal, client_id, client_secret, access_token, refresh_token, oauth_server;
  - or a JSON object with those keys, such as the OAuth server's answer that GetToken prints
    (client_endpoint gives the portal, server_endpoint the OAuth server).
Flags given on the command line win over standard input.

Examples:
  b24 auth login work --url https://work.bitrix24.ru/rest/1/abc123
  echo "$WEBHOOK" | b24 auth login work --with-token
  b24 auth login app --with-token < app.txt
      (app.txt: lines portal=https://work.bitrix24.ru, client_id=..., client_secret=...,
      access_token=..., refresh_token=...)
  b24 bitrix24 GetToken <its options> | b24 auth login app --portal work.bitrix24.ru \
    --client-id local.123 --client-secret ... --with-token`

// authCommand is `b24 auth` and its subcommands.
func (r *runner) authCommand() *cobra.Command {
	path := "<config dir>/b24/profiles.json"
	if st, err := r.store(); err == nil {
		path = st.Path()
	}
	auth := &cobra.Command{
		Use:   "auth",
		Short: "log in to portals under a name and switch between them",
		Long:  fmt.Sprintf(authLong, path),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q of b24 auth: login, list, use or logout (see 'b24 auth --help')", args[0])
			}
			return cmd.Help()
		},
	}
	auth.AddCommand(r.loginCommand(), r.listCommand(), r.useCommand(), r.logoutCommand())
	return auth
}

// oneName is the Args of the subcommands that take a profile name.
func oneName(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usagef("want one profile name: b24 %s", strings.TrimPrefix(cmd.CommandPath()+" NAME", "b24 "))
	}
	if err := profile.CheckName(args[0]); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// loginInput is what a profile is made of, from flags and standard input.
type loginInput struct {
	url, portal, clientID, clientSecret, accessToken, refreshToken, oauthServer, expires string
}

func (in *loginInput) fields() map[string]*string {
	return map[string]*string{
		"url": &in.url, "portal": &in.portal, "client_id": &in.clientID, "client_secret": &in.clientSecret,
		"access_token": &in.accessToken, "refresh_token": &in.refreshToken, "oauth_server": &in.oauthServer,
		"expires": &in.expires,
	}
}

// loginAliases are other names of the keys, as the OAuth server answers them.
var loginAliases = map[string]string{"webhook": "url", "client_endpoint": "portal", "server_endpoint": "oauth_server"}

// field is the input field of a key (url, client-secret, client_endpoint, ...), nil if unknown.
func (in *loginInput) field(key string) *string {
	key = strings.ReplaceAll(strings.ToLower(strings.TrimLeft(strings.TrimSpace(key), "-")), "-", "_")
	if a, ok := loginAliases[key]; ok {
		key = a
	}
	return in.fields()[key]
}

// set fills a field still empty: flags win over standard input.
func set(f *string, value string) {
	if *f == "" {
		*f = strings.TrimSpace(value)
	}
}

// readStdin fills the input from standard input: a webhook URL, key=value lines or a JSON object.
func (in *loginInput) readStdin(stdin io.Reader) error {
	if stdin == nil {
		return usagef("--with-token: no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(stdin, 1<<16))
	if err != nil {
		return fmt.Errorf("--with-token: reading standard input: %v", err)
	}
	text := strings.TrimSpace(string(data))
	switch {
	case text == "":
		return usagef("--with-token: standard input is empty")
	case strings.HasPrefix(text, "{"):
		var obj map[string]any
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			return usagef("--with-token: standard input is not a valid JSON object")
		}
		if res, ok := obj["result"].(map[string]any); ok && obj["access_token"] == nil {
			obj = res // an answer in the envelope of a REST call
		}
		for k, v := range obj {
			f := in.field(k)
			if f == nil {
				continue // the answer's other keys: scope, domain, member_id, ...
			}
			switch v := v.(type) {
			case string:
				set(f, v)
			case float64:
				set(f, strconv.FormatInt(int64(v), 10))
			}
		}
	case !strings.Contains(text, "\n") && !strings.Contains(text, "="):
		set(&in.url, text)
	default:
		for i, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return usagef("--with-token: standard input, line %d: expected key=value", i+1)
			}
			f := in.field(k)
			if f == nil {
				return usagef("--with-token: standard input, line %d: unknown key %q (known: url, portal, client_id, client_secret, access_token, refresh_token, oauth_server)", i+1, strings.TrimSpace(k))
			}
			set(f, v)
		}
	}
	return nil
}

// secrets are the values of the input that scrub() must mask from here on.
func (in *loginInput) secrets() []string {
	p := profile.Profile{Kind: profile.Webhook, URL: in.url, ClientSecret: in.clientSecret,
		AccessToken: in.accessToken, RefreshToken: in.refreshToken}
	return p.Secrets()
}

// build makes the profile and checks it the way the client will use it.
func (in *loginInput) build() (*profile.Profile, error) {
	oauth := in.portal != "" || in.clientID != "" || in.clientSecret != "" || in.accessToken != "" || in.refreshToken != ""
	switch {
	case in.url != "" && oauth:
		return nil, usagef("either --url (a webhook) or --portal and the OAuth values, not both")
	case in.url != "":
		if _, err := b24.NewWebhook(in.url); err != nil {
			return nil, usagef("--url: %s", strings.TrimPrefix(err.Error(), "b24: "))
		}
		return &profile.Profile{Kind: profile.Webhook, URL: in.url}, nil
	case !oauth:
		return nil, usagef("give --url <webhook URL>, or --portal with --client-id, --client-secret, --access-token and --refresh-token (or --with-token; see 'b24 auth login --help')")
	}
	var missing []string
	for _, f := range []struct{ flag, v string }{{"--portal", in.portal}, {"--client-id", in.clientID},
		{"--client-secret", in.clientSecret}, {"--access-token", in.accessToken}, {"--refresh-token", in.refreshToken}} {
		if f.v == "" {
			missing = append(missing, f.flag)
		}
	}
	if len(missing) > 0 {
		return nil, usagef("an OAuth profile needs %s too (see 'b24 auth login --help')", strings.Join(missing, ", "))
	}
	var expires int64
	if in.expires != "" {
		n, err := strconv.ParseInt(in.expires, 10, 64)
		if err != nil {
			return nil, usagef("expires: expected a Unix time, got %q", in.expires)
		}
		expires = n
	}
	portal := strings.TrimSuffix(strings.TrimRight(in.portal, "/"), "/rest")
	_, err := b24.New(portal, in.accessToken, b24.WithRefresh(b24.Refresh{
		ClientID: in.clientID, ClientSecret: in.clientSecret, RefreshToken: in.refreshToken, Server: in.oauthServer}))
	if err != nil {
		return nil, usagef("%s", strings.TrimPrefix(err.Error(), "b24: "))
	}
	return &profile.Profile{Kind: profile.OAuth, Portal: portal, ClientID: in.clientID, ClientSecret: in.clientSecret,
		AccessToken: in.accessToken, RefreshToken: in.refreshToken, Expires: expires, OAuthServer: in.oauthServer}, nil
}

func (r *runner) loginCommand() *cobra.Command {
	var in loginInput
	var withToken, use bool
	cmd := &cobra.Command{
		Use:   "login NAME",
		Short: "store a portal (webhook or OAuth app) under NAME",
		Long:  loginLong,
		Args:  oneName,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if withToken {
				if err := in.readStdin(r.env.Stdin); err != nil {
					return err
				}
			}
			r.prof.addSecrets(in.secrets()...)
			p, err := in.build()
			if err != nil {
				return err
			}
			st, err := r.store()
			if err != nil {
				return &runError{err}
			}
			var current, replaced bool
			err = st.Update(func(f *profile.File) error {
				replaced = f.Profiles[name] != nil
				f.Profiles[name] = p
				if use || f.Current == "" || f.Profiles[f.Current] == nil {
					f.Current = name
				}
				current = f.Current == name
				return nil
			})
			if err != nil {
				return &runError{err}
			}
			verb := "Logged in"
			if replaced {
				verb = "Replaced"
			}
			fmt.Fprintf(r.env.Stdout, "%s: profile %q (%s, %s) in %s\n", verb, name, p.Kind, p.Host(), st.Path())
			if current {
				fmt.Fprintf(r.env.Stdout, "It is the current profile.\n")
			} else {
				fmt.Fprintf(r.env.Stdout, "To use it: --profile %s, or make it the current profile with 'b24 auth use %s'.\n", name, name)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&in.url, "url", "", "incoming webhook URL: https://<portal>/rest/<user>/<secret>")
	fs.StringVar(&in.portal, "portal", "", "OAuth: the portal address, https://<portal>")
	fs.StringVar(&in.clientID, "client-id", "", "OAuth: the application's client ID")
	fs.StringVar(&in.clientSecret, "client-secret", "", "OAuth: the application's client secret")
	fs.StringVar(&in.accessToken, "access-token", "", "OAuth: the access token")
	fs.StringVar(&in.refreshToken, "refresh-token", "", "OAuth: the refresh token")
	fs.StringVar(&in.oauthServer, "oauth-server", "", "OAuth: the server that renews tokens (default "+b24.DefaultOAuthServer+")")
	fs.BoolVar(&withToken, "with-token", false, "read the values from standard input (see above)")
	fs.BoolVar(&use, "use", false, "make it the current profile")
	return cmd
}

func (r *runner) listCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the profiles: name, kind, portal (nothing secret)",
		Long: "Lists the profiles: name, kind (webhook or oauth) and portal host; * marks the one commands use now\n" +
			"(--profile, B24_PROFILE, or the current one). No secret is printed.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := r.store()
			if err != nil {
				return &runError{err}
			}
			f, err := st.Load()
			if err != nil {
				return &runError{err}
			}
			if len(f.Profiles) == 0 {
				r.errLine(fmt.Sprintf("no profiles in %s; add one with 'b24 auth login NAME --url <webhook URL>'", st.Path()))
				return nil
			}
			inUse := r.g.profile
			if inUse == "" {
				inUse = f.Default()
			}
			tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CURRENT\tNAME\tKIND\tPORTAL")
			for _, name := range f.Names() {
				mark := ""
				if name == inUse {
					mark = "*"
				}
				p := f.Profiles[name]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", mark, name, p.Kind, p.Host())
			}
			tw.Flush()
			if r.explicitCredentials() {
				r.errLine("note: --url/--token (or B24_URL/B24_TOKEN) are set and win over these profiles")
			}
			return nil
		},
	}
}

func (r *runner) useCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "use NAME",
		Short:             "make NAME the current profile",
		Args:              oneName,
		ValidArgsFunction: r.completeProfileArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			st, err := r.store()
			if err != nil {
				return &runError{err}
			}
			var p *profile.Profile
			err = st.Update(func(f *profile.File) error {
				if p = f.Profiles[name]; p == nil {
					return usagef("no profile %q (b24 auth list shows the profiles)", name)
				}
				f.Current = name
				return nil
			})
			if err != nil {
				return wrap(err)
			}
			fmt.Fprintf(r.env.Stdout, "Current profile: %q (%s, %s)\n", name, p.Kind, p.Host())
			if env := r.env.getenv("B24_PROFILE"); env != "" && env != name {
				r.errLine(fmt.Sprintf("note: B24_PROFILE=%s is set and wins in this shell", env))
			}
			return nil
		},
	}
}

func (r *runner) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout NAME",
		Short: "forget the profile NAME",
		Long: "Removes the profile NAME and its secrets from the profiles file. The credentials themselves stay\n" +
			"valid: delete the webhook, or the application, in the portal's settings to revoke them.",
		Args:              oneName,
		ValidArgsFunction: r.completeProfileArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			st, err := r.store()
			if err != nil {
				return &runError{err}
			}
			var current string
			var left int
			err = st.Update(func(f *profile.File) error {
				if f.Profiles[name] == nil {
					return usagef("no profile %q (b24 auth list shows the profiles)", name)
				}
				delete(f.Profiles, name)
				if f.Current == name {
					f.Current = ""
				}
				current, left = f.Default(), len(f.Profiles)
				return nil
			})
			if err != nil {
				return wrap(err)
			}
			fmt.Fprintf(r.env.Stdout, "Logged out: profile %q removed from %s\n", name, st.Path())
			switch {
			case current != "":
				fmt.Fprintf(r.env.Stdout, "Current profile: %q\n", current)
			case left > 0:
				fmt.Fprintf(r.env.Stdout, "No current profile: pick one with 'b24 auth use NAME'.\n")
			default:
				fmt.Fprintf(r.env.Stdout, "No profiles left.\n")
			}
			return nil
		},
	}
}
