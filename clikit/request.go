package clikit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/internal/jsonobj"
)

// MethodParams builds the request of a method command from the options given (flag → text; options
// not given are absent). Every option is parsed by its spec type; a missing required option is an error.
// The result is a map, or for a positional method a list in parameter order.
func (p *Parser) MethodParams(m *Method, given map[string]string) (any, error) {
	if err := unknownOptions(given, func(flag string) bool {
		for _, prm := range m.Params {
			if prm.Flag == flag {
				return true
			}
		}
		return false
	}); err != nil {
		return nil, err
	}
	params := map[string]any{}
	for _, prm := range m.Params {
		text, ok := given[prm.Flag]
		if !ok {
			if prm.Required {
				return nil, missing(prm.Flag, prm.Type)
			}
			continue
		}
		var v any
		var err error
		if prm.Names {
			v, err = p.names(text)
		} else {
			v, err = p.Value(prm.Type, prm.Bool, text)
		}
		if err == nil && len(prm.Files) > 0 {
			v, err = p.embedFiles(v, prm.Files)
		}
		if err != nil {
			return nil, withFlag(prm.Flag, err)
		}
		if err := checkEnum(prm.Flag, prm.Enum, v); err != nil {
			return nil, err
		}
		params[prm.Wire] = v
	}
	// a file's content given apart from its name: the path names it unless the name is given
	for _, prm := range m.Params {
		if _, named := given[prm.FileName]; prm.FileName != "" && !named && given[prm.Flag] != "" {
			for _, n := range m.Params {
				if n.Flag == prm.FileName {
					params[n.Wire] = fileNameOf(given[prm.Flag])
				}
			}
		}
	}
	for _, prm := range m.Params {
		if len(prm.OneOf) == 0 || prm.OneOf[0] != prm.Flag {
			continue
		}
		if !slices.ContainsFunc(prm.OneOf, func(f string) bool { _, ok := given[f]; return ok }) {
			return nil, &ValueError{Flag: prm.Flag, Msg: "required option missing: give it or --" + strings.Join(prm.OneOf[1:], " or --") + " (one of them)"}
		}
	}
	if m.Positional {
		return positional(m.Params, params), nil
	}
	return params, nil
}

// positional lists the values in parameter order: an option not given in the middle is null (the server
// reads parameters by index), and the ones missing at the end are left out.
func positional(prms []Param, values map[string]any) []any {
	list := make([]any, len(prms))
	n := 0
	for i, prm := range prms {
		if v, ok := values[prm.Wire]; ok {
			list[i], n = v, i+1
		}
	}
	return list[:n]
}

// OPIParams builds the request of an OPI function that calls a method: options fill their fields, a
// Spread option merges its object into the top level, and the Fixed fields come last and win. The
// options giving the file of a two-step upload fill none (the caller streams the file): they are
// only checked to be given when required.
func (p *Parser) OPIParams(f *OPIFunc, given map[string]string) (map[string]any, error) {
	if f.Method == "" {
		return nil, fmt.Errorf("%s is a helper: it sends no request", f.EN)
	}
	if err := unknownOptions(given, f.hasOption); err != nil {
		return nil, err
	}
	params := map[string]any{}
	for _, o := range f.Options {
		text, ok := given[o.Flag]
		switch {
		case ok:
		case o.Default != "":
			text = o.Default
		case o.Required:
			return nil, missing(o.Flag, optionType(o))
		default:
			continue
		}
		if o.Upload != "" {
			continue
		}
		if o.Invert {
			b, err := ParseBool(text)
			if err != nil {
				return nil, withFlag(o.Flag, err)
			}
			text = strconv.FormatBool(!b)
		}
		if o.Spread {
			obj, err := p.Object(text)
			if err != nil {
				return nil, withFlag(o.Flag, err)
			}
			for k, v := range obj {
				if o.Keys != nil && !slices.Contains(o.Keys, k) {
					continue
				}
				if _, isList := v.([]any); slices.Contains(o.Lists, k) && !isList {
					v = []any{v}
				}
				params[k] = v
			}
			continue
		}
		v, err := p.Value(o.Type, o.Bool, text)
		if err != nil {
			return nil, withFlag(o.Flag, err)
		}
		if o.Key != "" {
			obj, _ := params[o.Wire].(map[string]any)
			if obj == nil {
				obj = map[string]any{}
				params[o.Wire] = obj
			}
			obj[o.Key] = v
			continue
		}
		params[o.Wire] = v
	}
	for _, fx := range f.Fixed {
		params[fx.Key] = fx.Value
	}
	return params, nil
}

