package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

// The webhook secret and OAuth token of the fake portals: no MCP message and no line on stderr may
// carry them.
const (
	mcpSecret = "whsecret7f3a9c2e"
	mcpToken  = "oauthtoken5d8b1e44"
)

// wireLog keeps every byte that crossed the connection, both ways, and stderr.
type wireLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wireLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *wireLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// noSecret fails when a log holds a secret.
func noSecret(t *testing.T, what, log string) {
	t.Helper()
	for _, s := range []string{mcpSecret, mcpToken} {
		if strings.Contains(log, s) {
			t.Errorf("%s carries the secret %q:\n%s", what, s, log)
		}
	}
}

// mcpRun is b24 mcp running in-process on pipes, with the SDK's client connected to it.
type mcpRun struct {
	session *mcp.ClientSession
	wire    *wireLog // both directions
	stderr  *wireLog
	code    chan int
}

// startMCP runs `b24 <args>` (args hold mcp and its flags) with command.Run, its stdin and stdout
// piped to an MCP client.
func startMCP(t *testing.T, args ...string) *mcpRun {
	t.Helper()
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	run := &mcpRun{wire: &wireLog{}, stderr: &wireLog{}, code: make(chan int, 1)}
	go func() {
		run.code <- command.Run(context.Background(), args, command.Env{
			Stdin: toServer, Stdout: fromServer, Stderr: run.stderr, Catalog: catalog(),
			ClientOptions: []b24.Option{b24.WithRateLimit(0, 0), b24.WithRetry(b24.DefaultRetries, time.Millisecond)},
		})
		fromServer.Close()
	}()
	client := mcp.NewClient(&mcp.Implementation{Name: "b24-test", Version: "1"}, nil)
	transport := &mcp.IOTransport{
		Reader: io.NopCloser(io.TeeReader(toClient, run.wire)),
		Writer: teeCloser{io.MultiWriter(fromClient, run.wire), fromClient},
	}
	session, err := client.Connect(context.Background(), transport, nil)
	if err != nil {
		t.Fatalf("connect: %v\nstderr: %s", err, run.stderr)
	}
	run.session = session
	t.Cleanup(func() {
		session.Close()
		select {
		case code := <-run.code:
			if code != 0 {
				t.Errorf("b24 mcp exited %d: %s", code, run.stderr)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("b24 mcp did not end when its client went")
		}
		if !strings.Contains(run.wire.String(), `"jsonrpc":"2.0"`) {
			t.Errorf("no MCP message was logged: the secret checks below would prove nothing")
		}
		noSecret(t, "the MCP messages", run.wire.String())
		noSecret(t, "stderr", run.stderr.String())
	})
	return run
}

type teeCloser struct {
	io.Writer
	c io.Closer
}

func (t teeCloser) Close() error { return t.c.Close() }

// toolNames lists the tools, every page.
func toolNames(t *testing.T, s *mcp.ClientSession) (names []string, tools map[string]*mcp.Tool) {
	t.Helper()
	tools = map[string]*mcp.Tool{}
	for tool, err := range s.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tool.Name)
		tools[tool.Name] = tool
	}
	slices.Sort(names)
	return names, tools
}

// callTool calls a tool and returns its only text and whether it is an error result.
func callTool(t *testing.T, s *mcp.ClientSession, name string, args any) (string, bool) {
	t.Helper()
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(res.Content) != 1 {
		t.Fatalf("%s: %d contents", name, len(res.Content))
	}
	text, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("%s: content %T", name, res.Content[0])
	}
	return text.Text, res.IsError
}

type searchAnswer struct {
	Methods []struct {
		Name, Kind string
		Summary    struct{ EN, RU string }
	}
	Found int
	Note  string
}

func search(t *testing.T, s *mcp.ClientSession, query string) searchAnswer {
	t.Helper()
	text, isErr := callTool(t, s, "search_methods", map[string]any{"query": query, "limit": 100})
	var a searchAnswer
	if err := json.Unmarshal([]byte(text), &a); isErr || err != nil {
		t.Fatalf("search %q: %v: %s", query, err, text)
	}
	return a
}

