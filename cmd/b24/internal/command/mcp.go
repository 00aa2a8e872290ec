package command

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
	"github.com/b24gen/b24gen/internal/jsonobj"
	"github.com/b24gen/b24gen/internal/signedlink"
	"github.com/b24gen/b24gen/internal/toolcatalog"
)

const mcpLong = `Serves the Bitrix24 REST methods of the spec to an AI assistant over the Model Context Protocol
(MCP), on stdin/stdout, with the portal and credentials of every other command (--url, --token,
--profile, B24_URL, B24_TOKEN, B24_PROFILE; --sandbox for an in-process fake portal).

Safe by default: only read methods (kind read) can be found, described and called. --allow-writes
also allows the methods that change data; a write is never sent twice, even when its answer is
lost (the answer then says it may have run). --namespaces crm,im and --methods 'crm.deal.*,user.get'
narrow the set further (both given: a method must pass both).

Tools (--tools):
  search (default)  three tools, however many methods are allowed:
                      search_methods   finds methods by words in English or Russian in their names and
                                       summaries ("deal list", "сделки"); answers names, kinds, summaries
                      describe_method  one method's parameters (JSON Schema), kind, result and docs link
                      call_method      calls a method: {"name": "crm.deal.get", "params": {"id": 1}}
  all               every allowed method is a tool of its own, named by its wire name (crm.deal.get),
                    with its parameters' JSON Schema and read-only or destructive hints; search_methods
                    and describe_method come too. A model handles a few dozen tools well, not 1,600:
                    use it with --namespaces or --methods.

A call's result is the portal's JSON answer as it came, the whole envelope ({"result": ...,
"total": ..., "next": ..., "time": {...}}), as text. A Bitrix24 error is an error result (isError)
holding {"error": CODE, "error_description": ..., "hint": ...}; any other failure is an error result
with one line. The webhook secret and the tokens never appear in a result, an error or on stderr.

--http ADDR serves the Streamable HTTP transport on ADDR (127.0.0.1:8765) instead of stdio. It prints
a bearer token on stderr once, at start, and refuses (401) any request without
"Authorization: Bearer <token>".

Example of an MCP client's configuration (Claude Desktop, Cursor, ...):
  {"mcpServers": {"bitrix24": {"command": "b24", "args": ["mcp", "--profile", "work"]}}}`

// mcpOptions are the flags of b24 mcp.
type mcpOptions struct {
	allowWrites bool
	namespaces  []string
	methods     []string
	tools       string
	http        string
	allowRemote bool
}

// The values of --tools.
const (
	mcpToolsSearch = "search"
	mcpToolsAll    = "all"
)

func (r *runner) mcpCommand() *cobra.Command {
	var o mcpOptions
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "serve the methods to an AI assistant (Model Context Protocol)",
		Long:  mcpLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wrap(r.serveMCP(o))
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.BoolVar(&o.allowWrites, "allow-writes", false, "also allow the methods that change data (kind write)")
	fl.StringSliceVar(&o.namespaces, "namespaces", nil, "allow only the methods of these namespaces: crm,im")
	fl.StringSliceVar(&o.methods, "methods", nil, "allow only these methods, by name or glob: crm.deal.get,'crm.deal.*'")
	fl.StringVar(&o.tools, "tools", mcpToolsSearch, "search: search_methods, describe_method and call_method; all: also one tool per allowed method")
	fl.StringVar(&o.http, "http", "", "serve Streamable HTTP on this address ([host]:port; no host means loopback) instead of stdio, behind a bearer token")
	fl.BoolVar(&o.allowRemote, "allow-remote", false, "let --http listen beyond loopback: plain HTTP, so put a TLS proxy or an SSH tunnel in front")
	return cmd
}

// mcpServer is the state of one b24 mcp run.
type mcpServer struct {
	r        *runner
	client   *b24.Client
	tools    []*toolEntry // the whole catalog, sorted by name
	filter   *mcpFilter
	mode     string
	index    sync.Once // the search's index, made at the first search
	searcher *searcher
}

// search finds allowed methods by words.
func (s *mcpServer) search(query, namespace string, limit int) ([]*toolEntry, int) {
	s.index.Do(func() { s.searcher = index(s.tools) })
	return searchTools(s.searcher, s.filter.allows, query, namespace, limit)
}

