package command

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/b24"
)

// A hint is one line under a Bitrix24 error that says what to do about it. The code and the portal's
// description stay on the line above: the hint adds, it never replaces.

// hintCtx is what a hint may name.
type hintCtx struct {
	method    string // the REST method called; "" when not known
	scope     string // the permission it needs, as far as b24 can tell
	namespace string
	oauth     bool     // called with an OAuth token rather than a webhook
	known     bool     // the catalog describes the method
	similar   []string // known methods close to an unknown one
}

// the method, or words for it when the error does not name it.
func (h hintCtx) the() string {
	if h.method == "" {
		return "this method"
	}
	return h.method
}

// helpOf points at the method's parameters.
func (h hintCtx) helpOf() string {
	if h.known {
		return "b24 " + h.method + " --help lists its parameters"
	}
	return "the method's documentation lists its parameters"
}

func scopeHint(h hintCtx) string {
	who, fix := "webhook", "add it in the webhook's settings on the portal, then run the command again"
	if h.oauth {
		who, fix = "app", "add it to the app's permissions and reinstall or re-authorize the app for a token that has it"
	}
	if h.scope == "" {
		return fmt.Sprintf("the %s lacks the permission (scope) this call needs: %s", who, fix)
	}
	return fmt.Sprintf("the %s lacks the %q scope that %s needs: %s", who, h.scope, h.method, fix)
}

func accessHint(hintCtx) string {
	return "the portal refused access: make sure the user behind the webhook or token has rights to this data " +
		"(an administrator can grant them) and that the portal's plan includes REST"
}

func notFoundHint(hintCtx) string {
	return "no record matches: check the ID, or find the record with the list method and --filter"
}

func argumentHint(h hintCtx) string {
	return "a parameter is missing or has a wrong value (the description names it): " + h.helpOf()
}

func serverHint(hintCtx) string {
	return "the portal failed on its side: try again later; if the call was a write, check whether it took effect before repeating it"
}

func clientHint(hintCtx) string {
	return "the OAuth client ID or secret is wrong, or the app is not installed on this portal: check both in the app's settings"
}

func notInstalledHint(hintCtx) string {
	return "the app is not installed or not active on this portal: install it again, then authorize it for new tokens"
}

func methodNotFoundHint(h hintCtx) string {
	switch {
	case h.method == "":
		return "the portal has no such method: check its spelling (b24 --help lists the namespaces)"
	case h.known:
		return fmt.Sprintf("the portal does not offer %s: its module may be missing or turned off (an on-premise portal lags the cloud), or the %s scope is not granted",
			h.method, quoteOr(h.scope, "method's"))
	case len(h.similar) > 0:
		return fmt.Sprintf("the portal has no method %s: check its spelling; did you mean %s?", h.method, strings.Join(h.similar, ", "))
	case h.namespace != "":
		return fmt.Sprintf("the portal has no method %s: check its spelling; b24 help %s lists the methods b24 knows there", h.method, h.namespace)
	}
	return fmt.Sprintf("the portal has no method %s: check its spelling; b24 --help lists the namespaces b24 knows", h.method)
}

func quoteOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return fmt.Sprintf("%q", s)
}

