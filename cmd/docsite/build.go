package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"

	"github.com/b24gen/b24gen/internal/outdir"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "assets/page.html", "assets/root.html"))

// opiPage is the page of each language that lists the OpenIntegrations functions by region
// (docs.OPIPage in the generator): its level-2 headings are the regions, its links the functions.
const opiPage = "openintegrations.md"

// marker marks a folder as a site this program built, so that a rebuild may delete its stale files.
const marker = ".docsite"

// ui are the words of the site's frame in each language; a language without them uses English.
var ui = map[string]map[string]string{
	"en": {
		"name": "English", "search": "Search methods and functions", "nothing": "Nothing found",
		"namespaces": "Namespaces", "_events": "Events", "prev": "Previous", "next": "Next", "source": "Source",
		"menu": "Menu", "other": "Other pages",
	},
	"ru": {
		"name": "Русский", "search": "Поиск методов и функций", "nothing": "Ничего не найдено",
		"namespaces": "Пространства имён", "_events": "События", "prev": "Назад", "next": "Дальше", "source": "Исходный файл",
		"menu": "Меню", "other": "Другие страницы",
	},
}

func word(lang, key string) string {
	if w := ui[lang][key]; w != "" {
		return w
	}
	return ui["en"][key]
}

// page is one Markdown page of the tree.
type page struct {
	Lang string // the first folder: "en"
	Rel  string // path under the language folder: "crm/crm.deal.add.md"
	NS   string // the folder under the language one, "" for a top-level page
	FM   frontMatter
	doc  ast.Node
	src  []byte
	parsed
}

// Out is the page's path in the site, under its language's folder.
func (p *page) Out() string { return htmlPath(p.Rel) }

// site is the whole tree, read.
type site struct {
	Langs []string
	pages map[string]*page // by Lang + "/" + Rel
	// per language: the namespaces in order and each one's pages in order (its README first)
	nsOrder  map[string][]string
	nsPages  map[string]map[string][]*page
	regions  map[string][]region
	topPages map[string][]*page // top-level pages other than README.md and the OPI page
}

// region is one level-2 section of the OPI page: the functions of an OPI region.
type region struct {
	Title, ID string
	Funcs     []navLink // links to the pages that show the functions (Rel paths)
}

type navLink struct{ Text, Rel string }

// Build renders the Markdown tree in (one folder per language: en/, ru/) into a static site in out
// and reports how many files it wrote, left and deleted. Only changed files are written and files
// the build did not make are deleted; out must be empty, missing or a site built before.
func Build(in, out string) (written, unchanged, deleted int, err error) {
	s, err := read(in)
	if err != nil {
		return 0, 0, 0, err
	}
	files, err := s.render()
	if err != nil {
		return 0, 0, 0, err
	}
	return write(out, files)
}

