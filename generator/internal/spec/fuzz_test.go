package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseFile feeds arbitrary bytes to each kind of spec file: Load must report, never panic.
func FuzzParseFile(f *testing.F) {
	for _, rel := range []string{"im/im.dialog.unread.yaml", "im/_types.yaml", "im/_helpers.yaml", "crm/crm.deal.add.yaml", "task/task.commentitem.add.yaml"} {
		src, err := os.ReadFile(filepath.Join("testdata", "valid", filepath.FromSlash(rel)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, uint8(0))
		f.Add(src[:len(src)/2], uint8(1))
	}
	f.Add([]byte(head+"example: |\n  {\"result\": [1,\n"), uint8(0))
	f.Fuzz(func(t *testing.T, src []byte, kind uint8) {
		name := [...]string{"im/im.a.b.yaml", "im/_types.yaml", "im/_helpers.yaml"}[kind%3]
		fl := &file{path: name, rel: name, ns: "im", src: src}
		p := parseFile(fl)
		for _, e := range fl.errs {
			if e.Pos.File != name || e.Msg == "" {
				t.Fatalf("bad error %q at %v", e.Msg, e.Pos)
			}
		}
		crossCheck([]*parsed{p}, []string{"im"}, new(ErrorList))
	})
}