// hints maps error codes, upper-cased (the portal mixes cases), to their advice: the system errors
// every method can give, the OAuth server's, the generic method-level ones and REST 3.0's.
var hints = map[string]func(hintCtx) string{
	"INSUFFICIENT_SCOPE": scopeHint,
	"INVALID_SCOPE":      scopeHint,
	"BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION": scopeHint,
	"EXPIRED_TOKEN": func(hintCtx) string {
		return "the access token has expired: renew it with the refresh token (b24 bitrix24 RefreshToken), " +
			"or use a profile from b24 auth login, which renews it by itself"
	},
	"INVALID_TOKEN": func(hintCtx) string {
		return "the portal does not accept this access token: check --token (or B24_TOKEN) and that it was issued for this portal, or get a new one"
	},
	"NO_AUTH_FOUND": func(hintCtx) string {
		return "the portal found no credentials it knows: pass the whole webhook URL (https://<portal>/rest/<user>/<secret>/) as --url, " +
			"or the portal's address with --token"
	},
	"INVALID_CREDENTIALS": func(hintCtx) string {
		return "the webhook's user ID or secret is wrong, or the webhook is gone: copy its URL again from the portal's developer resources"
	},
	"INVALID_REQUEST": func(hintCtx) string {
		return "the portal refused the form of the request: use an https:// address (plain HTTP is refused); " +
			"for OAuth, check the client ID, secret and authorization code"
	},
	"ACCESS_DENIED": accessHint,
	"BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION": accessHint,
	"ERROR_METHOD_NOT_FOUND":                         methodNotFoundHint,
	"WRONG_AUTH_TYPE": func(h hintCtx) string {
		return h.the() + " does not take this kind of authorization (usually it needs an installed app's OAuth token, not a webhook): " +
			"call it with --token of an app installed on the portal"
	},
	"QUERY_LIMIT_EXCEEDED": func(hintCtx) string {
		return "the portal limits how often it is called, and b24 has already waited and retried: run fewer commands at once, " +
			"wait a little, or group calls with b24 batch"
	},
	"OPERATION_TIME_LIMIT": func(h hintCtx) string {
		return h.the() + " has used up the time the portal lets it run for this webhook or app: wait up to 10 minutes " +
			"before calling it again, and ask for less each time (--select, a narrower --filter)"
	},
	"OVERLOAD_LIMIT": func(hintCtx) string {
		return "Bitrix24 has blocked REST on this portal by hand: retrying will not help; contact Bitrix24 support"
	},
	"PAYMENT_REQUIRED": func(hintCtx) string {
		return "the app's subscription or trial has ended: renew it in the Bitrix24 Market, then call again"
	},
	"ERROR_BATCH_LENGTH_EXCEEDED": func(hintCtx) string {
		return fmt.Sprintf("a batch runs at most %d commands: split them over several b24 batch calls", b24.MaxBatch)
	},
	"ERROR_BATCH_METHOD_NOT_ALLOWED": func(hintCtx) string {
		return "this method cannot run inside a batch (nor can batch itself, upload or download): call it on its own"
	},
	"INTERNAL_SERVER_ERROR":   serverHint,
	"ERROR_UNEXPECTED_ANSWER": serverHint,
	"ERROR_MANIFEST_IS_NOT_AVAILABLE": func(hintCtx) string {
		return "the portal offers no configuration manifest of that code to this app: check the manifest code you passed"
	},
	"PORTAL_DELETED": func(hintCtx) string {
		return "the portal was deleted or its public part is closed: check the address in --url"
	},
	"ERROR_CORE": func(h hintCtx) string {
		return "the module behind " + h.the() + " rejected the call; the description says why, most often a parameter's value " +
			"or the user's rights: " + h.helpOf()
	},
	"USER_ACCESS_ERROR": func(hintCtx) string {
		return "an administrator allowed this app for some users only: ask them to give this user access to the app"
	},
	"INVALID_CLIENT": clientHint,
	"WRONG_CLIENT":   clientHint,
	"INVALID_GRANT": func(hintCtx) string {
		return "the authorization code or refresh token has expired or was used already: authorize the app again for a new pair"
	},
	"NOT_INSTALLED":         notInstalledHint,
	"ERROR_OAUTH":           notInstalledHint,
	"APPLICATION_NOT_FOUND": notInstalledHint,
	"AUTHORIZATION_ERROR": func(hintCtx) string {
		return "the portal could not authorize the user behind the webhook or token (inactive or dismissed?): use an active user's credentials"
	},
	"CONNECTION_ERROR": func(hintCtx) string {
		return "the on-premise portal cannot reach the Bitrix24 OAuth server: allow it outgoing connections to oauth.bitrix.info"
	},
	"METHOD_CONFIRM_WAITING": func(h hintCtx) string {
		return "an administrator has to confirm that the app may call " + h.the() + ": ask them to approve it on the portal, then call again"
	},
	"METHOD_CONFIRM_DENIED": func(h hintCtx) string {
		return "an administrator refused the app " + h.the() + ": only they can allow it"
	},
	"ALLOWED_ONLY_INTRANET_USER": func(hintCtx) string {
		return "only employees may do this, not extranet users: use a webhook or token of an employee"
	},
	"WRONG_ENCODING": func(hintCtx) string {
		return "the portal could not write its answer as JSON (some field holds broken text): leave that field out with --select"
	},
	"ERROR_ARGUMENT":                    argumentHint,
	"INVALID_ARG_VALUE":                 argumentHint,
	"ERROR_REQUIRED_PARAMETERS_MISSING": argumentHint,
	"BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION": argumentHint,
	"BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION":           argumentHint,
	"NOT_FOUND":       notFoundHint,
	"ERROR_NOT_FOUND": notFoundHint,
	"BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION": notFoundHint,
	"ERROR_EVENT_NOT_FOUND": func(hintCtx) string {
		return "the portal has no event of that name: b24 call events lists the events it has"
	},
	"ERROR_HANDLER_ALREADY_EXIST": func(hintCtx) string {
		return "this handler is bound to the event already: nothing to do, or unbind it first (event.unbind)"
	},
	"ERROR_WRONG_HANDLER_URL": func(hintCtx) string {
		return "the portal refused the handler's address: give a public http(s) URL the portal can reach"
	},
}

