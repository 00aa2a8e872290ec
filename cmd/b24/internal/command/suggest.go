package command

import (
	"sort"
	"strings"
	"unicode"
)

// maxSuggestions bounds the "did you mean" list of an unknown command.
const maxSuggestions = 3

// suggest returns up to maxSuggestions method or namespace names close to name: the nearest (see
// nearest); failing that, the methods that name is the start of (crm.deal → crm.deal.add, …). A
// linear scan of the stubs costs well under a millisecond at 1,500 methods, and runs only on the
// error path.
func (c Catalog) suggest(name string) []string {
	stubs := c.stubs()
	var names []string
	for _, s := range stubs {
		names = append(names, s.Name, s.Namespace)
	}
	if out := nearest(name, names); len(out) > 0 {
		return out
	}
	var out []string
	prefix := strings.TrimSuffix(strings.ToLower(name), ".") + "."
	for _, s := range stubs {
		if strings.HasPrefix(strings.ToLower(s.Name), prefix) {
			out = append(out, s.Name)
			if len(out) == maxSuggestions {
				break
			}
		}
	}
	return out
}

// suggestOPI returns up to maxSuggestions OpenIntegrations functions close to name, in its language:
// Russian names for a name in Cyrillic (ОтметитьСообщениеКакНепрочитаное), English ones otherwise.
func (c Catalog) suggestOPI(name string) []string {
	cyrillic := strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
	var names []string
	for _, f := range c.opi() {
		if cyrillic {
			names = append(names, f.RU)
		} else {
			names = append(names, f.EN)
		}
	}
	return nearest(name, names)
}

// nearest returns up to maxSuggestions of names nearest to name by edit distance (ignoring case),
// within a bound that grows with the length of the name: one typo per 8 characters, at least one
// ("imm" must not suggest "crm").
func nearest(name string, names []string) []string {
	low := []rune(strings.ToLower(name))
	limit := 1 + len(low)/8
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		if d := editDistance(low, []rune(strings.ToLower(n)), limit); d <= limit {
			cands = append(cands, cand{n, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for _, x := range cands[:min(len(cands), maxSuggestions)] {
		out = append(out, x.name)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, in characters, or limit+1 as soon as it is
// sure to exceed limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
