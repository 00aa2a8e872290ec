package importer

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// compoundEnds are the last words a compound wire name is split at: the words of the old APIs'
// one-case names (TASKID, BEGINDATE, COMMENTTEXT), which Go names write apart (TaskID). Ending in one
// of them is what tells a compound from an ordinary word such as WORKFLOW, which stays one word.
var compoundEnds = []string{"id", "ids", "date", "text", "data"}

// minCompoundWord is the shortest word a compound is split into before its end, so that "update"
// (up + date) or "paid" (pa + id) stay whole.
const minCompoundWord = 3

// compounds finds the wire names of s written as one word in one case that are words of the spec's
// other names followed by one of compoundEnds: taskid → task id, afteritemid → after item id. The
// words come from the names whose words are apart (TASK_ID, afterItem).
func compounds(s *spec.Spec) map[string][]string {
	vocab := map[string]bool{}
	var single []string
	eachName(s, func(name string) {
		ws := spec.Words(name)
		if len(ws) == 1 {
			single = append(single, ws[0])
			return
		}
		for _, w := range ws {
			if len(w) >= minCompoundWord && isLetters(w) {
				vocab[w] = true
			}
		}
	})
	out := map[string][]string{}
	for _, w := range single {
		if !isLetters(w) {
			continue
		}
		for _, end := range compoundEnds {
			head, ok := strings.CutSuffix(w, end)
			if !ok || len(head) < minCompoundWord {
				continue
			}
			if words := segment(head, vocab); words != nil {
				out[w] = append(words, end)
			}
		}
	}
	return out
}

// segment splits s into the fewest words of vocab, nil when it cannot.
func segment(s string, vocab map[string]bool) []string {
	best := make([][]string, len(s)+1) // best[i]: the fewest words spelling s[:i]
	best[0] = []string{}
	for i := range len(s) {
		if best[i] == nil {
			continue
		}
		for j := i + minCompoundWord; j <= len(s); j++ {
			if vocab[s[i:j]] && (best[j] == nil || len(best[i])+1 < len(best[j])) {
				best[j] = append(slices.Clone(best[i]), s[i:j])
			}
		}
	}
	return best[len(s)]
}

func isLetters(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return w != ""
}

// eachName calls f with every wire name of the spec: params, result keys and structure fields, nested
// ones too.
func eachName(s *spec.Spec, f func(string)) {
	var walk func([]*spec.Param)
	walk = func(ps []*spec.Param) {
		for _, p := range ps {
			f(p.Name)
			walk(p.Fields)
		}
	}
	for _, ns := range s.Namespaces {
		for _, m := range ns.Methods {
			walk(m.Params)
			if m.Result != nil {
				walk(m.Result.Fields)
			}
		}
		for _, t := range ns.Types {
			walk(t.Fields)
		}
	}
}

// writeWords writes the compounds of the spec tree at dir into its _words.yaml, and reports whether
// the file changed. A tree that does not load keeps its file: the reason is returned as a note, and
// the generator will report the tree's errors in full.
func writeWords(dir string) (int, bool, *Note, error) {
	s, err := spec.Load(dir)
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return 0, false, &Note{Item: spec.WordsFile, Text: "not rewritten: the spec does not load (" + first + ")"}, nil
	}
	found := compounds(s)
	var b bytes.Buffer
	b.WriteString("# Written by `go run ./generator import`: the wire names written as one word in one case, with the\n")
	b.WriteString("# words Go names split them into (TASKID → TaskID). A name is listed when it ends in one of the words\n")
	b.WriteString("# " + strings.Join(compoundEnds, ", ") + " after words the spec's other names use. To name one field otherwise, set its go_name.\n")
	b.WriteString("spec: 1\ncompounds:")
	if len(found) == 0 {
		b.WriteString(" []")
	}
	b.WriteString("\n")
	for _, name := range slices.Sorted(maps.Keys(found)) {
		fmt.Fprintf(&b, "  - {name: %s, words: %s}\n", name, strings.Join(found[name], " "))
	}
	path := filepath.Join(dir, spec.WordsFile)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b.Bytes()) {
		return len(found), false, nil, nil
	}
	return len(found), true, nil, os.WriteFile(path, b.Bytes(), 0o644)
}
