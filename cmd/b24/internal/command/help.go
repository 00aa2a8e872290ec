package command

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/b24gen/b24gen/clikit"
)

const rootUsage = `b24 calls Bitrix24 REST methods.

Usage:
  b24 <method> [flags]                 call a method of the spec; b24 <method> --help lists its flags
  b24 <namespace>                      list the methods of a namespace (also: b24 help <namespace>)
  b24 bitrix24 <function> [options]    an OpenIntegrations (oint) function by its RU or EN name;
                                       b24 bitrix24 lists them
  b24 call <method> key=value ...      call any method, also one outside the spec:
                                       a value that is JSON is sent as JSON (id=5, flag=true,
                                       fields={'TITLE':'x'}), anything else as a string;
                                       a dotted key nests (fields.TITLE=x sends {"fields":{"TITLE":"x"}});
                                       --json '{...}' (or a .json file) gives the whole body, key=value
                                       pairs are applied over it
  b24 batch [--halt] key='method?query' ...
                                       up to 50 commands in one request, run in order; a later
                                       one may use $result[key][FIELD] of an earlier one
  b24 upload <file> --folder ID       upload a file to Drive, streamed, no base64 (any size up to
                                       the portal's limit)
  b24 download <link>|--disk-file ID   save a file by its DOWNLOAD_URL or urlMachine (never printed)
  b24 auth login|list|use|logout       portals stored under a name: b24 auth --help
  b24 completion bash|zsh|fish|powershell
                                       print the shell completion script
  b24 mcp [--allow-writes] [--namespaces crm,im] [--tools search|all]
                                       serve the methods to an AI assistant over the Model Context
                                       Protocol (stdio, or --http); reads only unless --allow-writes

Global flags:
      --url string       incoming webhook URL (https://portal/rest/1/secret), or the portal
                         address with --token (env B24_URL)
      --token string     OAuth access token; the request goes to <portal>/rest/<method>
                         with auth in the body (env B24_TOKEN)
      --profile string   the stored portal to call (b24 auth list); --url/--token and
                         B24_URL/B24_TOKEN win over it (env B24_PROFILE)
      --sandbox          call an in-process fake portal instead of a real one
      --timeout string   time limit of the call, e.g. 30s or 2m (default 70s)
      --jq expression    filter the answer with jq (gojq): --jq .result.ID; with --all, each row
  -o, --output format    json (default), jsonl, table or csv: a list or the --all rows as columns
      --version          print the version and how many methods and OPI functions b24 knows

Output: the whole response JSON on stdout (or as --jq and -o say), exit 0. A Bitrix24 error:
its JSON on stdout (unless --jq or -o), one line on stderr with the code and, for a known code,
a hint line saying what to do, exit 1. A usage error: exit 2. Any other error: exit 1.
`

// builtin are the words run() takes before looking at methods: a namespace spelled the same (call)
// is listed with `b24 help <namespace>` only.
var builtin = map[string]bool{"call": true, "batch": true, "bitrix24": true, "help": true, "auth": true, "completion": true, "mcp": true, "listen": true, "upload": true, "download": true}

// rootColumns is how many namespaces share a line of the root help: 47 namespaces then fit in
// 16 lines of 80 columns.
const rootColumns = 3

// rootHelp lists the namespaces and their method counts from the stubs only: no command is built,
// and no method is listed one by one (there are 1,500 of them; b24 <namespace> lists those).
func (r *runner) rootHelp() {
	w := r.env.Stdout
	io.WriteString(w, rootUsage)
	nss, count := namespaces(r.env.Catalog.stubs())
	if len(nss) == 0 {
		return
	}
	total := 0
	width := 0
	for _, ns := range nss {
		total += count[ns]
		if len(ns) > width {
			width = len(ns)
		}
	}
	fmt.Fprintf(w, "\nNamespaces (%d methods in %d namespaces; b24 <namespace> lists the methods of one):\n", total, len(nss))
	rows := (len(nss) + rootColumns - 1) / rootColumns
	var note bool
	for row := 0; row < rows; row++ {
		var line strings.Builder
		for col := 0; col < rootColumns; col++ {
			i := col*rows + row // column-major, like ls: read down, then across
			if i >= len(nss) {
				break
			}
			name := nss[i]
			if builtin[name] {
				name += "*"
				note = true
			}
			fmt.Fprintf(&line, "  %-*s %4d", width+1, name, count[nss[i]])
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
	if note {
		io.WriteString(w, "  * also a command of b24: list its methods with b24 help <namespace>\n")
	}
}

// namespaces returns the namespaces in stub order (the stubs are sorted by name) and their sizes.
func namespaces(stubs []clikit.Stub) ([]string, map[string]int) {
	var nss []string
	count := map[string]int{}
	for _, s := range stubs {
		if count[s.Namespace] == 0 {
			nss = append(nss, s.Namespace)
		}
		count[s.Namespace]++
	}
	return nss, count
}

// namespaceHelp lists the methods of one namespace with their summaries, a dash for the ones without.
// It builds that namespace's descriptors (and no other) to mark the deprecated methods.
func (r *runner) namespaceHelp(ns string) {
	deprecated := map[string]string{}
	if r.env.Catalog.Methods != nil {
		for _, m := range r.env.Catalog.Methods(ns) {
			if m.Deprecated {
				note := "deprecated"
				if m.Successor != "" {
					note += ", use " + m.Successor
				}
				deprecated[m.Name] = "(" + note + ")"
			}
		}
	}
	var stubs []clikit.Stub
	for _, s := range r.env.Catalog.stubs() {
		if s.Namespace == ns {
			stubs = append(stubs, s)
		}
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Methods of %s (%d; b24 <method> --help shows the flags of one):\n", ns, len(stubs))
	for _, s := range stubs {
		sum := oneLine(s.Summary)
		if d := deprecated[s.Name]; d != "" {
			sum = strings.TrimSpace(d + " " + sum)
		}
		if sum == "" {
			sum = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", s.Name, sum)
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
		if about, ok := builtinAbout[f.EN]; ok {
			calls = about.calls
		} else if calls == "" {
			calls = "(helper: prints a structure, sends nothing)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.EN, f.RU, calls)
	}
	tw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