func (a searchAnswer) has(name string) bool {
	return slices.ContainsFunc(a.Methods, func(m struct {
		Name, Kind string
		Summary    struct{ EN, RU string }
	}) bool {
		return m.Name == name
	})
}

// lastCall is the portal's last request.
func lastCall(t *testing.T, srv *b24test.Server) b24test.Call {
	t.Helper()
	calls := srv.Calls()
	if len(calls) == 0 {
		t.Fatal("the portal got no request")
	}
	return calls[len(calls)-1]
}

// TestMCP drives b24 mcp over stdio with the SDK's client against b24test, as an assistant would:
// the three tools of the default, searches in Russian and English that find only reads, a read
// described and called (the portal's JSON comes back as it was sent), a write refused before it
// reaches the portal, and no secret in any message.
func TestMCP(t *testing.T) {
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	run := startMCP(t, "mcp", "--url", srv.WebhookURL())
	s := run.session

	names, tools := toolNames(t, s)
	if want := []string{"call_method", "describe_method", "search_methods"}; !slices.Equal(names, want) {
		t.Fatalf("tools %v, want %v", names, want)
	}
	if a := tools["search_methods"].Annotations; a == nil || !a.ReadOnlyHint {
		t.Errorf("search_methods annotations %+v", a)
	}
	if a := tools["call_method"].Annotations; a == nil || !a.ReadOnlyHint {
		t.Errorf("call_method without --allow-writes is read-only: annotations %+v", a)
	}

	for _, q := range []string{"сделки", "сделку по ID", "deal", "Returns a deal"} {
		a := search(t, s, q)
		if !a.has("crm.deal.get") {
			t.Errorf("search %q does not find crm.deal.get: %+v", q, a.Methods)
		}
		for _, m := range a.Methods {
			if m.Kind != "read" {
				t.Errorf("search %q found %s, a %s, without --allow-writes", q, m.Name, m.Kind)
			}
		}
	}
	if a := search(t, s, "crm.deal.get"); len(a.Methods) == 0 || a.Methods[0].Name != "crm.deal.get" || a.Methods[0].Summary.RU == "" {
		t.Errorf("search by the exact name: %+v", a.Methods)
	}
	if a := search(t, s, "создать сделку crm.deal.add"); a.has("crm.deal.add") {
		t.Errorf("a write is found without --allow-writes")
	}

	text, isErr := callTool(t, s, "describe_method", map[string]any{"name": "crm.deal.get"})
	var d struct {
		Name, Kind, Docs string
		InputSchema      struct {
			Type       string
			Properties map[string]any
			Required   []string
		} `json:"input_schema"`
	}
	if err := json.Unmarshal([]byte(text), &d); isErr || err != nil {
		t.Fatalf("describe: %v: %s", err, text)
	}
	if d.Name != "crm.deal.get" || d.Kind != "read" || d.Docs == "" || d.InputSchema.Type != "object" ||
		d.InputSchema.Properties["id"] == nil || !slices.Equal(d.InputSchema.Required, []string{"id"}) {
		t.Errorf("describe crm.deal.get: %s", text)
	}

	text, isErr = callTool(t, s, "call_method", map[string]any{"name": "crm.deal.get", "params": map[string]any{"id": 7}})
	var env struct {
		Result map[string]any  `json:"result"`
		Time   json.RawMessage `json:"time"`
	}
	if err := json.Unmarshal([]byte(text), &env); isErr || err != nil || env.Result["ID"] == nil || env.Time == nil {
		t.Fatalf("call crm.deal.get: %v: %s", err, text)
	}
	if c := lastCall(t, srv); c.Method != "crm.deal.get" || c.Auth != "webhook" || fmt.Sprint(c.Params["id"]) != "7" {
		t.Errorf("the portal got %s %v (auth %s)", c.Method, c.Params, c.Auth)
	}

	before := len(srv.Calls())
	for _, try := range []struct{ tool, name string }{{"call_method", "crm.deal.add"}, {"describe_method", "crm.deal.add"}} {
		text, isErr = callTool(t, s, try.tool, map[string]any{"name": try.name, "params": map[string]any{"fields": map[string]any{"TITLE": "x"}}})
		if !isErr || !strings.Contains(text, "--allow-writes") {
			t.Errorf("%s %s without --allow-writes: error %v, %s", try.tool, try.name, isErr, text)
		}
	}
	text, isErr = callTool(t, s, "call_method", map[string]any{"name": "crm.deal.get"})
	if !isErr || !strings.Contains(text, "required parameter missing: id") {
		t.Errorf("call without a required parameter: error %v, %s", isErr, text)
	}
	text, isErr = callTool(t, s, "call_method", map[string]any{"name": "crm.deal.gett"})
	if !isErr || !strings.Contains(text, "crm.deal.get") {
		t.Errorf("an unknown method: error %v, %s", isErr, text)
	}
	if n := len(srv.Calls()); n != before {
		t.Errorf("refused calls reached the portal: %d requests", n-before)
	}
}

