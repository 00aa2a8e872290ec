package clikit

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DefaultFetchTimeout bounds the download of a file given as a URL.
const DefaultFetchTimeout = 60 * time.Second

// MaxFileSize bounds a file read from disk or fetched: Bitrix24 refuses far smaller requests anyway,
// and an unbounded download must not eat the memory.
const MaxFileSize = 100 << 20

// Parser turns option text into wire values. Its zero value works: files are read from disk and URLs
// fetched with a client that times out after DefaultFetchTimeout.
type Parser struct {
	Ctx        context.Context // bounds URL downloads; nil = context.Background()
	HTTPClient *http.Client    // for URLs; nil = a client with DefaultFetchTimeout
}

func (p *Parser) ctx() context.Context {
	if p == nil || p.Ctx == nil {
		return context.Background()
	}
	return p.Ctx
}

func (p *Parser) readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxFileSize>>20)
	}
	return data, nil
}

// unwrapPathErr drops the path from *fs.PathError: the caller already names the file.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// shownURL is a URL fit for an error message: scheme, host and path only, since a query string may
// hold a signature or a token.
func shownURL(u *url.URL) string { return u.Scheme + "://" + u.Host + u.EscapedPath() }

// Load reads a local file or downloads an http(s) URL and returns its name (the last path element)
// and content: what the base64 and file types send.
func (p *Parser) Load(src string) (name string, data []byte, err error) {
	name, r, err := p.Open(src, true)
	if err != nil {
		return "", nil, err
	}
	defer r.Close()
	data, err = io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	switch {
	case err != nil:
		return "", nil, bad("cannot read %s: %v", shownSource(src), unwrapPathErr(err))
	case len(data) > MaxFileSize:
		return "", nil, bad("cannot read %s: larger than %d MiB", shownSource(src), MaxFileSize>>20)
	}
	return name, data, nil
}

// shownSource is a file's path, or its URL without the query, for an error message.
func shownSource(src string) string {
	src = strings.TrimSpace(src)
	if u, err := url.Parse(src); err == nil && isURL(src) && !strings.HasPrefix(src, "@") {
		return shownURL(u)
	}
	return strings.TrimPrefix(src, "@")
}

// Open opens a local file, or starts downloading an http(s) URL, as a stream, with the name the
// file goes by (the last path element). An @ in front always means a path (curl's and gh's mark).
// A download is bounded by the parser's timeout when bounded is set, else only by its context: a
// large file streamed on takes as long as it takes.
func (p *Parser) Open(src string, bounded bool) (name string, r io.ReadCloser, err error) {
	src = strings.TrimSpace(src)
	at := strings.HasPrefix(src, "@")
	src = strings.TrimPrefix(src, "@")
	if src == "" {
		return "", nil, bad("expected a file path or an http(s) URL, got an empty value")
	}
	if at || !isURL(src) {
		f, err := os.Open(src)
		if err != nil {
			return "", nil, bad("cannot read file %s: %v", src, unwrapPathErr(err))
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return "", nil, bad("cannot read file %s: it is a folder", src)
		}
		return filepath.Base(src), f, nil
	}
	u, err := url.Parse(src)
	if err != nil || u.Host == "" {
		return "", nil, bad("expected a file path or an http(s) URL, got a malformed URL")
	}
	hc := &http.Client{Timeout: DefaultFetchTimeout}
	if p.HTTPClient != nil {
		hc = p.HTTPClient
	}
	if !bounded {
		hc = &http.Client{Transport: hc.Transport, CheckRedirect: hc.CheckRedirect, Jar: hc.Jar}
	}
	req, err := http.NewRequestWithContext(p.ctx(), http.MethodGet, u.String(), nil)
	if err != nil {
		return "", nil, bad("cannot fetch %s", shownURL(u))
	}
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error repeats the whole URL; keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", nil, bad("cannot fetch %s: %v", shownURL(u), err)
	}
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return "", nil, bad("cannot fetch %s: HTTP %d", shownURL(u), resp.StatusCode)
	}
	name = path.Base(u.Path)
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	if name == "" || name == "/" || name == "." {
		name = "file"
	}
	return name, resp.Body, nil
}

// Value parses the text of an option of spec type typ into the value sent on the wire; boolMode is
// Param.Bool. Errors are *ValueError without the option name (the caller adds it).
func (p *Parser) Value(typ, boolMode, text string) (any, error) {
	if one, list, ok := strings.Cut(typ, "|"); ok {
		return p.either(one, list, boolMode, text)
	}
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		return p.array(elem, boolMode, text)
	}
	if elem, ok := mapElem(typ); ok {
		obj, err := p.Object(text)
		if err != nil {
			return nil, err
		}
		return p.mapValues(elem, boolMode, obj)
	}
	if k, ok := kinds[typ]; ok {
		return p.scalar(k.kind, boolMode, text)
	}
	if isObjectType(typ) {
		return p.Object(text)
	}
	// A type this version does not know: pass the text through rather than refuse the call.
	return text, nil
}

