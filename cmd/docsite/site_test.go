package main

import (
	"encoding/json"
	"html"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

const fixture = "testdata/docs"

func build(t *testing.T, in string) (string, map[string]string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	if _, _, _, err := Build(in, out); err != nil {
		t.Fatal(err)
	}
	return out, readSite(t, out)
}

// readSite is every file of a built site by its slash path.
func readSite(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestBuild builds the fixture: every page renders as GitHub shows it, and carries the frame.
func TestBuild(t *testing.T) {
	_, files := build(t, fixture)
	var pages []string
	_ = filepath.WalkDir(fixture, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(fixture, p)
			pages = append(pages, htmlPath(filepath.ToSlash(rel)))
		}
		return err
	})
	if len(pages) != 17 {
		t.Fatalf("the fixture has %d pages, want 17", len(pages))
	}
	for _, p := range pages {
		h, ok := files[p]
		switch {
		case !ok:
			t.Errorf("%s: not built", p)
		case !strings.Contains(h, "<h1 id="):
			t.Errorf("%s: no title", p)
		case strings.Contains(h, "<!--"), strings.Contains(h, "[!"), strings.Contains(h, "](") || strings.Contains(h, ".md\""):
			t.Errorf("%s: Markdown or the notice left in the page", p)
		}
	}
	page := files["en/im/im.dialog.unread.html"]
	for _, want := range []string{
		`<title>im.dialog.unread · Bitrix24 REST methods</title>`,
		`<meta name="description" content="im.dialog.unread (MarkMessageAsUnreaded) — Marks the messages of a dialog as unread.">`,
		`<html lang="en">`,
		`<table>`, `<td><code class="nw">dialog_id</code></td>`,
		`<blockquote class="alert alert-tip"><p class="alert-title">Tip</p>` + "\n" + `<p>Method at API documentation: <a href="https://apidocs.bitrix24.ru/`,
		`<p><strong>Go example</strong></p>` + "\n" + `<pre><code class="language-go">package main`,
		`fmt.Println(&quot;&lt;ok&gt;&quot;)`,
		"<details>\n<summary>The same in Windows CMD</summary>\n<pre><code class=\"language-bat\">",
		`<a href="../openintegrations.html#message-management">Message management</a>`,
		`<nav class="crumbs"><a href="../index.html">Bitrix24 REST methods</a> › <a href="../im/index.html">im</a> › <span>im.dialog.unread</span>`,
		`<nav class="pager"><a class="next" href="../im/im.message.old.html" rel="next">im.message.old →</a>`,
		`<footer>Source: <code>en/im/im.dialog.unread.md</code></footer>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("en/im/im.dialog.unread.html lacks %q", want)
		}
	}
	ru := files["ru/im/im.message.old.html"]
	for _, want := range []string{
		`<html lang="ru">`,
		`<blockquote class="alert alert-warning"><p class="alert-title">Внимание</p>` + "\n" + `<p><strong>Устарел.</strong> Битрикс24 заменил этот метод на <a href="../crm/crm.deal.get.html">crm.deal.get</a>`,
		`placeholder="Поиск методов и функций"`,
	} {
		if !strings.Contains(ru, want) {
			t.Errorf("ru/im/im.message.old.html lacks %q", want)
		}
	}
	// Headings get GitHub's ids, Cyrillic kept and repeats numbered.
	if !strings.Contains(files["ru/openintegrations.html"], `<h2 id="работа-с-сообщениями">`) ||
		!strings.Contains(files["en/crm/crm.deal.get.html"], `<h2 id="result">Result</h2>`+"\n"+`<h2 id="result-1">Result</h2>`) {
		t.Error("heading ids are not GitHub's")
	}
	if root := files["index.html"]; !strings.Contains(root, `<a href="en/index.html" hreflang="en" lang="en">English</a>`) ||
		!strings.Contains(root, `<a href="ru/index.html" hreflang="ru" lang="ru">Русский</a>`) {
		t.Errorf("the root page does not offer both languages:\n%s", root)
	}
}

// TestNavigation: every page lists the namespaces and the OPI regions; a page of a region lists
// that region's functions, a page of a namespace loads that namespace's list of pages.
func TestNavigation(t *testing.T) {
	_, files := build(t, fixture)
	for name, h := range files {
		if !strings.HasSuffix(name, ".html") || name == "index.html" {
			continue
		}
		lang, rel, _ := strings.Cut(name, "/")
		up := strings.Repeat("../", strings.Count(rel, "/"))
		region := map[string]string{"en": "message-management", "ru": "работа-с-сообщениями"}[lang]
		for _, want := range []string{
			`<a href="` + up + `crm/index.html"`,
			`<a href="` + up + `im/index.html"`,
			`<a href="` + up + `openintegrations.html#` + url.PathEscape(region),
		} {
			if !strings.Contains(strings.ToLower(h), strings.ToLower(want)) {
				t.Errorf("%s: the navigation lacks %s", name, want)
			}
		}
	}
	if old := files["en/im/im.message.old.html"]; !strings.Contains(old, `<nav class="pager"><a class="prev" href="../im/im.dialog.unread.html" rel="prev">← im.dialog.unread</a><a class="next" href="../im/GetPictureBlock.html" rel="next">GetPictureBlock →</a>`) {
		t.Error("en/im/im.message.old.html: the pager does not follow the namespace's index")
	}
	en := files["en/im/GetPictureBlock.html"]
	for _, want := range []string{
		`<li><a href="../openintegrations.html#message-management">Message management</a><ul>`,
		`<li><a href="../im/im.dialog.unread.html">MarkMessageAsUnreaded</a></li>`,
		`<li class="current"><a href="../im/GetPictureBlock.html" aria-current="page">GetPictureBlock</a></li>`,
		`<li data-pages="../../assets/nav/en/im.js"><a href="../im/index.html">im</a></li>`,
		`<h2>Other pages</h2>`, `<a href="../guide.html">A guide</a>`,
	} {
		if !strings.Contains(en, want) {
			t.Errorf("en/im/GetPictureBlock.html: the navigation lacks %s", want)
		}
	}
	if strings.Contains(files["en/crm/crm.deal.get.html"], "MarkMessageAsUnreaded") {
		t.Error("a page outside the region lists the region's functions")
	}
	// The namespace's script lists its pages in its index's order, helpers last.
	var list [][2]string
	unwrap(t, files["assets/nav/en/im.js"], navPrefix, &list)
	want := [][2]string{{"im/im.dialog.unread.html", "im.dialog.unread"}, {"im/im.message.old.html", "im.message.old"}, {"im/GetPictureBlock.html", "GetPictureBlock"}}
	if !slices.Equal(list, want) {
		t.Errorf("assets/nav/en/im.js lists %v, want %v", list, want)
	}
	unwrap(t, files["assets/nav/ru/im.js"], navPrefix, &list)
	if len(list) != 3 || list[2][1] != "ПолучитьБлокКартинки" {
		t.Errorf("assets/nav/ru/im.js lists %v", list)
	}
}

