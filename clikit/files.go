package clikit

import (
	"errors"
	"net/url"
	"path"
	"strings"
)

// embedFiles reads the files named "@path" at the option's file keys and puts them in the form each
// key takes; any other value there is sent as given (a pair or a base64 text written out).
func (p *Parser) embedFiles(v any, keys []FileKey) (any, error) {
	for _, k := range keys {
		var err error
		v, err = p.embedAt(v, strings.Split(k.Path, "."), k)
		var ve *ValueError
		if errors.As(err, &ve) {
			return nil, bad("%s: %s", k.Path, ve.Msg)
		}
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (p *Parser) embedAt(v any, keys []string, k FileKey) (any, error) {
	switch x := v.(type) {
	case []any:
		for i := range x {
			var err error
			if x[i], err = p.embedAt(x[i], keys, k); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		if len(keys) > 1 {
			inner, ok := x[keys[0]]
			if !ok {
				return v, nil
			}
			var err error
			x[keys[0]], err = p.embedAt(inner, keys[1:], k)
			return x, err
		}
		raw, ok := x[keys[0]]
		if !ok {
			return x, nil
		}
		val, err := p.fileValue(k.Type, raw)
		if err != nil {
			return nil, err
		}
		x[keys[0]] = val
		if _, named := x[k.Name]; k.Name != "" && !named && isAtPath(raw) {
			x[k.Name] = fileNameOf(raw.(string))
		}
	}
	return v, nil
}

// fileValue reads "@path" (or each "@path" of a list) as a file of type typ.
func (p *Parser) fileValue(typ string, v any) (any, error) {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		items, isList := v.([]any)
		if !isList && !isAtPath(v) {
			return v, nil
		}
		if !isList {
			items = []any{v}
		}
		out := make([]any, len(items))
		for i, it := range items {
			var err error
			if out[i], err = p.fileValue(elem, it); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if !isAtPath(v) {
		return v, nil
	}
	return p.Value(typ, "", v.(string))
}

// isAtPath reports a JSON value naming a file to read: a string "@path".
func isAtPath(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "@")
}

// fileNameOf is the name a file given as a path or a URL goes by: its last path element.
func fileNameOf(src string) string {
	src = strings.TrimPrefix(strings.TrimSpace(src), "@")
	if u, err := url.Parse(src); err == nil && isURL(src) {
		src = u.Path
	}
	return path.Base(strings.ReplaceAll(src, `\`, "/"))
}