func (f *OPIFunc) hasOption(flag string) bool {
	for _, o := range f.Options {
		if o.Flag == flag {
			return true
		}
	}
	return false
}

// optionType is the type an option's text is parsed as; a spread option always takes an object.
func optionType(o Option) string {
	if o.Spread {
		return Object
	}
	return o.Type
}

func missing(flag, typ string) error {
	return &ValueError{Flag: flag, Msg: "required option missing; expected " + Describe(typ)}
}

func unknownOptions(given map[string]string, known func(string) bool) error {
	var unknown []string
	for k := range given {
		if !known(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return &ValueError{Flag: unknown[0], Msg: "unknown option"}
}

// checkEnum refuses a value outside the spec's list; the list is of strings, so compare the text.
func checkEnum(flag string, enum []string, v any) error {
	if len(enum) == 0 {
		return nil
	}
	if _, ok := v.(map[string]any); ok {
		// An enum lists scalar values; a map's keys and values are not what it constrains.
		return nil
	}
	vals := []any{v}
	if arr, ok := v.([]any); ok {
		vals = arr
	}
	for _, x := range vals {
		s := fmt.Sprint(x)
		found := false
		for _, e := range enum {
			if e == s {
				found = true
				break
			}
		}
		if !found {
			return &ValueError{Flag: flag, Msg: fmt.Sprintf("expected one of %s, got %q", strings.Join(enum, ", "), s)}
		}
	}
	return nil
}

// Helper runs an OPI helper: it fills the template's "$flag" placeholders with the typed option values
// (an unset optional option leaves ""), empties every value when the Clear option is true, and returns
// the result as JSON indented with two spaces, keys in the template's order.
//
// A string that is exactly "$flag" takes the typed value (a number stays a number); a placeholder
// inside a longer string ("https://$domain/...") is replaced by the value's text.
// Emptying follows OPI: every scalar becomes "", objects keep their keys, arrays become empty.
func (p *Parser) Helper(f *OPIFunc, given map[string]string) ([]byte, error) {
	if err := unknownOptions(given, f.hasOption); err != nil {
		return nil, err
	}
	vals := map[string]any{}
	clear := false
	for _, o := range f.Options {
		text, ok := given[o.Flag]
		if !ok {
			if o.Required {
				return nil, missing(o.Flag, optionType(o))
			}
			vals[o.Flag] = ""
			continue
		}
		if o.Flag == f.Clear {
			b, err := ParseBool(text)
			if err != nil {
				return nil, withFlag(o.Flag, err)
			}
			clear = b
			continue
		}
		typ := optionType(o)
		v, err := p.Value(typ, o.Bool, text)
		if err != nil {
			return nil, withFlag(o.Flag, err)
		}
		vals[o.Flag] = v
	}
	dec := json.NewDecoder(strings.NewReader(f.Template))
	dec.UseNumber()
	tree, err := decodeOrdered(dec)
	if err != nil {
		return nil, fmt.Errorf("%s: template is not valid JSON: %v", f.EN, err)
	}
	flags := make([]string, 0, len(vals))
	for k := range vals {
		flags = append(flags, k)
	}
	// Longest first, so that $url never eats the start of $urlpath.
	sort.Slice(flags, func(i, j int) bool {
		if len(flags[i]) != len(flags[j]) {
			return len(flags[i]) > len(flags[j])
		}
		return flags[i] < flags[j]
	})
	tree = substitute(tree, vals, flags)
	if clear {
		tree = emptied(tree)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tree); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected text after the value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := jsonobj.Ordered{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return o, nil
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return arr, nil
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

func substitute(v any, vals map[string]any, flags []string) any {
	switch x := v.(type) {
	case jsonobj.Ordered:
		for i := range x {
			x[i].Value = substitute(x[i].Value, vals, flags)
		}
		return x
	case []any:
		for i := range x {
			x[i] = substitute(x[i], vals, flags)
		}
		return x
	case string:
		if val, ok := vals[strings.TrimPrefix(x, "$")]; ok && strings.HasPrefix(x, "$") {
			return val
		}
		if !strings.Contains(x, "$") {
			return x
		}
		for _, f := range flags {
			x = strings.ReplaceAll(x, "$"+f, textOf(vals[f]))
		}
		return x
	}
	return v
}

func textOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := jsonobj.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func emptied(v any) any {
	switch x := v.(type) {
	case jsonobj.Ordered:
		for i := range x {
			x[i].Value = emptied(x[i].Value)
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = emptied(x[k])
		}
		return x
	case []any:
		return []any{}
	}
	return ""
}
