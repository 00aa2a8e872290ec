package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdx is what GitHub would show as raw text: Docusaurus' MDX (import/export lines, JSX
// components, {/* */} comments, className) and its ::: admonitions.
var mdx = regexp.MustCompile(`^(import|export) |<Tabs\b|<TabItem\b|</Tabs>|</TabItem>|^:::|\{/\*|className=`)

// TestPagesArePlainMarkdown scans the pages on disk (generated/docs, the golden cases' and
// examples/custom's): outside code blocks no line may be MDX, so that GitHub renders every page
// cleanly and the docs site needs no MDX compiler.
func TestPagesArePlainMarkdown(t *testing.T) {
	roots := []string{"../generated/docs", "../examples/custom/docs"}
	golden, _ := filepath.Glob("testdata/*/want/docs")
	pages := 0
	for _, root := range append(roots, golden...) {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
				return err
			}
			pages++
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<20)
			fence := ""
			for n := 1; sc.Scan(); n++ {
				line := sc.Text()
				trimmed := strings.TrimLeft(line, " >")
				switch {
				case fence != "":
					if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, "`~") == "" {
						fence = ""
					}
				case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
					fence = trimmed[:3]
				case mdx.MatchString(line):
					t.Errorf("%s:%d: MDX that GitHub shows as text: %s", path, n, line)
				}
			}
			if fence != "" {
				t.Errorf("%s: a code block is not closed", path)
			}
			return sc.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if pages < 3000 {
		t.Errorf("scanned %d pages; generated/docs alone has 3,000+", pages)
	}
}