// TestMCPAllowWrites: with --allow-writes a write is found, described as destructive and called.
// TestMCPWithholdsSignedLinks: a signed download link works as a credential, so what the assistant
// reads has a note in its place; the rest of the answer comes as the portal sent it.
func TestMCPWithholdsSignedLinks(t *testing.T) {
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	id := srv.AddFile("plan.pdf", []byte("%PDF"))
	s := startMCP(t, "mcp", "--url", srv.WebhookURL()).session
	text, isErr := callTool(t, s, "call_method", map[string]any{"name": "disk.file.get", "params": map[string]any{"id": id}})
	var got struct {
		Result struct {
			ID                             int
			NAME, DOWNLOAD_URL, DETAIL_URL string
		}
	}
	if err := json.Unmarshal([]byte(text), &got); isErr || err != nil {
		t.Fatalf("disk.file.get: %v %s", err, text)
	}
	r := got.Result
	if r.ID != id || r.NAME != "plan.pdf" || !strings.HasPrefix(r.DETAIL_URL, srv.URL()) ||
		!strings.Contains(r.DOWNLOAD_URL, "withheld") || strings.Contains(text, "download.json") || strings.Contains(text, "token=") {
		t.Errorf("the assistant reads %s", text)
	}
}

func TestMCPAllowWrites(t *testing.T) {
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	s := startMCP(t, "--url", srv.WebhookURL(), "mcp", "--allow-writes").session
	_, tools := toolNames(t, s)
	if a := tools["call_method"].Annotations; a == nil || a.ReadOnlyHint || a.DestructiveHint == nil || !*a.DestructiveHint {
		t.Errorf("call_method with --allow-writes: annotations %+v", a)
	}
	if a := search(t, s, "создать сделку"); !a.has("crm.deal.add") {
		t.Errorf("search with --allow-writes does not find crm.deal.add: %+v", a.Methods)
	}
	text, isErr := callTool(t, s, "call_method", map[string]any{"name": "crm.deal.add", "params": map[string]any{"fields": map[string]any{"TITLE": "New deal"}}})
	var env struct {
		Result any `json:"result"`
	}
	if err := json.Unmarshal([]byte(text), &env); isErr || err != nil || env.Result == nil {
		t.Fatalf("crm.deal.add: %v: %s", err, text)
	}
	c := lastCall(t, srv)
	if fields, _ := c.Params["fields"].(map[string]any); c.Method != "crm.deal.add" || fields["TITLE"] != "New deal" {
		t.Errorf("the portal got %s %v", c.Method, c.Params)
	}
	if n := srv.Runs("crm.deal.add"); n != 1 {
		t.Errorf("crm.deal.add ran %d times", n)
	}
}