// scopeOf is the scope method needs: its own, as the spec gives it; for a method the spec lacks, the
// one most methods of its namespace need, else its first part; "" when the name has no namespace.
func (r *runner) scopeOf(method string) string {
	ns, _, ok := strings.Cut(method, ".")
	if !ok {
		return ""
	}
	if s, found := r.env.Catalog.findStub(method); found && s.Scope != "" {
		return s.Scope
	}
	count := map[string]int{}
	for _, s := range r.env.Catalog.stubs() {
		if s.Scope != "" && strings.EqualFold(s.Namespace, ns) {
			count[s.Scope]++
		}
	}
	best := strings.ToLower(ns)
	for _, sc := range slices.Sorted(maps.Keys(count)) {
		if count[sc] > count[best] {
			best = sc
		}
	}
	return best
}

// hint is the advice for an error code from a call of method, or "" for a code without one.
func (r *runner) hint(code, method string) string {
	f, ok := hints[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return ""
	}
	h := hintCtx{method: method, scope: r.scopeOf(method), oauth: r.token() != ""}
	if method != "" {
		if s, found := r.env.Catalog.findStub(method); found {
			h.known, h.namespace = true, s.Namespace
		} else {
			h.similar = r.env.Catalog.suggest(method)
			if ns, _, ok := strings.Cut(method, "."); ok {
				h.namespace, _ = r.env.Catalog.isNamespace(ns)
			}
		}
	}
	return f(h)
}

// printHints prints the hints of err, if any, each as a "b24: hint: …" line.
func (r *runner) printHints(err error) {
	var bh *batchHintError
	if errors.As(err, &bh) {
		for _, h := range bh.hints {
			r.errLine("hint: " + h)
		}
		return
	}
	var ae *b24.APIError
	if errors.As(err, &ae) {
		if h := r.hint(ae.Code, ae.Method); h != "" {
			r.errLine("hint: " + h)
		}
	}
}

// batchHintError is a batch whose commands failed, with the hints of their errors.
type batchHintError struct {
	err   error
	hints []string
}

func (e *batchHintError) Error() string { return e.err.Error() }
func (e *batchHintError) Unwrap() error { return e.err }

// batchHints adds to err the hints of the failed commands of a batch (args are the commands as
// given: key='method?query'). Commands that failed alike share one hint, which names their keys.
func (r *runner) batchHints(err error, res *b24.BatchResult, args []string) error {
	methods := map[string]string{}
	for _, a := range args {
		key, line, _ := strings.Cut(a, "=")
		methods[key], _, _ = strings.Cut(line, "?")
	}
	var order []string
	keysOf := map[string][]string{}
	for _, a := range args {
		key, _, _ := strings.Cut(a, "=")
		e, failed := res.Errors[key]
		if !failed {
			continue
		}
		h := r.hint(e.Code, methods[key])
		if h == "" {
			continue
		}
		if !slices.Contains(order, h) {
			order = append(order, h)
		}
		keysOf[h] = append(keysOf[h], key)
	}
	if len(order) == 0 {
		return err
	}
	out := &batchHintError{err: err}
	for _, h := range order {
		out.hints = append(out.hints, strings.Join(keysOf[h], ", ")+": "+h)
	}
	return out
}