func unwrap(t *testing.T, js, prefix string, v any) {
	t.Helper()
	body, ok := strings.CutPrefix(js, prefix)
	body, ok2 := strings.CutSuffix(body, indexSuffix)
	if !ok || !ok2 {
		t.Fatalf("not a %s…%s script: %.80s", prefix, indexSuffix, js)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatal(err)
	}
}

type searchIndex struct {
	Langs []string `json:"langs"`
	Pages []struct {
		URL      string   `json:"u"`
		Titles   []string `json:"t"`
		Descs    []string `json:"d"`
		Keywords string   `json:"k"`
	} `json:"pages"`
}

// TestSearchIndex: one entry per page path, with its titles and descriptions in both languages.
func TestSearchIndex(t *testing.T) {
	_, files := build(t, fixture)
	var idx searchIndex
	unwrap(t, files["assets/search-index.js"], indexPrefix, &idx)
	if !slices.Equal(idx.Langs, []string{"en", "ru"}) {
		t.Fatalf("langs %v", idx.Langs)
	}
	if len(idx.Pages) != 9 {
		t.Errorf("%d entries, want 9 (the fixture's page paths)", len(idx.Pages))
	}
	both := 0
	for _, p := range idx.Pages {
		if _, ok := files["en/"+p.URL]; !ok {
			if _, ok := files["ru/"+p.URL]; !ok {
				t.Errorf("entry %s: no such page", p.URL)
			}
		}
		if p.Titles[0] != "" && p.Titles[1] != "" && p.Descs[0] != "" && p.Descs[1] != "" {
			both++
		}
		if p.URL == "im/GetPictureBlock.html" {
			if p.Titles[0] != "GetPictureBlock" || p.Titles[1] != "ПолучитьБлокКартинки" ||
				!strings.HasPrefix(p.Descs[1], "ПолучитьБлокКартинки — Собирает") || !strings.Contains(p.Keywords, "GetImageBlock") {
				t.Errorf("im/GetPictureBlock.html: %+v", p)
			}
			if strings.Contains(p.Keywords, "Bitrix24") {
				t.Errorf("a word of every page is a keyword: %q", p.Keywords)
			}
		}
		if p.URL == "crm/crm.deal.get.html" && !strings.Contains(p.Keywords, "сделка") {
			t.Errorf("crm/crm.deal.get.html: the Russian keyword is missing: %q", p.Keywords)
		}
	}
	if both != 8 { // all but the guide, which is English only
		t.Errorf("%d entries in both languages, want 8", both)
	}
}

