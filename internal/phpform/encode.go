package phpform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Encode writes a JSON object or array the way PHP's http_build_query does and parse_str reads back: fields[TITLE]=x, select[0]=ID; true/false as 1/0; null, [] and {}
// left out, since a query string cannot carry them.
// Object keys are sorted, so the encoding is deterministic.
func Encode(body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var parts []string
	switch t := v.(type) {
	case nil:
	case map[string]any, []any:
		phpPairs(&parts, "", t)
	default:
		return nil, fmt.Errorf("want a JSON object or array, got %s", body)
	}
	return []byte(strings.Join(parts, "&")), nil
}

func phpPairs(parts *[]string, prefix string, v any) {
	name := func(k string) string {
		if prefix == "" {
			return url.QueryEscape(k)
		}
		return prefix + "[" + url.QueryEscape(k) + "]"
	}
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			phpValue(parts, name(k), t[k])
		}
	case []any:
		for i, x := range t {
			phpValue(parts, name(strconv.Itoa(i)), x)
		}
	}
}

func phpValue(parts *[]string, key string, v any) {
	switch t := v.(type) {
	case nil:
	case map[string]any, []any:
		phpPairs(parts, key, t)
	case bool:
		if t {
			*parts = append(*parts, key+"=1")
		} else {
			*parts = append(*parts, key+"=0")
		}
	case json.Number:
		*parts = append(*parts, key+"="+t.String())
	case string:
		*parts = append(*parts, key+"="+url.QueryEscape(t))
	}
}