// either parses "object|[]object", a structure the portal also takes in its short form (a list): a
// JSON array (inline or in a .json file) is the list, anything else the object.
func (p *Parser) either(one, list, boolMode, text string) (any, error) {
	t := strings.TrimSpace(text)
	isList := strings.HasPrefix(t, "[")
	if !isList && looksLikeJSONFile(t) {
		v, err := p.jsonValue(t)
		if err != nil {
			return nil, err
		}
		_, isList = v.([]any)
	}
	if isList {
		return p.Value(list, boolMode, text)
	}
	if !strings.HasPrefix(t, "{") && !looksLikeJSONFile(t) {
		return nil, bad("expected a JSON object like {'KEY':'value'}, a list of them or a path to a .json file, got %q", short(text))
	}
	return p.Value(one, boolMode, text)
}

// Object parses a JSON object given inline (single quotes allowed) or as a path to a .json file.
func (p *Parser) Object(text string) (map[string]any, error) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "{") && !looksLikeJSONFile(t) {
		return nil, bad("expected a JSON object like {'KEY':'value'} or a path to a .json file, got %q", short(text))
	}
	v, err := p.jsonValue(t)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, bad("expected a JSON object, got %s", kind(v))
	}
	return m, nil
}

// mapValues checks every value of a decoded map[string]T option against T (converting it as an array
// element is converted) and names the key of the first bad one. Keys are visited in sorted order so
// that the error is the same on every run.
func (p *Parser) mapValues(elem, boolMode string, obj map[string]any) (map[string]any, error) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]any, len(obj))
	for _, k := range keys {
		v, err := p.element(elem, boolMode, obj[k])
		if err != nil {
			var ve *ValueError
			if errors.As(err, &ve) {
				return nil, bad("key %q: %s", k, ve.Msg)
			}
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// names parses a list of field names: a JSON array (or a .json file), or names separated by commas.
func (p *Parser) names(text string) (any, error) {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "[") || looksLikeJSONFile(t) {
		return p.array("string", "", t)
	}
	var out []any
	for n := range strings.SplitSeq(t, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, bad("expected field names like ID,TITLE or a JSON array, got %q", short(text))
	}
	return out, nil
}

// array parses "['a','b']", JSON, a .json file or a single value (wrapped into an array, as OPI does);
// a list of files also takes OPI's map of names to paths or URLs.
// Elements are converted to the element type: "['1','2']" for []id sends [1,2].
func (p *Parser) array(elem, boolMode, text string) (any, error) {
	t := strings.TrimSpace(text)
	var items []any
	switch {
	case strings.HasPrefix(t, "[") || looksLikeJSONFile(t) || is(elem, kindFile) && strings.HasPrefix(t, "{"):
		v, err := p.jsonValue(t)
		if err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case []any:
			items = x
		case map[string]any:
			if is(elem, kindFile) {
				return p.namedFiles(x)
			}
			if !takesObject(elem) {
				return nil, bad("expected a JSON array, got an object")
			}
			items = []any{x}
		default:
			items = []any{x}
		}
	default:
		v, err := p.Value(elem, boolMode, text)
		if err != nil {
			return nil, err
		}
		return []any{v}, nil
	}
	out := make([]any, len(items))
	for i, it := range items {
		v, err := p.element(elem, boolMode, it)
		if err != nil {
			var ve *ValueError
			if errors.As(err, &ve) {
				return nil, bad("element %d: %s", i+1, ve.Msg)
			}
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// namedFiles reads OPI's files map, {"name.png": "path or URL"}, as [name, base64] pairs in name order.
func (p *Parser) namedFiles(m map[string]any) (any, error) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]any, 0, len(m))
	for _, name := range names {
		src, ok := m[name].(string)
		if !ok {
			return nil, bad("file %q: expected a path or URL, got %s", name, kind(m[name]))
		}
		_, data, err := p.Load(src)
		if err != nil {
			return nil, err
		}
		out = append(out, []any{name, base64.StdEncoding.EncodeToString(data)})
	}
	return out, nil
}

// element converts one decoded array element to the element type.
func (p *Parser) element(elem, boolMode string, v any) (any, error) {
	if me, ok := mapElem(elem); ok {
		m, ok := v.(map[string]any)
		if !ok {
			if v == nil {
				return nil, nil
			}
			return nil, bad("expected a JSON object, got %s", kind(v))
		}
		return p.mapValues(me, boolMode, m)
	}
	switch x := v.(type) {
	case string:
		if isObjectType(elem) {
			return nil, bad("expected a JSON object, got a string")
		}
		if is(elem, kindAny, kindString) {
			// Already decoded JSON: the OPI escapes are for plain arguments only.
			return x, nil
		}
		return p.Value(elem, boolMode, x)
	case map[string]any:
		if isObjectType(elem) || is(elem, kindAny) {
			return x, nil
		}
		return nil, bad("expected %s, got an object", Describe(elem))
	case []any:
		if strings.HasPrefix(elem, "[]") || is(elem, kindAny) {
			out := make([]any, len(x))
			for i, it := range x {
				c, err := p.element(strings.TrimPrefix(elem, "[]"), boolMode, it)
				if err != nil {
					return nil, err
				}
				out[i] = c
			}
			return out, nil
		}
		return nil, bad("expected %s, got an array", Describe(elem))
	case nil:
		return nil, nil
	default:
		// Numbers and booleans: check them through their text form.
		if is(elem, kindAny, kindString) {
			return x, nil
		}
		if isObjectType(elem) {
			return nil, bad("expected a JSON object, got %s", kind(x))
		}
		return p.Value(elem, boolMode, fmt.Sprint(x))
	}
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

// short keeps long option text out of one-line messages.
func short(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