var (
	altRe    = regexp.MustCompile(`<link rel="alternate" hreflang="(\w+)" href="([^"]*)">`)
	schemeRe = regexp.MustCompile(`^[a-z][a-z0-9+.-]*:`)
)

// attrValues are the values of every attr="…" in h; with blank, only where a blank comes before the
// name (an id, not a data-id). A scan, not a regexp: the generated site is 4,000 pages.
func attrValues(h, attr string, blank bool) []string {
	var out []string
	key := attr + `="`
	for i := 0; ; {
		j := strings.Index(h[i:], key)
		if j < 0 {
			return out
		}
		j += i
		start := j + len(key)
		end := strings.IndexByte(h[start:], '"')
		if end < 0 {
			return out
		}
		if !blank || j > 0 && unicode.IsSpace(rune(h[j-1])) {
			out = append(out, h[start:start+end])
		}
		i = start + end + 1
	}
}

// brokenLinks checks every link of a built site, the namespace scripts' included: the file must
// exist and a fragment must be an id of it.
func brokenLinks(files map[string]string) []string {
	ids := map[string]map[string]bool{}
	for name, h := range files {
		if strings.HasSuffix(name, ".html") {
			ids[name] = map[string]bool{}
			for _, v := range attrValues(h, "id", true) {
				ids[name][html.UnescapeString(v)] = true
			}
		}
	}
	var bad []string
	check := func(from, base, dest string) {
		if schemeRe.MatchString(dest) {
			return
		}
		u, err := url.Parse(dest)
		if err != nil {
			bad = append(bad, from+": "+dest+": "+err.Error())
			return
		}
		target := from
		if u.Path != "" {
			target = path.Join(base, u.Path)
		}
		if _, ok := files[target]; !ok {
			bad = append(bad, from+": "+dest+": no "+target)
			return
		}
		if u.Fragment != "" && !ids[target][u.Fragment] {
			bad = append(bad, from+": "+dest+": no id "+u.Fragment+" in "+target)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		switch {
		case strings.HasSuffix(name, ".html"):
			for _, attr := range []string{"href", "src", "data-pages"} {
				for _, v := range attrValues(files[name], attr, false) {
					check(name, path.Dir(name), html.UnescapeString(v))
				}
			}
		case strings.HasPrefix(name, "assets/nav/"):
			var list [][2]string
			body := strings.TrimSuffix(strings.TrimPrefix(files[name], navPrefix), indexSuffix)
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				bad = append(bad, name+": "+err.Error())
			}
			lang := strings.Split(name, "/")[2]
			for _, l := range list {
				check(name, lang, l[0])
			}
		}
	}
	return bad
}