// TestMCPToolsAll: --tools all makes each allowed method a tool, with its schema and hints; the
// filters narrow the set, and with --allow-writes and no filter every method of the spec (1,600,
// over two pages of tools/list) is a tool the SDK accepts.
func TestMCPToolsAll(t *testing.T) {
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	var deals, reads []string
	for _, st := range catalog().Stubs() {
		if strings.HasPrefix(st.Name, "crm.deal.") {
			deals = append(deals, strings.ReplaceAll(st.Name, ".", "_"))
		}
	}
	s := startMCP(t, "mcp", "--url", srv.WebhookURL(), "--tools", "all", "--namespaces", "crm,im", "--methods", "crm.deal.*").session
	names, tools := toolNames(t, s)
	for _, n := range names {
		switch tool := tools[n]; {
		case n == "search_methods" || n == "describe_method":
		case !slices.Contains(deals, n):
			t.Errorf("tool %s is outside --methods crm.deal.*", n)
		case tool.Annotations == nil || !tool.Annotations.ReadOnlyHint:
			t.Errorf("tool %s is not read-only: %+v", n, tool.Annotations)
		default:
			reads = append(reads, n)
			if schema, _ := tool.InputSchema.(map[string]any); schema["type"] != "object" || tool.Description == "" {
				t.Errorf("tool %s: schema %v, description %q", n, tool.InputSchema, tool.Description)
			}
		}
	}
	if len(reads) < 5 || len(reads) >= len(deals) || slices.Contains(names, "call_method") {
		t.Errorf("%d read tools of %d crm.deal methods: %v", len(reads), len(deals), names)
	}
	text, isErr := callTool(t, s, "crm_deal_get", map[string]any{"id": 3})
	if isErr || !strings.HasPrefix(text, `{"result":`) || lastCall(t, srv).Method != "crm.deal.get" {
		t.Errorf("tool crm_deal_get: %s", text)
	}
	// an argument that does not fit the tool's schema is refused before anything is sent
	srv.ResetCalls()
	if text, isErr := callTool(t, s, "crm_deal_get", map[string]any{"id": "abc"}); !isErr || !strings.Contains(text, "/properties/id") ||
		!strings.Contains(text, `want "integer"`) || len(srv.Calls()) != 0 {
		t.Errorf("a wrongly typed argument: error %v, %s, %d calls", isErr, text, len(srv.Calls()))
	}
	if text, isErr := callTool(t, s, "crm_deal_get", map[string]any{}); !isErr || !strings.Contains(text, "id") || len(srv.Calls()) != 0 {
		t.Errorf("a missing argument: error %v, %s", isErr, text)
	}
	if a := search(t, s, "календарь"); a.Found != 0 {
		t.Errorf("search outside --methods: %+v", a)
	}

	// without --allow-writes, call_method reads only: as idempotent as the reads it calls
	s = startMCP(t, "mcp", "--url", srv.WebhookURL()).session
	names, tools = toolNames(t, s)
	for _, n := range names {
		if a := tools[n].Annotations; a == nil || !a.ReadOnlyHint || !a.IdempotentHint {
			t.Errorf("read-only server: tool %s: %+v", n, a)
		}
	}

	s = startMCP(t, "mcp", "--url", srv.WebhookURL(), "--tools", "all", "--allow-writes").session
	names, tools = toolNames(t, s)
	if len(names) != len(catalog().Stubs())+2 {
		t.Errorf("%d tools for %d methods", len(names), len(catalog().Stubs()))
	}
	// a 3.0 list says how its next page is asked for: by a condition on its id, not start
	reToolName := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	for _, n := range names {
		tool := tools[n]
		if !reToolName.MatchString(n) {
			t.Errorf("tool name %q: the model APIs refuse it", n)
		}
		if a := tool.Annotations; a.ReadOnlyHint && !a.IdempotentHint {
			t.Errorf("%s reads but is not idempotent", n)
		}
	}
	if d := tools["crm_deal_get"]; d == nil || !strings.HasPrefix(d.Description, "The Bitrix24 REST method crm.deal.get.") {
		t.Errorf("crm_deal_get's description does not name its method: %+v", d)
	}
	for name, destructive := range map[string]bool{"crm_deal_delete": true, "crm_deal_update": true, "user_userfield_update": true, "crm_deal_add": false, "im_message_add": false} {
		if a := tools[name].Annotations; a.ReadOnlyHint || a.DestructiveHint == nil || *a.DestructiveHint != destructive {
			t.Errorf("%s: annotations %+v, want destructive %v", name, a, destructive)
		}
	}
	if d := tools["tasks_task_list_v3"]; d == nil || !strings.Contains(d.Description, `up to 1000), under items, without next; for the following rows, add the condition ["id", ">", <the last row's id>]`) {
		t.Errorf("tasks_task_list_v3: %+v", d)
	}
	if d := tools["mail_mailbox_list"]; d == nil || !strings.Contains(d.Description, `up to 100), under items, without next; for the following rows, pass pagination {"limit": n, "offset": <the rows so far>}`) {
		t.Errorf("mail_mailbox_list: %+v", d)
	}
	add := tools["crm_deal_add"]
	if add == nil || add.Annotations == nil || add.Annotations.ReadOnlyHint || add.Annotations.IdempotentHint ||
		add.Annotations.OpenWorldHint == nil || !*add.Annotations.OpenWorldHint {
		t.Errorf("crm_deal_add: %+v", add)
	}
}

