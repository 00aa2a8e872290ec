//go:build browser

package main

// The docs site as a person uses it, in a real headless Chromium driven by ChromeDriver over the
// W3C WebDriver protocol (a few JSON requests: no client library). It needs Debian's chromium and
// chromium-driver; .ci/run installs them and runs `go test -tags browser ./cmd/docsite`.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// webDriver is one session of ChromeDriver.
type webDriver struct {
	t       *testing.T
	base    string // http://127.0.0.1:<port>
	session string
}

func (d *webDriver) do(method, path string, body any) json.RawMessage {
	d.t.Helper()
	var in bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		in = *bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, d.base+path, &in)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out struct{ Value json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		d.t.Fatalf("webdriver %s %s: HTTP %d %s %v", method, path, resp.StatusCode, out.Value, err)
	}
	return out.Value
}

// js runs a script in the page and decodes what it returns into v.
func (d *webDriver) js(v any, script string, args ...any) {
	d.t.Helper()
	if args == nil {
		args = []any{}
	}
	raw := d.do("POST", "/session/"+d.session+"/execute/sync", map[string]any{"script": script, "args": args})
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			d.t.Fatalf("script result %s: %v", raw, err)
		}
	}
}

func (d *webDriver) open(url string) {
	d.t.Helper()
	d.do("POST", "/session/"+d.session+"/url", map[string]any{"url": url})
}

// typeInto types text into the element the CSS selector finds, key by key as a person does.
func (d *webDriver) typeInto(selector, text string) {
	d.t.Helper()
	var el map[string]string
	if err := json.Unmarshal(d.do("POST", "/session/"+d.session+"/element", map[string]any{"using": "css selector", "value": selector}), &el); err != nil {
		d.t.Fatal(err)
	}
	for _, id := range el {
		d.do("POST", "/session/"+d.session+"/element/"+id+"/value", map[string]any{"text": text})
	}
}

// waitFor polls a script until it returns true.
func (d *webDriver) waitFor(what, script string) {
	d.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var ok bool
		d.js(&ok, script)
		if ok {
			return
		}
	}
	d.t.Fatalf("waited in vain for %s", what)
}

func startBrowser(t *testing.T) *webDriver {
	t.Helper()
	driver, err := exec.LookPath("chromedriver")
	if err != nil {
		t.Fatal("chromedriver is not installed: apt-get install chromium chromium-driver (.ci/run does)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(driver, fmt.Sprintf("--port=%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	d := &webDriver{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(d.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromedriver did not start")
		}
	}
	var s struct{ SessionID string }
	json.Unmarshal(d.do("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": "/usr/bin/chromium", "args": []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir()}},
	}}}), &s)
	if s.SessionID == "" {
		t.Fatal("no WebDriver session")
	}
	d.session = s.SessionID
	t.Cleanup(func() { d.do("DELETE", "/session/"+d.session, nil) })
	return d
}

// TestBrowser builds the site of the real docs and uses it in Chromium: a search typed in English
// and in Russian lists the method, its hit leads to its page, the language switch leads to the
// same page in the other language, and at a phone's width neither an option in a table (--message)
// nor a method name in the sidebar breaks inside a word.
func TestBrowser(t *testing.T) {
	out, _ := build(t, "../../generated/docs")
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	d := startBrowser(t)
	d.do("POST", "/session/"+d.session+"/window/rect", map[string]any{"width": 1280, "height": 900})

	for _, c := range []struct{ lang, query, want string }{
		{"en", "dialog unread", "im/im.dialog.unread.html"},
		{"ru", "непрочитан", "im/im.dialog.unread.html"},
		{"en", "crm.deal.add", "crm/crm.deal.add.html"},
		{"ru", "сделк", "crm/crm.deal"},
	} {
		d.open(srv.URL + "/" + c.lang + "/index.html")
		d.typeInto("#search", c.query)
		d.waitFor("the hits of "+c.query, `return document.querySelectorAll("#results li a").length > 0`)
		var hrefs []string
		d.js(&hrefs, `return Array.from(document.querySelectorAll("#results li a")).slice(0, 5).map(a => a.getAttribute("href"))`)
		i := -1
		for j, h := range hrefs {
			if strings.Contains(h, c.want) {
				i = j
				break
			}
		}
		if i < 0 {
			t.Errorf("%s %q: hits %v, none %s", c.lang, c.query, hrefs, c.want)
			continue
		}
		d.js(nil, `document.querySelectorAll("#results li a")[arguments[0]].click()`, i)
		d.waitFor("the hit's page", `return location.pathname.indexOf("/`+c.lang+`/`+c.want+`") === 0 && document.readyState === "complete"`)
	}

	// the language switch keeps the page
	d.open(srv.URL + "/en/im/im.dialog.unread.html")
	d.js(nil, `Array.from(document.querySelectorAll(".langs a")).find(a => a.getAttribute("hreflang") === "ru" || a.textContent.indexOf("Русский") >= 0).click()`)
	d.waitFor("the Russian page", `return location.pathname === "/ru/im/im.dialog.unread.html" && document.documentElement.lang === "ru"`)

	// a phone's width: an option stays whole, a sidebar name breaks only after a dot
	d.do("POST", "/session/"+d.session+"/window/rect", map[string]any{"width": 390, "height": 844})
	d.open(srv.URL + "/en/crm/crm.deal.productrows.set.html")
	d.waitFor("the sidebar", `return document.querySelectorAll(".sidebar li li a").length > 10`)
	var broken []string
	d.js(&broken, `
		const bad = [];
		for (const c of document.querySelectorAll("article code")) {
			if (c.closest("pre") || !/^--/.test(c.textContent)) continue;
			if (c.getClientRects().length > 1) bad.push("option " + c.textContent);
		}
		for (const a of document.querySelectorAll(".sidebar a, article h1")) {
			const text = a.textContent, r = document.createRange(), walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
			let prevTop = null, prevChar = "";
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				for (let i = 0; i < n.length; i++) {
					r.setStart(n, i); r.setEnd(n, i + 1);
					const rect = r.getBoundingClientRect();
					if (rect.width === 0) continue;
					if (prevTop !== null && rect.top > prevTop + 2 && /[\p{L}\p{N}_-]/u.test(prevChar)) { bad.push(text); break; }
					prevTop = rect.top; prevChar = n.data[i];
				}
			}
		}
		return bad;`)
	if len(broken) > 0 {
		t.Errorf("broken inside a word at 390 px: %q", broken)
	}
	var options int
	d.js(&options, `return Array.from(document.querySelectorAll("article code")).filter(c => /^--/.test(c.textContent)).length`)
	if options == 0 {
		t.Error("the page shows no CLI option to check")
	}
}
