package main

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"

	"github.com/b24gen/b24gen/internal/mdanchor"
)

// md parses and renders GitHub-flavoured Markdown: tables, strikethrough, autolinks, task lists.
// Raw HTML passes through (<details>, <br/>): the pages are the generator's, not a visitor's.
// Heading ids, GitHub alerts and links are handled by prepare, so that they work as on GitHub.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// frontMatter is what a page's YAML front matter says.
type frontMatter struct {
	Description string   `yaml:"description"`
	Keywords    []string `yaml:"keywords"`
}

// splitFrontMatter cuts the leading "---" block off a page.
func splitFrontMatter(src []byte) (frontMatter, []byte, error) {
	var fm frontMatter
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return fm, src, nil
	}
	head, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return fm, src, fmt.Errorf("front matter has no closing ---")
	}
	if err := yaml.Unmarshal(head, &fm); err != nil {
		return fm, src, fmt.Errorf("front matter: %w", err)
	}
	return fm, body, nil
}

// link is a Markdown link of a page as written: its destination and text.
type link struct{ Dest, Text string }

// section is a level-2 heading and the links under it, up to the next one.
type section struct {
	Title, ID string
	Links     []link
}

// parsed is what prepare found in a page.
type parsed struct {
	Title    string    // the first level-1 heading, as text
	Links    []link    // every link, in order, before .md became .html
	Sections []section // the level-2 headings with their links
}

// alertLabels are the titles of GitHub's alerts (> [!TIP]) in each language.
var alertLabels = map[string]map[string]string{
	"en": {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution"},
	"ru": {"NOTE": "Примечание", "TIP": "Совет", "IMPORTANT": "Важно", "WARNING": "Внимание", "CAUTION": "Осторожно"},
}

// prepare makes a parsed page render as GitHub shows it: headings get GitHub's ids, alerts
// become titled boxes, HTML comments (the generated notice) are dropped and links to other pages
// (x.md, dir/README.md) point at their HTML (x.html, dir/index.html). It reports the title and
// the links as written.
func prepare(doc ast.Node, src []byte, lang string) parsed {
	var p parsed
	ids := map[string]int{}
	var drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			t := plainText(n, src)
			id := uniqueID(ids, mdanchor.Of(t))
			n.SetAttributeString("id", []byte(id))
			if n.Level == 1 && p.Title == "" {
				p.Title = t
			}
			if n.Level == 2 {
				p.Sections = append(p.Sections, section{Title: t, ID: id})
			}
		case *ast.HTMLBlock:
			if n.HTMLBlockType == ast.HTMLBlockType2 { // <!-- … -->
				drop = append(drop, n)
			}
		case *ast.Blockquote:
			alert(n, src, lang)
		case *ast.CodeSpan:
			// a CLI option or a name in running text stays on one line (--message, crm.deal.add)
			if t := plainText(n, src); len(t) <= 48 && !strings.ContainsAny(t, " \t") {
				n.SetAttributeString("class", []byte("nw"))
			}
		case *ast.Link:
			l := link{Dest: string(n.Destination), Text: plainText(n, src)}
			p.Links = append(p.Links, l)
			if len(p.Sections) > 0 {
				s := &p.Sections[len(p.Sections)-1]
				s.Links = append(s.Links, l)
			}
			n.Destination = []byte(htmlLink(l.Dest))
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	return p
}

// local splits a link to another page of the tree into its path and fragment; ok is false for
// links elsewhere (a scheme, a host, an absolute path) and for same-page anchors.
func local(dest string) (p, frag string, ok bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") || u.Path == "" {
		return "", "", false
	}
	return u.Path, u.Fragment, true
}

// htmlLink is a link's destination in the site: x.md is x.html and README.md is the folder's
// index.html; anything else stays.
func htmlLink(dest string) string {
	p, frag, ok := local(dest)
	if !ok || !strings.HasSuffix(p, ".md") {
		return dest
	}
	p = htmlPath(p)
	if frag != "" {
		p += "#" + frag
	}
	return p
}

// htmlPath is the output path of a page path: README.md is index.html.
func htmlPath(p string) string {
	dir, file := path.Split(p)
	if file == "README.md" {
		return dir + "index.html"
	}
	return dir + strings.TrimSuffix(file, ".md") + ".html"
}

// alert turns a GitHub alert (a blockquote whose first line is [!TIP], [!WARNING], …) into a
// blockquote of class "alert alert-tip" headed by the alert's title in the page's language.
func alert(bq *ast.Blockquote, src []byte, lang string) {
	para, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return
	}
	first := para.Lines().At(0)
	line := strings.TrimSpace(string(first.Value(src)))
	kind, ok := strings.CutPrefix(line, "[!")
	if !ok || !strings.HasSuffix(kind, "]") {
		return
	}
	kind = strings.ToUpper(strings.TrimSuffix(kind, "]"))
	label := alertLabels["en"][kind]
	if label == "" {
		return
	}
	if l := alertLabels[lang][kind]; l != "" {
		label = l
	}
	// The marker's inline nodes lie on the first line; the rest of the paragraph is the text.
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, isText := c.(*ast.Text)
		if !isText || t.Segment.Start >= first.Stop {
			break
		}
		para.RemoveChild(para, c)
		c = next
	}
	if para.ChildCount() == 0 {
		bq.RemoveChild(bq, para)
	}
	title := ast.NewParagraph()
	title.SetAttributeString("class", []byte("alert-title"))
	title.AppendChild(title, ast.NewString([]byte(label)))
	bq.InsertBefore(bq, bq.FirstChild(), title)
	bq.SetAttributeString("class", []byte("alert alert-"+strings.ToLower(kind)))
}

// plainText is a node's text as a reader sees it: code spans and link texts included, markup and
// raw HTML left out.
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(c.Value)
		case *ast.AutoLink:
			sb.Write(c.URL(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(sb.String())
}

// uniqueID numbers a repeated id as GitHub does: x, x-1, x-2.
func uniqueID(seen map[string]int, id string) string {
	if id == "" {
		id = "section"
	}
	n, dup := seen[id]
	seen[id] = n + 1
	if !dup {
		return id
	}
	for i := n; ; i++ {
		c := fmt.Sprintf("%s-%d", id, i)
		if _, taken := seen[c]; !taken {
			seen[c] = 1
			seen[id] = i + 1
			return c
		}
	}
}

// parse reads a page: front matter, then the Markdown, prepared.
func parse(src []byte, lang string) (frontMatter, ast.Node, []byte, parsed, error) {
	fm, body, err := splitFrontMatter(src)
	if err != nil {
		return fm, nil, nil, parsed{}, err
	}
	doc := md.Parser().Parse(text.NewReader(body))
	p := prepare(doc, body, lang)
	return fm, doc, body, p, nil
}