// TestBrokenLinks: the check finds a missing page, a missing id and a missing script, and takes an
// id only where it is one (not a data-id).
func TestBrokenLinks(t *testing.T) {
	files := map[string]string{
		"en/a.html": `<h2 id="top">A</h2><a href="b.html#top">b</a> <a href="c.html">c</a> <a href="#gone">x</a> ` +
			`<script src="../assets/x.js"></script> <a href="https://example.com/">out</a> <a href="a.html#top">self</a>`,
		"en/b.html": `<p data-id="top">B</p>`,
	}
	want := []string{
		"en/a.html: b.html#top: no id top in en/b.html",
		"en/a.html: c.html: no en/c.html",
		"en/a.html: #gone: no id gone in en/a.html",
		"en/a.html: ../assets/x.js: no assets/x.js",
	}
	got := brokenLinks(files)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("broken links\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLinks: no link of the fixture's site is broken, and each page's other language is its own
// version there, or that language's home when it has none.
func TestLinks(t *testing.T) {
	_, files := build(t, fixture)
	for _, b := range brokenLinks(files) {
		t.Error(b)
	}
	for name, h := range files {
		if !strings.HasSuffix(name, ".html") || name == "index.html" {
			continue
		}
		lang, rel, _ := strings.Cut(name, "/")
		alts := altRe.FindAllStringSubmatch(h, -1)
		if len(alts) != 1 {
			t.Errorf("%s: %d links to another language, want 1", name, len(alts))
			continue
		}
		other, dest := alts[0][1], alts[0][2]
		if other == lang {
			t.Errorf("%s: links to its own language", name)
		}
		want := other + "/" + rel
		if _, ok := files[want]; !ok {
			want = other + "/index.html"
		}
		if got := path.Join(path.Dir(name), dest); got != want {
			t.Errorf("%s: the %s version is %s, want %s", name, other, got, want)
		}
		if !strings.Contains(h, `<a href="`+dest+`" hreflang="`+other+`"`) {
			t.Errorf("%s: no visible link to the %s version", name, other)
		}
	}
}

// TestRebuild: the output is the same bytes every time; a rebuild writes nothing when nothing
// changed and deletes what no page makes; a folder that is not a site is left alone.
func TestRebuild(t *testing.T) {
	out, first := build(t, fixture)
	_, second := build(t, fixture)
	if !maps.Equal(first, second) {
		t.Error("two builds differ")
	}
	stale := filepath.Join(out, "en", "gone.html")
	if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	written, unchanged, deleted, err := Build(fixture, out)
	if err != nil || written != 0 || deleted != 1 || unchanged != len(first) {
		t.Errorf("rebuild: %d written, %d unchanged, %d deleted, %v; want 0, %d, 1", written, unchanged, deleted, err, len(first))
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale page survived")
	}
	other := t.TempDir()
	keep := filepath.Join(other, "keep.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Build(fixture, other); err == nil || !strings.Contains(err.Error(), "not a site built by docsite") {
		t.Errorf("building into a foreign folder: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Error("a foreign file was deleted")
	}
}

// TestGeneratedSite builds the site of generated/docs, as make docs does: every page, no broken
// link, an index entry per page path in both languages.
func TestGeneratedSite(t *testing.T) {
	in := "../../generated/docs"
	_, files := build(t, in)
	var md int
	_ = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			md++
			rel, _ := filepath.Rel(in, p)
			if _, ok := files[htmlPath(filepath.ToSlash(rel))]; !ok {
				t.Errorf("%s: no page", rel)
			}
		}
		return err
	})
	if md < 3000 {
		t.Fatalf("%d pages in %s", md, in)
	}
	for _, b := range brokenLinks(files) {
		t.Error(b)
	}
	var idx searchIndex
	unwrap(t, files["assets/search-index.js"], indexPrefix, &idx)
	if len(idx.Pages) != md/2 {
		t.Errorf("%d index entries for %d pages in two languages", len(idx.Pages), md)
	}
	for _, p := range idx.Pages {
		if p.Titles[0] == "" || p.Titles[1] == "" || p.Descs[0] == "" || p.Descs[1] == "" {
			t.Errorf("%s: not in both languages: %v", p.URL, p.Titles)
		}
	}
	// The OPI page's regions are in the navigation, each with its functions on their pages.
	h := files["en/crm/crm.deal.add.html"]
	if !strings.Contains(h, `<li><a href="../openintegrations.html#deals-management">Deals management</a><ul>`) ||
		!strings.Contains(h, `<li class="current"><a href="../crm/crm.deal.add.html" aria-current="page">CreateDeal</a></li>`) ||
		strings.Count(h, `<li><a href="../openintegrations.html#`) != 20 {
		t.Error("en/crm/crm.deal.add.html: the navigation does not list the 20 regions with Deals management open")
	}
}
