package command

import (
	"sort"
	"strings"
)

// maxSuggestions bounds the "did you mean" list of an unknown command.
const maxSuggestions = 3

// suggest returns up to maxSuggestions method or namespace names close to name: the nearest by edit
// distance (ignoring case) within a bound that grows with the length of the name; failing that, the
// methods that name is the start of (crm.deal → crm.deal.add, …). A linear scan of the stubs costs
// well under a millisecond at 1,500 methods, and runs only on the error path.
func (c Catalog) suggest(name string) []string {
	stubs := c.stubs()
	low := strings.ToLower(name)
	// One typo per 8 characters, at least one: "imm" must not suggest "crm".
	limit := 1 + len(low)/8
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	seen := map[string]bool{}
	consider := func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		if d := editDistance(low, strings.ToLower(n), limit); d <= limit {
			cands = append(cands, cand{n, d})
		}
	}
	for _, s := range stubs {
		consider(s.Name)
		consider(s.Namespace)
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for _, x := range cands {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, x.name)
	}
	if len(out) > 0 {
		return out
	}
	prefix := strings.TrimSuffix(low, ".") + "."
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

// editDistance is the Levenshtein distance of a and b (bytes; method names are ASCII), or limit+1 as
// soon as it is sure to exceed limit.
func editDistance(a, b string, limit int) int {
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