// serveMCP checks the flags, loads the catalog and serves it until the client goes or the run is
// interrupted.
func (r *runner) serveMCP(o mcpOptions) error {
	if r.g.jq != "" || r.g.output != formatJSON {
		return usagef("mcp: --jq and --output do not apply: tool results are the portal's JSON")
	}
	if o.tools != mcpToolsSearch && o.tools != mcpToolsAll {
		return &clikit.ValueError{Flag: "tools", Msg: fmt.Sprintf("expected search or all, got %q", o.tools)}
	}
	if r.env.Catalog.MCP == nil {
		return errors.New("mcp: this build has no tool catalog")
	}
	tools, err := loadTools(r.env.Catalog.MCP())
	if err != nil {
		return err
	}
	filter, err := newMCPFilter(tools, o.allowWrites, o.namespaces, o.methods)
	if err != nil {
		return err
	}
	var reads, writes, refused int
	for _, e := range tools {
		switch {
		case !filter.allows(e):
			refused++
		case e.Kind == "read":
			reads++
		default:
			writes++
		}
	}
	if reads+writes == 0 {
		return usagef("mcp: the flags allow no method: %d are writes (--allow-writes allows them) or outside --namespaces/--methods", refused)
	}
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	if o.http == "" && r.env.Stdin == nil {
		return errors.New("mcp: no standard input to serve on")
	}
	s := &mcpServer{r: r, client: client, tools: tools, filter: filter, mode: o.tools}
	server := s.server()
	what := fmt.Sprintf("%d read methods", reads)
	if o.allowWrites {
		what = fmt.Sprintf("%d read and %d write methods", reads, writes)
	}
	r.errLine(fmt.Sprintf("mcp: serving %s of %d (tools: %s)", what, len(tools), o.tools))
	if o.http != "" {
		return s.serveHTTP(server, o.http, o.allowRemote)
	}
	err = server.Run(r.ctx, &stdioTransport{in: r.env.Stdin, out: r.env.Stdout})
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) || errors.Is(err, mcp.ErrConnectionClosed) {
		return nil
	}
	return fmt.Errorf("mcp: %s", r.scrub(err.Error()))
}

func boolp(v bool) *bool { return &v }

// objectSchema is a tool's input schema written by hand.
func objectSchema(props string, required ...string) json.RawMessage {
	req, _ := json.Marshal(required)
	if len(required) == 0 {
		req = []byte("[]")
	}
	return json.RawMessage(`{"type":"object","properties":{` + props + `},"required":` + string(req) + `}`)
}

// server builds the MCP server and its tools.
func (s *mcpServer) server() *mcp.Server {
	server := mcp.NewServer(&mcp.Implementation{Name: "b24", Title: "Bitrix24 REST (b24)", Version: b24.Version}, &mcp.ServerOptions{
		Instructions: "Calls Bitrix24 REST methods on the user's portal. Find a method with search_methods, " +
			"read its parameters with describe_method, then call it. Results are the portal's JSON.",
		Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}},
	})
	writes := ""
	if !s.filter.writes {
		writes = " Only read methods are allowed: the user can start b24 mcp with --allow-writes for the others."
	}
	server.AddTool(&mcp.Tool{
		Name: "search_methods",
		Description: "Finds Bitrix24 REST methods by words in English or Russian in their names and summaries " +
			"(\"deal list\", \"сделки\", \"im.message\"). Answers up to limit methods: name, kind (read or write), " +
			"summary; describe_method gives a method's parameters." + writes,
		InputSchema: objectSchema(`"query":{"type":"string","description":"words to look for"},`+
			`"namespace":{"type":"string","description":"only this namespace (crm, im, tasks, ...)"},`+
			`"limit":{"type":"integer","minimum":1,"maximum":100,"default":20}`, "query"),
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: boolp(false)},
	}, s.searchMethods)
	server.AddTool(&mcp.Tool{
		Name: "describe_method",
		Description: "Describes one Bitrix24 REST method: its parameters as JSON Schema (input_schema), kind " +
			"(read or write), result, whether it pages, and its documentation link.",
		InputSchema: objectSchema(`"name":{"type":"string","description":"the method's name, e.g. crm.deal.get"}`, "name"),
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: boolp(false)},
	}, s.describeMethod)
	if s.mode == mcpToolsSearch {
		ann := &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: boolp(true)} // reads only
		if s.filter.writes {
			ann = &mcp.ToolAnnotations{DestructiveHint: boolp(true), OpenWorldHint: boolp(true)}
		}
		server.AddTool(&mcp.Tool{
			Name: "call_method",
			Description: "Calls a Bitrix24 REST method on the user's portal and answers the portal's JSON, the whole " +
				"envelope: {\"result\": ..., \"total\": ..., \"next\": ...}. params are the method's parameters as " +
				"describe_method's input_schema says. A list answers up to 50 rows; pass start=<next> for more. A " +
				"method that changes data is not repeated when its answer is lost." + writes,
			InputSchema: objectSchema(`"name":{"type":"string","description":"the method's name, e.g. crm.deal.list"},`+
				`"params":{"type":"object","description":"the method's parameters"}`, "name"),
			Annotations: ann,
		}, s.callMethod)
		return server
	}
	for _, e := range s.tools {
		if !s.filter.allows(e) {
			continue
		}
		server.AddTool(&mcp.Tool{Name: e.Name, Description: e.description(), InputSchema: e.Input, Annotations: e.annotations()},
			func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				return s.call(ctx, e, req.Params.Arguments), nil
			})
	}
	return server
}

