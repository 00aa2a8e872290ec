package examplecheck

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// Ignore in a wanted value (see Expected) matches anything that arrived at its place, or nothing.
type Ignore struct{}

// Expected decodes an example's params for Diff, numbers as json.Number and placeholder strings
// (IsPlaceholder) replaced by Ignore: Fill leaves them aside, so whatever arrives there is not compared.
func Expected(params json.RawMessage) (any, error) {
	v, err := decodeJSON(params)
	if err != nil {
		return nil, err
	}
	return markAside(v), nil
}

func markAside(v any) any {
	switch t := v.(type) {
	case string:
		if IsPlaceholder(t) {
			return Ignore{}
		}
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = markAside(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = markAside(x)
		}
		return out
	}
	return v
}

// Diff compares what an example sent (want, as from Expected) with what arrived (got, the decoded
// request body) leaf by leaf and returns one line per difference:
//
//	lost fields.TITLE                       a key of want did not arrive
//	added fields.RATE = 0                   a key arrived that want does not have
//	changed id: "65e5a449e8f135.21284909" → 65
//	renamed productId → PRODUCT_ID          a lost and an added key of one object that differ only in
//	                                        case and '_' (their values are then compared)
//
// Values are equal as PHP would see them after the portal's JSON decoding: identical JSON; a number and
// a string with the same numeric value (5 and "5", 5 and "5.0"; not "05"); numbers of equal value (1.50
// and 1.5); a boolean or "Y"/"N" against true/false, "Y"/"N", 1/0 or "1"/"0" of the same truth value;
// [] and {}; an array and an object whose keys are "0".."n-1". Values other than decoded JSON (any,
// map[string]any, []any, string, json.Number, bool, nil) are normalized through encoding/json first.
func Diff(want, got any) []string {
	var d differ
	d.diff("", normalize(want), normalize(got))
	return d.out
}

// DiffWire is Diff for a value that must come back in its wire form: a number stays a number, a
// boolean a boolean and "Y"/"N" the same letter, where Diff takes them for PHP's equal of another
// form. A numeric string may still come back as the number ("5" → 5): an ID type keeps the value.
func DiffWire(want, got any) []string {
	d := differ{wire: true}
	d.diff("", normalize(want), normalize(got))
	return d.out
}

type differ struct {
	out  []string
	wire bool
}

func (d *differ) addf(format string, args ...any) {
	d.out = append(d.out, fmt.Sprintf(format, args...))
}

func (d *differ) diff(path string, w, g any) {
	if _, ok := w.(Ignore); ok {
		return
	}
	switch wv := w.(type) {
	case map[string]any:
		switch gv := g.(type) {
		case map[string]any:
			d.object(path, wv, gv)
			return
		case []any:
			if l, ok := asList(wv); ok {
				d.array(path, l, gv)
				return
			}
		}
	case []any:
		switch gv := g.(type) {
		case []any:
			d.array(path, wv, gv)
			return
		case map[string]any:
			if l, ok := asList(gv); ok {
				d.array(path, wv, l)
				return
			}
		}
	default:
		if scalarEqual(w, g) && (!d.wire || sameWireForm(w, g)) {
			return
		}
	}
	d.addf("changed %s: %s → %s", showPath(path), text(w), text(g))
}

func (d *differ) object(path string, w, g map[string]any) {
	var lost, added []string
	for _, k := range sortedKeys(w) {
		gv, ok := g[k]
		if !ok {
			if _, ign := w[k].(Ignore); !ign {
				lost = append(lost, k)
			}
			continue
		}
		d.diff(joinKey(path, k), w[k], gv)
	}
	for _, k := range sortedKeys(g) {
		if _, ok := w[k]; !ok {
			added = append(added, k)
		}
	}
	used := map[string]bool{}
	for _, k := range lost {
		renamed := ""
		for _, a := range added {
			if !used[a] && foldName(a) == foldName(k) {
				renamed = a
				break
			}
		}
		if renamed == "" {
			d.addf("lost %s", joinKey(path, k))
			continue
		}
		used[renamed] = true
		d.addf("renamed %s → %s", joinKey(path, k), renamed)
		d.diff(joinKey(path, renamed), w[k], g[renamed])
	}
	for _, k := range added {
		if !used[k] {
			d.addf("added %s = %s", joinKey(path, k), text(g[k]))
		}
	}
}

