package command

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
)

// builtinOPI are OPI's functions that are neither one REST call nor a structure built from options,
// so the spec cannot describe them: the OAuth link and exchanges, and a filter built from an answer.
// They are listed, found, completed and documented with the others; builtinRuns does their work.
var builtinOPI = []clikit.OPIFunc{
	{EN: "GetAppAuthLink", RU: "ПолучитьСсылкуАвторизацииПриложения", Options: []clikit.Option{
		{Flag: "domain", Type: "string", Required: true, Usage: "the portal: a host or an address (https:// when it has none)"},
		{Flag: "clientid", Type: "string", Required: true, Usage: "the application's client ID"},
	}},
	{EN: "GetToken", RU: "ПолучитьТокен", Options: []clikit.Option{
		{Flag: "clientid", Type: "string", Required: true, Usage: "the application's client ID"},
		{Flag: "clientsecret", Type: "string", Required: true, Usage: "the application's client secret"},
		{Flag: "code", Type: "string", Required: true, Usage: "the authorization code the portal sent to the application"},
	}},
	{EN: "RefreshToken", RU: "ОбновитьТокен", Options: []clikit.Option{
		{Flag: "clientid", Type: "string", Required: true, Usage: "the application's client ID"},
		{Flag: "clientsecret", Type: "string", Required: true, Usage: "the application's client secret"},
		{Flag: "refresh", Type: "string", Required: true, Usage: "the refresh token"},
	}},
	{EN: "GetFolderFilterStructure", RU: "ПолучитьСтруктуруФильтраКаталога", Method: "disk.folder.getFields", Options: []clikit.Option{
		{Flag: "empty", Type: "boolean", Usage: "true: the keys with empty values; false: each key's type as its value (default false)"},
	}},
}

// builtinAbout says what each builtin calls, for the list of functions, and what it does, for its --help.
var builtinAbout = map[string]struct{ calls, help string }{
	"GetAppAuthLink": {"(builds the authorization link, sends nothing)",
		"Prints the page where a user of the portal grants the application access:\n" +
			"https://<domain>/oauth/authorize/?client_id=<clientid>. Sends nothing."},
	"GetToken": {"OAuth server: oauth/token (authorization_code)",
		"Exchanges an authorization code for tokens at the OAuth server (B24_OAUTH_SERVER, default " + b24.DefaultOAuthServer + ")\n" +
			"and prints its answer. The output holds secrets (access_token, refresh_token): 'b24 auth login --with-token' stores it."},
	"RefreshToken": {"OAuth server: oauth/token (refresh_token)",
		"Exchanges a refresh token for a new pair at the OAuth server (B24_OAUTH_SERVER, default " + b24.DefaultOAuthServer + ")\n" +
			"and prints its answer; the old refresh token stops working. The output holds secrets (access_token, refresh_token)."},
	"GetFolderFilterStructure": {"disk.folder.getFields (its answer made a filter)",
		"Calls disk.folder.getFields and prints the fields a folder's children can be filtered by,\n" +
			"each with its type as its value (or empty with --empty): the filter of disk.folder.getChildren."},
}

// builtinRuns does the work of each builtin with the options given.
var builtinRuns = map[string]func(r *runner, given map[string]string) error{
	"GetAppAuthLink": func(r *runner, given map[string]string) error {
		link, err := b24.OAuthApp{ClientID: given["clientid"]}.AuthorizeURL(given["domain"])
		if err != nil {
			return &clikit.ValueError{Flag: "domain", Msg: err.Error()}
		}
		return r.printText(link)
	},
	"GetToken": func(r *runner, given map[string]string) error {
		_, answer, err := r.oauthApp(given).Exchange(r.ctx, given["code"])
		return r.printSecretAnswer(answer, err, given["clientsecret"], given["code"])
	},
	"RefreshToken": func(r *runner, given map[string]string) error {
		_, answer, err := r.oauthApp(given).Renew(r.ctx, given["refresh"])
		return r.printSecretAnswer(answer, err, given["clientsecret"], given["refresh"])
	},
	"GetFolderFilterStructure": func(r *runner, given map[string]string) error {
		empty := false
		if text, ok := given["empty"]; ok {
			var err error
			if empty, err = clikit.ParseBool(text); err != nil {
				return &clikit.ValueError{Flag: "empty", Msg: err.Error()}
			}
		}
		client, done, err := r.client()
		if err != nil {
			return err
		}
		defer done()
		resp, err := b24.Call[b24.Map[folderField]](r.ctx, client, "disk.folder.getFields", nil, b24.Read())
		if err != nil {
			return err
		}
		filter := map[string]string{}
		for key, f := range resp.Result {
			if f.UseInFilter {
				filter[key] = string(f.Type)
				if empty {
					filter[key] = ""
				}
			}
		}
		out, err := json.MarshalIndent(filter, "", "  ") // strings always marshal
		if err != nil {
			return err
		}
		return r.printHelperOutput(out)
	},
}

// folderField is one field of disk.folder.getFields' answer, as much of it as the filter needs.
type folderField struct {
	Type        b24.String `json:"TYPE"`
	UseInFilter b24.Bool   `json:"USE_IN_FILTER"`
}

// runBuiltin checks the required options of a builtin and runs it.
func (r *runner) runBuiltin(f *clikit.OPIFunc, given map[string]string) error {
	for _, o := range f.Options {
		if _, ok := given[o.Flag]; o.Required && !ok {
			return &clikit.ValueError{Flag: o.Flag, Msg: "required option missing; expected " + clikit.Describe(o.Type)}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(given)) {
		if given[k] == "" && k != "empty" {
			return &clikit.ValueError{Flag: k, Msg: "expected a value, got an empty one"}
		}
	}
	return builtinRuns[f.EN](r, given)
}

// oauthApp is the application the OAuth options name, on the OAuth server of B24_OAUTH_SERVER.
func (r *runner) oauthApp(given map[string]string) b24.OAuthApp {
	r.prof.addSecrets(given["clientsecret"])
	return b24.OAuthApp{ClientID: given["clientid"], ClientSecret: given["clientsecret"], Server: r.env.getenv("B24_OAUTH_SERVER")}
}

// printSecretAnswer prints the OAuth server's answer: the tokens in it are what the user asked for.
// An error names no secret the options carried.
func (r *runner) printSecretAnswer(answer json.RawMessage, err error, secrets ...string) error {
	r.prof.addSecrets(secrets...)
	if err != nil {
		return err
	}
	return r.printHelperOutput(answer)
}

// printHelperOutput prints a structure a function built (not an envelope) through --jq and --output.
func (r *runner) printHelperOutput(out []byte) error {
	pr, err := r.printer()
	if err != nil {
		return err
	}
	return r.printAnswer(pr, "", out, false, nil)
}

// printText prints a text result: as it is by default, as a JSON string to --jq and the other formats.
func (r *runner) printText(s string) error {
	pr, err := r.printer()
	if err != nil {
		return err
	}
	if pr.jq == nil && pr.format == formatJSON {
		_, err := fmt.Fprintln(r.env.Stdout, s)
		return err
	}
	out, _ := json.Marshal(s) // a string always marshals
	return r.printAnswer(pr, "", out, false, nil)
}