// annotations are the tool's hints, from the spec: a read is read-only and idempotent; a write is
// destructive only when it deletes or overwrites (an add is not), and never idempotent: a call of
// it again is another call.
func (e *toolEntry) annotations() *mcp.ToolAnnotations {
	if e.Kind == "read" {
		return &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: boolp(true)}
	}
	return &mcp.ToolAnnotations{DestructiveHint: boolp(e.Destructive), OpenWorldHint: boolp(true)}
}

// args decodes a tool's arguments.
func args(req *mcp.CallToolRequest, v any) error {
	a := bytes.TrimSpace(req.Params.Arguments)
	if len(a) == 0 || bytes.Equal(a, []byte("null")) {
		a = []byte("{}")
	}
	if err := json.Unmarshal(a, v); err != nil {
		return fmt.Errorf("arguments: %v", err)
	}
	return nil
}

// toolText is a successful result: JSON text, any secret masked.
func (s *mcpServer) text(v any) *mcp.CallToolResult {
	b, err := jsonobj.Marshal(v)
	if err != nil {
		return s.fail(err.Error())
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s.r.scrub(string(b))}}}
}

// fail is an error result of one message, any secret masked.
func (s *mcpServer) fail(msg string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: s.r.scrub(msg)}}}
}

type foundMethod struct {
	Name       string           `json:"name"` // the wire name
	Tool       string           `json:"tool"` // its tool, with --tools all
	Kind       string           `json:"kind"`
	Summary    toolcatalog.Text `json:"summary"`
	Deprecated bool             `json:"deprecated,omitempty"`
}

func (s *mcpServer) searchMethods(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in struct {
		Query     string `json:"query"`
		Namespace string `json:"namespace"`
		Limit     int    `json:"limit"`
	}
	if err := args(req, &in); err != nil {
		return s.fail("search_methods: " + err.Error()), nil
	}
	if len(stems(in.Query)) == 0 {
		return s.fail("search_methods: give words to look for in query"), nil
	}
	if in.Limit <= 0 {
		in.Limit = 20
	}
	in.Limit = min(in.Limit, 100)
	found, total := s.search(in.Query, in.Namespace, in.Limit)
	out := struct {
		Methods []foundMethod `json:"methods"`
		Found   int           `json:"found"`
		Note    string        `json:"note,omitempty"`
	}{Methods: []foundMethod{}, Found: total}
	for _, e := range found {
		out.Methods = append(out.Methods, foundMethod{e.method(), e.Name, e.Kind, e.Summary, e.Deprecated})
	}
	switch {
	case total == 0 && !s.filter.writes:
		out.Note = "no allowed method matches; only read methods are allowed (b24 mcp --allow-writes allows the others)"
	case total == 0:
		out.Note = "no allowed method matches; try other words, in English or Russian"
	case total > len(found):
		out.Note = fmt.Sprintf("%d more match: raise limit or add words", total-len(found))
	}
	return s.text(out), nil
}

// lookup finds a method the flags allow, or says why there is none.
func (s *mcpServer) lookup(tool, name string) (*toolEntry, *mcp.CallToolResult) {
	if strings.TrimSpace(name) == "" {
		return nil, s.fail(tool + ": give the method's name, e.g. crm.deal.get")
	}
	e := findTool(s.tools, name)
	if e == nil {
		msg := fmt.Sprintf("%s: %q is not a method of the spec", tool, name)
		if found, _ := s.search(name, "", 5); len(found) > 0 {
			names := make([]string, len(found))
			for i, f := range found {
				names[i] = f.Name
			}
			msg += "; close ones: " + strings.Join(names, ", ")
		}
		return nil, s.fail(msg + " (search_methods finds methods)")
	}
	if why := s.filter.refused(e); why != "" {
		return nil, s.fail(tool + ": " + why)
	}
	return e, nil
}

