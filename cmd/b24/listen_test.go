package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
	"github.com/b24gen/b24gen/generated/eventdata"
	"github.com/b24gen/b24gen/internal/phpform"
)

// syncBuffer is a bytes.Buffer written by the command's goroutines and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startListen runs b24 listen with args until the returned stop is called, and gives its address.
func startListen(t *testing.T, env command.Env, args ...string) (addr string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errOut := &syncBuffer{}
	if env.Stderr == nil {
		env.Stderr = errOut
	}
	code := make(chan int, 1)
	go func() { code <- command.Run(ctx, append([]string{"listen"}, args...), env) }()
	re := regexp.MustCompile(`events at http://(\S+)/`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := re.FindStringSubmatch(fmt.Sprint(env.Stderr)); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("b24 listen did not start: %s", env.Stderr)
	}
	return addr, func() int { cancel(); return <-code }
}

// catalogEvent is a line of upstream/b24-events/events.jsonl.
type catalogEvent struct {
	Wire    string          `json:"wire_name"`
	Example json.RawMessage `json:"payload_example"`
	Scope   string          `json:"payload_example_scope"`
}

// portalForm is the payload as the portal posts it: a PHP-style form, with the auth the handler
// checks. A payload shown as data alone is wrapped as the portal sends it.
func portalForm(t *testing.T, e catalogEvent, token string) []byte {
	t.Helper()
	var payload map[string]any
	if e.Scope != "full" || json.Unmarshal(e.Example, &payload) != nil || payload["data"] == nil && payload["event"] == nil {
		var data any
		json.Unmarshal(e.Example, &data)
		payload = map[string]any{"event": e.Wire, "data": data}
	}
	auth, _ := payload["auth"].(map[string]any)
	if auth == nil {
		auth = map[string]any{}
	}
	auth["application_token"] = token
	payload["auth"] = auth
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	form, err := phpform.Encode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return form
}

// leaves lists the values of a JSON value by their key paths ("FIELDS.ID", "FILES.0.name"), an
// object or list as "{}".
func leaves(v any, prefix string, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			out[prefix+k] = "{}"
			leaves(x, prefix+k+".", out)
		}
	case []any:
		for i, x := range t {
			out[fmt.Sprintf("%s%d", prefix, i)] = "{}"
			leaves(x, fmt.Sprintf("%s%d.", prefix, i), out)
		}
	default:
		out[strings.TrimSuffix(prefix, ".")] = leaf(t)
	}
}

// flag is the boolean a form's flag decodes into.
var flag = map[string]string{"Y": "true", "N": "false", "1": "true", "0": "false"}

// leaf is a value as the form sends it: numbers and flags in one spelling each.
func leaf(v any) string {
	s := fmt.Sprint(v)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}

