package command

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

const rootUsage = `b24 calls Bitrix24 REST methods.

Usage:
  b24 <method> [flags]                 call a method of the spec; b24 <method> --help lists its flags
  b24 <namespace>                      list the methods of a namespace
  b24 bitrix24 <function> [options]    an OpenIntegrations (oint) function by its RU or EN name;
                                       b24 bitrix24 lists them
  b24 call <method> key=value ...      call any method, also one outside the spec:
                                       a value that is JSON is sent as JSON (id=5, flag=true,
                                       fields={'TITLE':'x'}), anything else as a string;
                                       a dotted key nests (fields.TITLE=x sends {"fields":{"TITLE":"x"}});
                                       --json '{...}' (or a .json file) gives the whole body, key=value
                                       pairs are applied over it

Global flags:
      --url string       incoming webhook URL (https://portal/rest/1/secret), or the portal
                         address with --token (env B24_URL)
      --token string     OAuth access token; the request goes to <portal>/rest/<method>
                         with auth in the body (env B24_TOKEN)
      --sandbox          call an in-process fake portal instead of a real one
      --timeout string   time limit of the call, e.g. 30s or 2m (default 70s)

Output: the whole response JSON on stdout, exit 0. A Bitrix24 error: its JSON on stdout, one
line on stderr, exit 1. A usage error: exit 2. Any other error: exit 1.
`

// rootHelp lists namespaces and methods from the stubs only: no command is built for them.
func (r *runner) rootHelp() {
	w := r.env.Stdout
	io.WriteString(w, rootUsage)
	stubs := r.env.Catalog.stubs()
	if len(stubs) == 0 {
		return
	}
	var nss []string
	count := map[string]int{}
	for _, s := range stubs {
		if count[s.Namespace] == 0 {
			nss = append(nss, s.Namespace)
		}
		count[s.Namespace]++
	}
	fmt.Fprintf(w, "\nNamespaces (%d methods):\n", len(stubs))
	for _, ns := range nss {
		fmt.Fprintf(w, "  %-20s %d methods\n", ns, count[ns])
	}
	io.WriteString(w, "\nMethods:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range stubs {
		fmt.Fprintf(tw, "  %s\t%s\n", s.Name, oneLine(s.Summary))
	}
	tw.Flush()
}

func (r *runner) namespaceHelp(ns string) {
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Methods of %s (b24 <method> --help for the flags of one):\n", ns)
	for _, s := range r.env.Catalog.stubs() {
		if s.Namespace == ns {
			fmt.Fprintf(tw, "  %s\t%s\n", s.Name, oneLine(s.Summary))
		}
	}
	tw.Flush()
}

// opiList is `b24 bitrix24`: every OpenIntegrations function, as `oint bitrix24` lists them.
func (r *runner) opiList() {
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	io.WriteString(r.env.Stdout, "OpenIntegrations functions: b24 bitrix24 <EN or RU name> [options]; <name> --help shows the options.\n\n")
	fmt.Fprintf(tw, "  EN\tRU\tcalls\n")
	for _, f := range r.env.Catalog.opi() {
		calls := f.Method
		if calls == "" {
			calls = "(helper: prints a structure, sends nothing)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.EN, f.RU, calls)
	}
	tw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