func (s *mcpServer) describeMethod(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := args(req, &in); err != nil {
		return s.fail("describe_method: " + err.Error()), nil
	}
	e, fail := s.lookup("describe_method", in.Name)
	if fail != nil {
		return fail, nil
	}
	call := fmt.Sprintf("call_method with {\"name\": %q, \"params\": {...}}", e.method())
	if s.mode == mcpToolsAll {
		call = "the tool " + e.Name
	}
	out := struct {
		Name        string              `json:"name"`
		Tool        string              `json:"tool"`
		Kind        string              `json:"kind"`
		Namespace   string              `json:"namespace"`
		Scope       string              `json:"scope,omitempty"`
		Summary     toolcatalog.Text    `json:"summary"`
		Deprecated  bool                `json:"deprecated,omitempty"`
		Successor   string              `json:"successor,omitempty"`
		InputSchema json.RawMessage     `json:"input_schema"`
		Result      *toolcatalog.Result `json:"result,omitempty"`
		List        string              `json:"list,omitempty"`
		Docs        string              `json:"docs,omitempty"`
		Call        string              `json:"call"`
	}{
		Name: e.method(), Tool: e.Name, Kind: e.Kind, Namespace: e.Namespace, Scope: e.Scope, Summary: e.Summary,
		Deprecated: e.Deprecated, Successor: e.Successor, InputSchema: e.Input, Result: e.Result,
		Docs: e.Docs, Call: call,
	}
	if e.List != nil {
		out.List = e.listNote()
	}
	return s.text(out), nil
}

func (s *mcpServer) callMethod(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in struct {
		Name   string          `json:"name"`
		Params json.RawMessage `json:"params"`
	}
	if err := args(req, &in); err != nil {
		return s.fail("call_method: " + err.Error()), nil
	}
	e, fail := s.lookup("call_method", in.Name)
	if fail != nil {
		return fail, nil
	}
	return s.call(ctx, e, in.Params), nil
}

// call calls one method with the client of the run: a read is marked so (b24.Read) and may be sent
// again when its answer is lost, a write never is. The result is the portal's answer as it came.
func (s *mcpServer) call(ctx context.Context, e *toolEntry, args json.RawMessage) *mcp.CallToolResult {
	if why := s.filter.refused(e); why != "" {
		return s.fail(why)
	}
	params, err := e.params(args) // first: it names a missing parameter in plain words
	if err == nil {
		err = e.validate(args)
	}
	if err != nil {
		return s.fail(err.Error())
	}
	resp, err := s.client.Do(ctx, e.Wire, params, s.r.limited(kindOpts(&clikit.Method{Kind: e.Kind, API3: e.API3}))...)
	var ae *b24.APIError
	switch {
	case errors.Is(err, b24.ErrMaybeRan): // its words, not only the portal's code, tell what to do
		return s.fail(err.Error())
	case errors.As(err, &ae):
		out := struct {
			Error       string `json:"error"`
			Description string `json:"error_description,omitempty"`
			Hint        string `json:"hint,omitempty"`
		}{ae.Code, ae.Description, s.r.hint(ae.Code, e.Wire)}
		res := s.text(out)
		res.IsError = true
		return res
	case err != nil:
		return s.fail(err.Error())
	}
	body := signedlink.Withhold(bytes.TrimSpace(resp.Body), withheld)
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s.r.scrub(string(body))}}}
}

// withheld stands for a signed link in what the assistant reads: the link works as a credential,
// and the assistant's provider is not a host the user named.
const withheld = "(a signed link, withheld: it works as a credential; b24 download fetches the file)"

// serveHTTP serves the Streamable HTTP transport on addr until the run is interrupted. Every request
// must carry the bearer token printed at start. It is plain HTTP: an address without a host listens
// on loopback, and any other address beyond loopback needs remote (and gets a warning).
func (s *mcpServer) serveHTTP(server *mcp.Server, addr string, remote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("mcp: --http %s: want [host]:port, such as :8080 or 127.0.0.1:8080", addr)
	}
	if host == "" {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("mcp: --http %s: %v", addr, err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		if !remote {
			ln.Close()
			return usagef("mcp: --http %s listens beyond this machine over plain HTTP, the bearer token and every answer "+
				"readable on the way; leave the host out to listen on loopback, or pass --allow-remote behind a TLS proxy or an SSH tunnel", addr)
		}
		s.r.errLine(fmt.Sprintf("mcp: warning: plain HTTP on %s: the bearer token and every answer cross the network unencrypted; "+
			"put a TLS proxy or an SSH tunnel in front", ln.Addr()))
	}
	token := rand.Text()
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)
	srv := &http.Server{Handler: bearer(token, http.NewCrossOriginProtection().Handler(h)), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(s.r.env.Stderr, "b24: mcp: Streamable HTTP at http://%s/mcp; send the header: Authorization: Bearer %s\n", ln.Addr(), token)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("mcp: %v", err)
	case <-s.r.ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(shut) != nil {
			srv.Close() // a client's open event stream
		}
		return nil
	}
}

// bearer refuses any request without the token: 401, and nothing reaches h.
func bearer(token string, h http.Handler) http.Handler {
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		scheme, got, _ := strings.Cut(req.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="b24 mcp"`)
			http.Error(w, "missing or wrong bearer token: b24 mcp printed the token on its standard error at start", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, req)
	})
}