// TestMCPErrors: a Bitrix24 error is an error result with the code, the description and a hint,
// without the secret of the webhook that failed; a write whose answer is lost is sent once and
// said to have maybe run.
func TestMCPErrors(t *testing.T) {
	srv := b24test.New(b24test.WithSecret("right" + mcpSecret))
	defer srv.Close()
	wrong := srv.URL() + "/rest/1/" + mcpSecret
	s := startMCP(t, "mcp", "--url", wrong).session
	text, isErr := callTool(t, s, "call_method", map[string]any{"name": "server.time"})
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Hint             string `json:"hint"`
	}
	if err := json.Unmarshal([]byte(text), &e); !isErr || err != nil || e.Error != "INVALID_CREDENTIALS" || e.ErrorDescription == "" || e.Hint == "" {
		t.Errorf("a Bitrix24 error: error %v, %s", isErr, text)
	}

	lost := b24test.New(b24test.WithSecret(mcpSecret), b24test.WithFaults(b24test.Faults{Seed: 1, LostAfter: 1}))
	defer lost.Close()
	s = startMCP(t, "mcp", "--url", lost.WebhookURL(), "--allow-writes", "--tools", "all", "--namespaces", "crm").session
	text, isErr = callTool(t, s, "crm_deal_add", map[string]any{"fields": map[string]any{"TITLE": "x"}})
	if !isErr || !strings.Contains(text, "may have run") {
		t.Errorf("a lost write: error %v, %s", isErr, text)
	}
	if n := lost.Runs("crm.deal.add"); n != 1 {
		t.Errorf("the lost write ran %d times, want once", n)
	}
}

