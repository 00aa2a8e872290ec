// Package phpform reads and writes PHP's form encoding, the one Bitrix24 parses: nested keys in
// brackets (fields[TITLE]=x, select[]=ID), as parse_str and http_build_query handle them.
package phpform

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Decode turns PHP-style form or query keys into nested values the way PHP's parse_str does:
// fields[TITLE]=x → {"fields": {"TITLE": "x"}}, select[]=ID&select[]=NAME → {"select": ["ID", "NAME"]}.
// Maps whose keys are exactly 0..n-1 become slices.
func Decode(v url.Values) map[string]any {
	root := map[string]any{}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	// url.Values lost the order between keys; sort for determinism. Values under one key keep their order.
	sort.Strings(keys)
	for _, k := range keys {
		for _, val := range v[k] {
			SetPath(root, SplitKey(k), val)
		}
	}
	// The top level stays a map even for positional keys (0=…&1[…]=…): Params is a map.
	for k, c := range root {
		root[k] = Listify(c)
	}
	return root
}

// SplitKey splits "a[b][][c]" into ["a", "b", "", "c"]. A key with unbalanced brackets is taken as is
// after its first segment, close enough to PHP for these uses.
func SplitKey(k string) []string {
	i := strings.IndexByte(k, '[')
	if i <= 0 {
		return []string{k}
	}
	parts := []string{k[:i]}
	rest := k[i:]
	for len(rest) > 0 && rest[0] == '[' {
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			break
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	return parts
}

// SetPath sets val at path inside node, making the maps on the way; "" is PHP's next index.
func SetPath(node map[string]any, path []string, val any) {
	for i, p := range path {
		if p == "" {
			p = nextIndex(node)
		}
		if i == len(path)-1 {
			node[p] = val
			return
		}
		child, ok := node[p].(map[string]any)
		if !ok {
			child = map[string]any{}
			node[p] = child
		}
		node = child
	}
}

// nextIndex is PHP's next array key: one more than the largest integer key so far.
func nextIndex(m map[string]any) string {
	n := 0
	for k := range m {
		if i, err := strconv.Atoi(k); err == nil && i >= n {
			n = i + 1
		}
	}
	return strconv.Itoa(n)
}

// Listify turns maps whose keys are exactly 0..n-1 into slices, all the way down, as PHP arrays are.
func Listify(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, c := range m {
		m[k] = Listify(c)
	}
	if len(m) == 0 {
		return m
	}
	list := make([]any, len(m))
	for k, c := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(m) || strconv.Itoa(i) != k {
			return m
		}
		list[i] = c
	}
	return list
}