func (d *differ) array(path string, w, g []any) {
	for i := range max(len(w), len(g)) {
		p := joinIndex(path, i)
		switch {
		case i >= len(g):
			if _, ign := w[i].(Ignore); !ign {
				d.addf("lost %s", p)
			}
		case i >= len(w):
			d.addf("added %s = %s", p, text(g[i]))
		default:
			d.diff(p, w[i], g[i])
		}
	}
}

// foldName is a key without case and separators, to recognise productId arriving as PRODUCT_ID.
func foldName(k string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k))
}

// asList is an object whose keys are exactly "0".."n-1" as the array PHP sees in it ({} is []).
func asList(m map[string]any) ([]any, bool) {
	l := make([]any, len(m))
	for i := range l {
		v, ok := m[fmt.Sprint(i)]
		if !ok {
			return nil, false
		}
		l[i] = v
	}
	return l, true
}

// numberText is a JSON number; a numeric string compares equal to a number only in this form, so that
// "05" (a code, a postcode) is not taken for 5.
var numberText = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)

func scalarEqual(w, g any) bool {
	switch a := w.(type) {
	case nil:
		return g == nil
	case string:
		if b, ok := g.(string); ok {
			return a == b
		}
	case json.Number:
		if b, ok := g.(json.Number); ok {
			return a == b || numEqual(string(a), string(b))
		}
	case bool:
		if b, ok := g.(bool); ok {
			return a == b
		}
	default:
		return false // a container against a scalar
	}
	if g == nil {
		return false
	}
	if yesNoOrBool(w) || yesNoOrBool(g) {
		tw, ok1 := truth(w)
		tg, ok2 := truth(g)
		return ok1 && ok2 && tw == tg
	}
	nw, ok1 := numeric(w)
	ng, ok2 := numeric(g)
	return ok1 && ok2 && numEqual(nw, ng)
}

// sameWireForm reports whether got keeps the form of want where the form is the value: a number, a
// boolean, "Y" or "N".
func sameWireForm(w, g any) bool {
	switch a := w.(type) {
	case json.Number:
		_, ok := g.(json.Number)
		return ok
	case bool:
		_, ok := g.(bool)
		return ok
	case string:
		if a == "Y" || a == "N" {
			return g == w
		}
	}
	return true
}

func yesNoOrBool(v any) bool {
	switch t := v.(type) {
	case bool:
		return true
	case string:
		return t == "Y" || t == "N"
	}
	return false
}

// truth is the boolean a value stands for among true/false, "Y"/"N", 1/0 and "1"/"0".
func truth(v any) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		switch t {
		case "Y", "1":
			return true, true
		case "N", "0":
			return false, true
		}
	case json.Number:
		switch {
		case numEqual(string(t), "1"):
			return true, true
		case numEqual(string(t), "0"):
			return false, true
		}
	}
	return false, false
}

func numeric(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return string(t), true
	case string:
		return t, numberText.MatchString(t)
	}
	return "", false
}

func numEqual(a, b string) bool {
	if a == b {
		return true
	}
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

// normalize turns v into decoded JSON (maps, slices, strings, json.Number, bools, nil), keeping Ignore.
func normalize(v any) any {
	switch t := v.(type) {
	case nil, string, json.Number, bool, Ignore:
		return v
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalize(x)
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(%T does not marshal: %v)", v, err)
	}
	n, err := decodeJSON(b)
	if err != nil {
		return fmt.Sprintf("(%T: %v)", v, err)
	}
	return n
}