// TestListenPayloads posts each payload of the shared event catalog to b24 listen as the portal
// would (a form, every value a string) and counts those that come out with the Go type of their
// event and every key and value of data the form carried (a number or a Y/N flag in its Go form); a forged event (another token) is refused with
// 401 and printed nowhere.
func TestListenPayloads(t *testing.T) {
	raw, err := os.ReadFile("../../upstream/b24-events/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var events []catalogEvent
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e catalogEvent
		if json.Unmarshal(sc.Bytes(), &e) == nil && len(e.Example) > 0 && string(e.Example) != "null" {
			events = append(events, e)
		}
	}
	const token = "app-token-7f3c9a1e5b"
	out := &syncBuffer{}
	addr, stop := startListen(t, command.Env{Stdout: out, Catalog: catalog()}, "--addr", "127.0.0.1:0", "--application-token", token)
	post := func(form []byte) int {
		resp, err := http.Post("http://"+addr+"/", "application/x-www-form-urlencoded", bytes.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var sent []map[string]any
	for _, e := range events {
		form := portalForm(t, e, token)
		if code := post(form); code != http.StatusOK {
			t.Errorf("%s: HTTP %d", e.Wire, code)
		}
		values, _ := url.ParseQuery(string(form))
		data, _ := phpform.Listify(phpform.Decode(values)).(map[string]any)
		sent = append(sent, data)
	}
	forged := portalForm(t, catalogEvent{Wire: "ONCRMDEALADD", Example: json.RawMessage(`{"FIELDS":{"ID":"forged-1"}}`)}, "another-token")
	if code := post(forged); code != http.StatusUnauthorized {
		t.Errorf("a forged event: HTTP %d, want 401", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(events) || strings.Contains(out.String(), "forged-1") || strings.Contains(out.String(), token) {
		t.Fatalf("%d lines for %d events (a forged event or the token printed?):\n%s", len(lines), len(events), out.String())
	}
	whole := 0
	for i, l := range lines {
		var got struct {
			Event, Type string
			Data        any
			Unfit       []string
		}
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, l)
		}
		d, known := eventdata.New(events[i].Wire)
		want, have := map[string]string{}, map[string]string{}
		leaves(sent[i]["data"], "", want)
		leaves(got.Data, "", have)
		var missing []string
		for k, v := range want {
			if h, ok := have[k]; !ok || h != v && flag[v] != h {
				missing = append(missing, k+"="+v+" came out as "+h)
			}
		}
		switch {
		case !known || got.Type != fmt.Sprintf("%T", d)[1:]:
			t.Logf("%s: type %q", events[i].Wire, got.Type)
		case len(missing) > 0:
			t.Logf("%s: values lost: %v", events[i].Wire, missing)
		default:
			whole++
		}
		if len(got.Unfit) > 0 {
			t.Logf("%s: unfit %v", events[i].Wire, got.Unfit)
		}
	}
	t.Logf("%d of %d payloads came out with their own type and every key (%.1f%%)", whole, len(events), 100*float64(whole)/float64(len(events)))
	if whole*100 < len(events)*95 {
		t.Errorf("%d of %d payloads whole; want 95%%", whole, len(events))
	}
}

// TestListenOfflineForward: b24 listen --offline binds the events offline for the session, takes
// them from the fake portal's queue, posts each to the local handler as the portal would (a form
// with the application token), prints it, and clears it only then: an event the handler failed
// once comes again; at the end the queue is empty and the bindings are gone.
func TestListenOfflineForward(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	const token = "app-token-local-5d2e"
	var mu sync.Mutex
	got := map[string]int{}
	failed := false
	localSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		if r.PostForm.Get("auth[application_token]") != token || r.PostForm.Get("event") != "ONCRMDEALADD" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		id := r.PostForm.Get("data[FIELDS][ID]")
		if id == "3" && !failed { // down once
			failed = true
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		got[id]++
	}))
	defer localSrv.Close()
	local := localSrv.URL
	out, errOut := &syncBuffer{}, &syncBuffer{}
	env := command.Env{Stdout: out, Stderr: errOut, Catalog: catalog()}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() {
		code <- command.Run(ctx, []string{"--url", s.URL(), "--token", s.Token(), "listen", "--offline", "--events", "onCrmDealAdd",
			"--forward-to", local, "--application-token", token, "--every", "10ms"}, env)
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(errOut.String(), "bound offline"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not bound: %s", errOut.String())
		}
	}
	for i := 1; i <= 5; i++ {
		if _, err := s.Fire("ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": fmt.Sprint(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(20 * time.Second); len(s.OfflineEvents()) > 0 || strings.Count(out.String(), "\n") < 5; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("queue %d, printed:\n%s\nstderr: %s", len(s.OfflineEvents()), out.String(), errOut.String())
		}
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d: %s", c, errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i <= 5; i++ {
		if got[fmt.Sprint(i)] != 1 {
			t.Errorf("event %d reached the handler %d times", i, got[fmt.Sprint(i)])
		}
	}
	if n := strings.Count(out.String(), `"type":"eventdata.OnCrmDealAdd"`); n != 5 || strings.Contains(out.String()+errOut.String(), token) {
		t.Errorf("%d typed lines (or the token printed):\n%s", n, out.String())
	}
	if bound, _ := s.Fire("ONCRMDEALADD", nil); len(bound) != 0 || len(s.OfflineEvents()) != 0 {
		t.Errorf("the session's binding is still there: %d queued", len(s.OfflineEvents()))
	}
}