// TestMCPUsage: flags that allow nothing, or name nothing, are refused before anything is served.
func TestMCPUsage(t *testing.T) {
	for _, args := range [][]string{
		{"mcp", "--sandbox", "--namespaces", "nosuch"},
		{"mcp", "--sandbox", "--methods", "crm.nosuch.*"},
		{"mcp", "--sandbox", "--methods", "crm.deal.add"}, // a write, without --allow-writes
		{"mcp", "--sandbox", "--tools", "some"},
		{"mcp", "--sandbox", "--jq", ".result"},
		{"mcp"}, // no portal
	} {
		code, stdout, stderr := runReal(args...)
		if code != command.ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("b24 %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	code, stdout, _ := runReal("mcp", "--help")
	if code != 0 || !strings.Contains(stdout, "--allow-writes") || !strings.Contains(stdout, "--tools") || !strings.Contains(stdout, "Bearer") {
		t.Errorf("b24 mcp --help: exit %d\n%s", code, stdout)
	}
	if _, stdout, _ := runReal("--help"); !strings.Contains(stdout, "b24 mcp") {
		t.Errorf("b24 --help does not name b24 mcp")
	}
}

// bearerLine is what b24 mcp --http prints on stderr at start.
var bearerLine = regexp.MustCompile(`at (http://\S+/mcp); send the header: Authorization: Bearer (\S+)`)

// TestMCPHTTP: --http serves the Streamable HTTP transport and refuses any request without the
// token it printed (401), and a client with the token works; the token is printed once.
func TestMCPHTTP(t *testing.T) {
	srv := b24test.New(b24test.WithToken(mcpToken))
	defer srv.Close()
	endpoint, token, stderr, cancel, code := startHTTP(t, "mcp", "--http", "127.0.0.1:0", "--url", srv.URL(), "--token", mcpToken)
	ctx := context.Background()

	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}`
	for _, auth := range []string{"", "Bearer ", "Bearer " + token + "x", "Basic " + token} {
		req, _ := http.NewRequest("POST", endpoint, strings.NewReader(initialize))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(string(body), token) {
			t.Errorf("Authorization %q: HTTP %d: %s", auth, resp.StatusCode, body)
		}
	}

	client := mcp.NewClient(&mcp.Implementation{Name: "b24-test", Version: "1"}, nil)
	httpClient := &http.Client{Transport: withBearer{token}}
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint, HTTPClient: httpClient}, nil)
	if err != nil {
		t.Fatalf("connect with the token: %v", err)
	}
	if names, _ := toolNames(t, session); len(names) != 3 {
		t.Errorf("tools over HTTP: %v", names)
	}
	text, isErr := callTool(t, session, "call_method", map[string]any{"name": "server.time"})
	if isErr || !strings.HasPrefix(text, `{"result":`) {
		t.Errorf("server.time over HTTP: %s", text)
	}
	if c := lastCall(t, srv); c.Method != "server.time" || c.Auth != "token" {
		t.Errorf("the portal got %s (auth %s)", c.Method, c.Auth)
	}
	session.Close()
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d: %s", c, stderr.String())
	}
	if n := strings.Count(stderr.String(), token); n != 1 {
		t.Errorf("the bearer token is printed %d times:\n%s", n, stderr.String())
	}
	noSecret(t, "stderr", stderr.String())
}

// startHTTP runs b24 mcp --http in-process and reads its endpoint and token from stderr; cancel
// interrupts it, and code gives its exit code (or fails the test after 10 s).
func startHTTP(t *testing.T, args ...string) (endpoint, token string, stderr *wireLog, cancel func(), code <-chan int) {
	t.Helper()
	stderrR, stderrW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	go func() {
		exit <- command.Run(ctx, args, command.Env{Stdout: io.Discard, Stderr: stderrW, Catalog: catalog()})
		stderrW.Close()
	}()
	stderr = &wireLog{}
	lines := bufio.NewScanner(stderrR)
	for endpoint == "" && lines.Scan() {
		stderr.Write(append(lines.Bytes(), '\n'))
		if m := bearerLine.FindStringSubmatch(lines.Text()); m != nil {
			endpoint, token = m[1], m[2]
		}
	}
	go io.Copy(stderr, stderrR)
	if endpoint == "" {
		cancel()
		t.Fatalf("no endpoint and token on stderr: %s", stderr.String())
	}
	done := make(chan int, 1)
	go func() {
		select {
		case c := <-exit:
			done <- c
		case <-time.After(10 * time.Second):
			t.Error("b24 mcp --http did not stop when interrupted")
			done <- -1
		}
	}()
	return endpoint, token, stderr, cancel, done
}

// TestMCPHTTPBind: an address without a host listens on loopback; one beyond loopback is refused
// without --allow-remote, and with it served with a warning about plain HTTP.
func TestMCPHTTPBind(t *testing.T) {
	endpoint, _, _, cancel, code := startHTTP(t, "mcp", "--http", ":0", "--sandbox")
	cancel()
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || <-code != 0 {
		t.Errorf("--http :0 serves at %s", endpoint)
	}
	c, stdout, stderr := runReal("mcp", "--http", "0.0.0.0:0", "--sandbox")
	if c != command.ExitUsage || stdout != "" || !strings.Contains(stderr, "--allow-remote") {
		t.Errorf("0.0.0.0 without --allow-remote: exit %d, %q", c, stderr)
	}
	endpoint, _, log, cancel, code := startHTTP(t, "mcp", "--http", "0.0.0.0:0", "--allow-remote", "--sandbox")
	cancel()
	if !strings.Contains(log.String(), "b24: mcp: warning: plain HTTP on ") || <-code != 0 {
		t.Errorf("with --allow-remote at %s: %s", endpoint, log.String())
	}
}

type withBearer struct{ token string }

func (b withBearer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(req)
}

// TestMCPBinary runs the built b24 mcp as an MCP client starts it, a child process on stdio, with
// the webhook in B24_URL.
func TestMCPBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "b24")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	cmd := exec.Command(bin, "mcp")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "B24_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "B24_URL="+srv.WebhookURL())
	var stderr wireLog
	cmd.Stderr = &stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "b24-test", Version: "1"}, nil)
	session, err := client.Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, stderr.String())
	}
	if a := search(t, session, "время сервера"); !a.has("server.time") {
		t.Errorf("search: %+v", a.Methods)
	}
	text, isErr := callTool(t, session, "call_method", map[string]any{"name": "server.time"})
	if isErr || !strings.HasPrefix(text, `{"result":`) {
		t.Errorf("server.time: %s", text)
	}
	if err := session.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if !strings.Contains(stderr.String(), "b24: mcp: serving ") {
		t.Errorf("stderr: %s", stderr.String())
	}
	noSecret(t, "stderr", stderr.String())
}

// TestMCPStdioSurvivesClients: over stdio a line that is not JSON gets -32700, one that is JSON but
// not a JSON-RPC message -32600 (with its id when it has one), and the server goes on; when input
// ends right after a slow call, its answer still comes before b24 mcp exits 0 (with the secret the
// portal repeated in it masked).
func TestMCPStdioSurvivesClients(t *testing.T) {
	srv := b24test.New(b24test.WithSecret(mcpSecret))
	defer srv.Close()
	srv.HandleHTTP("server.time", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		// the answer repeats the request path, webhook secret and all: b24 mcp must not pass it on
		w.Write([]byte(`{"result":"2026-12-07T10:00:00+00:00 ` + r.URL.Path + `","time":{"start":1}}`))
	})
	in := strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`this is not json`,
		`[1,2]`,
		`{"jsonrpc":"1.0","id":5,"method":"tools/list"}`,
		``,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"call_method","arguments":{"name":"server.time"}}}`,
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	code := command.Run(context.Background(), []string{"mcp", "--url", srv.WebhookURL()},
		command.Env{Stdin: strings.NewReader(in), Stdout: &out, Stderr: &errOut, Catalog: catalog()})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	type answer struct {
		ID     json.RawMessage
		Result json.RawMessage
		Error  *struct{ Code int }
	}
	got := map[string]answer{}
	var errs []string
	for line := range strings.SplitSeq(strings.TrimSpace(out.String()), "\n") {
		var a answer
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("stdout line %q: %v", line, err)
		}
		if a.Error != nil {
			errs = append(errs, fmt.Sprintf("%s:%d", a.ID, a.Error.Code))
			continue
		}
		got[string(a.ID)] = a
	}
	if want := []string{"null:-32700", "null:-32600", "5:-32600"}; !slices.Equal(errs, want) {
		t.Errorf("errors %v, want %v", errs, want)
	}
	for _, id := range []string{"1", "2", "3"} {
		if len(got[id].Result) == 0 {
			t.Errorf("request %s has no answer:\n%s", id, out.String())
		}
	}
	if !strings.Contains(string(got["3"].Result), "2026-12-07T10:00:00+00:00 /rest/1/***/server.time") {
		t.Errorf("the slow call's answer: %s", got["3"].Result)
	}
	noSecret(t, "stdout", out.String())
}