// read parses every page of the tree, in parallel.
func read(in string) (*site, error) {
	s := &site{pages: map[string]*page{}, nsOrder: map[string][]string{}, nsPages: map[string]map[string][]*page{},
		regions: map[string][]region{}, topPages: map[string][]*page{}}
	entries, err := os.ReadDir(in)
	if err != nil {
		return nil, err
	}
	var list []*page
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		lang := e.Name()
		s.Langs = append(s.Langs, lang)
		root := filepath.Join(in, lang)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			list = append(list, &page{Lang: lang, Rel: filepath.ToSlash(rel)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s: no pages (want %s/<lang>/**/*.md)", in, in)
	}
	// English first, then the others by name: the first language is the site's default.
	slices.SortStableFunc(s.Langs, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "en":
			return -1
		case b == "en":
			return 1
		}
		return strings.Compare(a, b)
	})
	errs := make([]error, len(list))
	parallel(len(list), func(i int) {
		p := list[i]
		b, err := os.ReadFile(filepath.Join(in, p.Lang, filepath.FromSlash(p.Rel)))
		if err == nil {
			p.FM, p.doc, p.src, p.parsed, err = parse(b, p.Lang)
		}
		if err != nil {
			errs[i] = fmt.Errorf("%s/%s: %w", p.Lang, p.Rel, err)
		}
		if p.Title == "" {
			p.Title = strings.TrimSuffix(path.Base(p.Rel), ".md")
		}
		if dir, _, ok := strings.Cut(p.Rel, "/"); ok {
			p.NS = dir
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, p := range list {
		s.pages[p.Lang+"/"+p.Rel] = p
	}
	for _, lang := range s.Langs {
		s.navigation(lang, list)
	}
	return s, nil
}

// navigation orders a language's namespaces and their pages as its README and each namespace's
// README.md list them (pages no index links come last, by name), and reads its OPI regions.
func (s *site) navigation(lang string, list []*page) {
	byNS := map[string][]*page{}
	for _, p := range list {
		if p.Lang != lang {
			continue
		}
		if p.NS == "" {
			if p.Rel != "README.md" && p.Rel != opiPage {
				s.topPages[lang] = append(s.topPages[lang], p)
			}
			continue
		}
		byNS[p.NS] = append(byNS[p.NS], p)
	}
	s.nsPages[lang] = map[string][]*page{}
	for ns, pages := range byNS {
		s.nsOrder[lang] = append(s.nsOrder[lang], ns)
		rank := map[string]int{}
		if idx := s.pages[lang+"/"+ns+"/README.md"]; idx != nil {
			for _, l := range idx.Links {
				if p, _, ok := local(l.Dest); ok && !strings.Contains(p, "/") {
					if _, seen := rank[p]; !seen {
						rank[p] = len(rank) + 1
					}
				}
			}
		}
		order := func(p *page) int {
			if path.Base(p.Rel) == "README.md" {
				return 0
			}
			if r, ok := rank[path.Base(p.Rel)]; ok {
				return r
			}
			return len(rank) + 1
		}
		sort.SliceStable(pages, func(i, j int) bool {
			if a, b := order(pages[i]), order(pages[j]); a != b {
				return a < b
			}
			return pages[i].Rel < pages[j].Rel
		})
		s.nsPages[lang][ns] = pages
	}
	sort.Strings(s.nsOrder[lang])
	sort.Slice(s.topPages[lang], func(i, j int) bool { return s.topPages[lang][i].Rel < s.topPages[lang][j].Rel })
	if opi := s.pages[lang+"/"+opiPage]; opi != nil {
		for _, sec := range opi.Sections {
			r := region{Title: sec.Title, ID: sec.ID}
			for _, l := range sec.Links {
				if p, _, ok := local(l.Dest); ok && strings.HasSuffix(p, ".md") {
					r.Funcs = append(r.Funcs, navLink{Text: l.Text, Rel: path.Clean(p)})
				}
			}
			s.regions[lang] = append(s.regions[lang], r)
		}
	}
}

// parallel runs f(0..n-1) on every processor.
func parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// The page template's data.
type (
	view struct {
		Lang, Title, Description, Keywords string
		Root, LangRoot                     template.URL // relative: to the site's folder, to the language's
		Home                               string       // the language's home title
		Search, Nothing, Menu              string
		Alternates                         []alternate
		Crumbs                             []crumb
		OPI                                *navSection
		Namespaces                         navSection
		Other                              *navSection
		Content                            template.HTML
		Prev, Next                         *crumb
		PrevWord, NextWord                 string
		Source, SourceWord                 string
		Page                               string // the page's path under the language's folder
	}
	alternate struct {
		Lang, Name string
		Href       template.URL
	}
	crumb struct {
		Text string
		Href template.URL
	}
	navSection struct {
		Title string
		Href  template.URL
		Items []navItem
	}
	navItem struct {
		Text    string
		Href    template.URL
		Current bool
		Open    bool
		Items   []navItem
		Pages   template.URL // a namespace's script listing its pages (navScript)
	}
)

// render makes every file of the site: the pages, the search index, the assets and the root page.
func (s *site) render() (map[string][]byte, error) {
	files := map[string][]byte{}
	var mu sync.Mutex
	keys := slices.Sorted(maps.Keys(s.pages))
	errs := make([]error, len(keys))
	parallel(len(keys), func(i int) {
		p := s.pages[keys[i]]
		b, err := s.renderPage(p)
		if err != nil {
			errs[i] = fmt.Errorf("%s/%s: %w", p.Lang, p.Rel, err)
			return
		}
		mu.Lock()
		files[p.Lang+"/"+p.Out()] = b
		mu.Unlock()
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	idx, err := s.searchIndex()
	if err != nil {
		return nil, err
	}
	files["assets/search-index.js"] = idx
	for _, lang := range s.Langs {
		for _, ns := range s.nsOrder[lang] {
			var list [][2]string
			for _, q := range s.nsPages[lang][ns] {
				if path.Base(q.Rel) != "README.md" {
					list = append(list, [2]string{q.Out(), q.Title})
				}
			}
			b, err := json.Marshal(list)
			if err != nil {
				return nil, err
			}
			files[navScript(lang, ns)] = []byte(navPrefix + string(b) + indexSuffix)
		}
	}
	for _, name := range []string{"style.css", "site.js"} {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, err
		}
		files["assets/"+name] = b
	}
	var root bytes.Buffer
	var alts []alternate
	for _, lang := range s.Langs {
		alts = append(alts, alternate{Lang: lang, Name: word(lang, "name"), Href: template.URL(lang + "/index.html")})
	}
	title := ""
	if home := s.pages[s.Langs[0]+"/README.md"]; home != nil {
		title = home.Title
	}
	if err := pageTmpl.ExecuteTemplate(&root, "root.html", map[string]any{"Title": title, "Langs": alts}); err != nil {
		return nil, err
	}
	files["index.html"] = root.Bytes()
	files[marker] = []byte("A site built by cmd/docsite: a rebuild replaces everything here.\n")
	return files, nil
}

func (s *site) renderPage(p *page) ([]byte, error) {
	var content bytes.Buffer
	if err := md.Renderer().Render(&content, p.src, p.doc); err != nil {
		return nil, err
	}
	depth := strings.Count(p.Rel, "/")
	langRoot := strings.Repeat("../", depth)
	href := func(rel string) template.URL { return template.URL(langRoot + htmlPath(rel)) }
	v := view{
		Lang: p.Lang, Title: p.Title, Description: p.FM.Description, Keywords: strings.Join(p.FM.Keywords, ", "),
		Root: template.URL(langRoot + "../"), LangRoot: template.URL(langRoot),
		Search: word(p.Lang, "search"), Nothing: word(p.Lang, "nothing"), Menu: word(p.Lang, "menu"),
		Content: template.HTML(content.String()), PrevWord: word(p.Lang, "prev"), NextWord: word(p.Lang, "next"),
		Source: p.Lang + "/" + p.Rel, SourceWord: word(p.Lang, "source"), Page: p.Out(),
	}
	home := s.pages[p.Lang+"/README.md"]
	v.Home = p.Lang
	if home != nil {
		v.Home = home.Title
	}
	// Each language's version of the page, or its home when it has none.
	for _, lang := range s.Langs {
		if lang == p.Lang {
			continue
		}
		target := lang + "/index.html"
		if s.pages[lang+"/"+p.Rel] != nil {
			target = lang + "/" + p.Out()
		}
		v.Alternates = append(v.Alternates, alternate{Lang: lang, Name: word(lang, "name"), Href: template.URL(langRoot + "../" + target)})
	}
	// Breadcrumbs: home, the namespace, the page.
	if p.Rel != "README.md" {
		v.Crumbs = append(v.Crumbs, crumb{Text: v.Home, Href: href("README.md")})
		if p.NS != "" && path.Base(p.Rel) != "README.md" {
			if idx := s.pages[p.Lang+"/"+p.NS+"/README.md"]; idx != nil {
				v.Crumbs = append(v.Crumbs, crumb{Text: idx.Title, Href: href(p.NS + "/README.md")})
			}
		}
	}
	// The OPI regions; the ones the page belongs to list their functions.
	if opi := s.pages[p.Lang+"/"+opiPage]; opi != nil {
		sec := &navSection{Title: opi.Title, Href: href(opiPage)}
		for _, r := range s.regions[p.Lang] {
			it := navItem{Text: r.Title, Href: template.URL(string(href(opiPage)) + "#" + r.ID)}
			if slices.ContainsFunc(r.Funcs, func(f navLink) bool { return f.Rel == p.Rel }) {
				it.Open = true
				for _, f := range r.Funcs {
					it.Items = append(it.Items, navItem{Text: f.Text, Href: href(f.Rel), Current: f.Rel == p.Rel})
				}
			}
			sec.Items = append(sec.Items, it)
		}
		v.OPI = sec
	}
	// The namespaces; the page's own lists its pages.
	v.Namespaces = navSection{Title: word(p.Lang, "namespaces"), Href: href("README.md")}
	for _, ns := range s.nsOrder[p.Lang] {
		pages := s.nsPages[p.Lang][ns]
		text := ns
		if strings.HasPrefix(ns, "_") { // a folder of its own, such as the events': named in the page's language
			text = word(p.Lang, ns)
		}
		it := navItem{Text: text, Href: href(ns + "/README.md"), Current: p.Rel == ns+"/README.md"}
		if ns == p.NS {
			// Its list of pages is one script per namespace (a static list would repeat it on
			// each of its pages: crm's 432 would make 40 MB); without JavaScript the namespace's
			// index, the breadcrumbs and the pager lead there.
			it.Open = true
			it.Pages = template.URL(string(v.Root) + navScript(p.Lang, ns))
			for i, q := range pages {
				if q != p {
					continue
				}
				if i > 0 && path.Base(pages[i-1].Rel) != "README.md" {
					v.Prev = &crumb{Text: pages[i-1].Title, Href: href(pages[i-1].Rel)}
				}
				if i+1 < len(pages) {
					v.Next = &crumb{Text: pages[i+1].Title, Href: href(pages[i+1].Rel)}
				}
			}
		}
		v.Namespaces.Items = append(v.Namespaces.Items, it)
	}
	if top := s.topPages[p.Lang]; len(top) > 0 {
		v.Other = &navSection{Title: word(p.Lang, "other")}
		for _, q := range top {
			v.Other.Items = append(v.Other.Items, navItem{Text: q.Title, Href: href(q.Rel), Current: q == p})
		}
	}
	var b bytes.Buffer
	if err := pageTmpl.ExecuteTemplate(&b, "page.html", v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// indexEntry is one page of the search index: its path under each language's folder, and its
// title and description in each language of the index's Langs (empty where it has none), and
// the keywords of all its versions and the titles of the OPI regions its functions belong to.
type indexEntry struct {
	URL      string   `json:"u"`
	Titles   []string `json:"t"`
	Descs    []string `json:"d"`
	Keywords string   `json:"k,omitempty"`
}

// searchIndex is the JSON index site.js searches, one entry per page path, wrapped in a call so
// that a site opened from the disk (file://, where fetch is refused) loads it too.
func (s *site) searchIndex() ([]byte, error) {
	byRel := map[string]*indexEntry{}
	kw := map[string][]string{}
	// Words on most pages ("Bitrix24", "Go") find everything: they are left out.
	count := map[string]int{}
	for _, p := range s.pages {
		for _, k := range p.FM.Keywords {
			count[strings.ToLower(k)]++
		}
	}
	common := func(k string) bool { return count[strings.ToLower(k)]*4 > len(s.pages) }
	for _, key := range slices.Sorted(maps.Keys(s.pages)) {
		p := s.pages[key]
		e := byRel[p.Rel]
		if e == nil {
			e = &indexEntry{URL: p.Out(), Titles: make([]string, len(s.Langs)), Descs: make([]string, len(s.Langs))}
			byRel[p.Rel] = e
		}
		i := slices.Index(s.Langs, p.Lang)
		e.Titles[i] = p.Title
		e.Descs[i] = p.FM.Description
		for _, k := range p.FM.Keywords {
			if !common(k) && k != p.Title && !slices.Contains(kw[p.Rel], k) {
				kw[p.Rel] = append(kw[p.Rel], k)
			}
		}
	}
	// A function's page is found by its OPI region's title too.
	for _, lang := range s.Langs {
		for _, r := range s.regions[lang] {
			for _, f := range r.Funcs {
				if byRel[f.Rel] != nil && !slices.Contains(kw[f.Rel], r.Title) {
					kw[f.Rel] = append(kw[f.Rel], r.Title)
				}
			}
		}
	}
	entries := make([]*indexEntry, 0, len(byRel))
	for _, rel := range slices.Sorted(maps.Keys(byRel)) {
		e := byRel[rel]
		e.Keywords = strings.Join(kw[rel], " ")
		entries = append(entries, e)
	}
	b, err := json.Marshal(struct {
		Langs []string      `json:"langs"`
		Pages []*indexEntry `json:"pages"`
	}{s.Langs, entries})
	if err != nil {
		return nil, err
	}
	return append(append([]byte(indexPrefix), b...), indexSuffix...), nil
}

// navScript is the script that lists a namespace's pages (their paths under the language's folder
// and titles) for the navigation.
func navScript(lang, ns string) string { return "assets/nav/" + lang + "/" + ns + ".js" }

const (
	navPrefix   = "b24docsNav("
	indexPrefix = "b24docsIndex("
	indexSuffix = ");\n"
)

// write makes out hold exactly files (see outdir); out must be missing, empty or a site built before.
func write(out string, files map[string][]byte) (written, unchanged, deleted int, err error) {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(out, marker)); err != nil {
			return 0, 0, 0, fmt.Errorf("%s is not empty and not a site built by docsite (no %s): not touching it", out, marker)
		}
	}
	p, err := outdir.Compare(out, files, func(string) bool { return true })
	if err != nil {
		return 0, 0, 0, err
	}
	if err := outdir.Apply(out, files, p); err != nil {
		return 0, 0, 0, err
	}
	return len(p.New) + len(p.Changed), p.Unchanged, len(p.Stale), nil
}
