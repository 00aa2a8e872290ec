package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/token"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var (
	reMethod = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$`)
	// a leading digit would make the derived Go and CLI names awkward; an all-digit name is
	// still allowed for the keys Bitrix24 really numbers ("0", "1").
	reParam     = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)$`)
	reCLI       = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	reTypeName  = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	reNamespace = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// OPI names are typed as one shell word after "b24 bitrix24", in Latin or Cyrillic.
	reOPIName = regexp.MustCompile(`^[\p{L}\p{N}_]+$`)
)

// Rules as shown in messages, so that a fix does not need a look at the code.
const (
	ruleMethod    = "a wire name is one or more dot-separated segments of letters, digits and _, the first starting with a letter (im.dialog.unread, profile)"
	ruleParam     = "a wire name is letters, digits and _ only, starting with a letter or _ unless it is all digits (write FIELDS[TITLE] as a param FIELDS with \"fields\" or a structure type)"
	ruleCLI       = "a CLI option is lower-case letters, digits and -, starting with a letter or digit, without the leading dashes"
	ruleGoName    = "a Go name is an exported Go identifier (DialogID)"
	ruleTypeName  = "a structure name is a capital letter followed by letters and digits (AttachBlock)"
	ruleNamespace = "a namespace folder is lower-case letters, digits and _, starting with a letter"
	ruleOPIName   = "an OPI name is letters, digits and _ only"
)

// reLink finds the targets a text would link to once printed as Markdown or HTML: [text](target),
// <scheme:target> and href="target".
var reLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>|(?i:href)\s*=\s*["']?([^"'\s>]+)`)

func linkTargets(s string) []string {
	var out []string
	for _, m := range reLink.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+m[2]+m[3])
	}
	return out
}

// checkURL says why u may not be printed as a link, "" when it may: an https:// address with a host,
// or http:// to a loopback host. Anything else (javascript:, data:, a relative path) could run or
// point somewhere in the pages the spec becomes.
func checkURL(u string) string {
	p, err := url.Parse(u)
	switch {
	case err != nil || p.Host == "" || p.User != nil:
		return "want an absolute https:// address"
	case p.Scheme == "https":
		return ""
	case p.Scheme == "http" && (p.Hostname() == "localhost" || net.ParseIP(p.Hostname()).IsLoopback()):
		return ""
	}
	return "want https:// (http:// only for a loopback host)"
}

func isGoName(s string) bool {
	return token.IsIdentifier(s) && token.IsExported(s)
}

// Words splits a wire name into lower-case words at "_", "-", "." and " " and at case changes:
// "DIALOG_ID" → dialog id, "fileContent" → file content, "HTMLText" → html text, "v2" → v2.
// The default CLI options and the Go names both start from it.
func Words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ':
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// Kebab is the default CLI option of a wire name: its words joined by "-" ("DIALOG_ID" → "dialog-id").
func Kebab(s string) string { return strings.Join(Words(s), "-") }

// baseTypes are the type names of spec/README.md's Types table.
var baseTypes = map[string]bool{
	"string": true, "integer": true, "number": true, "boolean": true, "id": true, "dialog_id": true,
	"date": true, "datetime": true, "object": true, "any": true, "base64": true, "file": true, "file_data": true, "lang": true,
}

// typeRef is a use of a named structure, resolved once every _types.yaml is read.
type typeRef struct {
	pos  Pos
	name string
	what string // "type", "result" ... for the message
}

// checkType validates a type expression ([]T and map[string]T nest freely around a base type or
// a structure name) and records the structure it names, if any.
func (f *file) checkType(n *yaml.Node, expr string, refs *[]typeRef, what string) {
	base := expr
	for {
		if rest, ok := strings.CutPrefix(base, "[]"); ok {
			base = rest
		} else if rest, ok := strings.CutPrefix(base, "map[string]"); ok {
			base = rest
		} else {
			break
		}
	}
	switch {
	case baseTypes[base]:
	case reTypeName.MatchString(base):
		*refs = append(*refs, typeRef{pos: f.pos(n), name: base, what: what})
	default:
		f.errf(n, "unknown type %q: use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of %s/_types.yaml", expr, f.ns)
	}
}

// checkJSON reports text that is not JSON at the line and column inside the YAML file
// where the JSON parser stopped, when the scalar style lets us map it back.
func (f *file) checkJSON(n *yaml.Node, key string) (any, bool) {
	var v any
	if err := json.Unmarshal([]byte(n.Value), &v); err != nil {
		f.jsonErr(n, key, err)
		return nil, false
	}
	return v, true
}

// checkEnvelope checks that an example is a whole response, a JSON object with "result".
// Examples are the biggest values of the spec, so only the top level is decoded.
func (f *file) checkEnvelope(n *yaml.Node, key string) {
	var top map[string]json.RawMessage
	err := json.Unmarshal([]byte(n.Value), &top)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) || (err == nil && top == nil):
		f.errf(n, "%q must be the whole response envelope, a JSON object like {\"result\": ...}", key)
	case err != nil:
		f.jsonErr(n, key, err)
	default:
		if _, ok := top["result"]; !ok {
			f.errf(n, "%q must be the whole response envelope: the JSON object has no \"result\"", key)
		}
	}
}

func (f *file) jsonErr(n *yaml.Node, key string, err error) {
	off := len(n.Value)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset) - 1 // Offset is just past the offending byte
	}
	f.errs.add(f.jsonPos(n, off), "%q is not valid JSON: %s", key, strings.TrimPrefix(err.Error(), "json: "))
}

// jsonPos maps a byte offset inside a scalar's value to a file position. It is exact for
// literal blocks (|) and for plain one-line scalars, the forms JSON is written in; for
// anything else it falls back to the scalar's own position.
func (f *file) jsonPos(n *yaml.Node, off int) Pos {
	f = f.of(n) // the file that wrote the value, for its path and its lines
	if off < 0 {
		off = 0
	}
	if off > len(n.Value) {
		off = len(n.Value)
	}
	before := n.Value[:off]
	lineIdx := strings.Count(before, "\n")
	lineStart := strings.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCountInString(before[lineStart:])
	oneLine := !strings.Contains(n.Value, "\n")
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		// the file line is the value line plus the block's indentation
		line := n.Line + 1 + lineIdx
		valueLine := n.Value[lineStart:]
		if i := strings.IndexByte(valueLine, '\n'); i >= 0 {
			valueLine = valueLine[:i]
		}
		blockIndent := f.indent(line) - (len(valueLine) - len(strings.TrimLeft(valueLine, " ")))
		return Pos{File: f.path, Line: line, Col: blockIndent + col + 1}
	case n.Style == 0 && oneLine:
		return Pos{File: f.path, Line: n.Line, Col: n.Column + col}
	case n.Style&yaml.SingleQuotedStyle != 0 && oneLine && !strings.Contains(n.Value, "'"),
		n.Style&yaml.DoubleQuotedStyle != 0 && oneLine && !strings.ContainsAny(n.Value, `"\`):
		// no escapes: the value is the source text after the opening quote
		return Pos{File: f.path, Line: n.Line, Col: n.Column + 1 + col}
	}
	return f.pos(n)
}

// indent is the number of leading spaces of a 1-based line of the source.
func (f *file) indent(line int) int {
	src := f.src
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return 0
		}
		src = src[j+1:]
	}
	k := 0
	for k < len(src) && src[k] == ' ' {
		k++
	}
	return k
}

var reYAMLErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrPos extracts the line yaml.v3 puts in its syntax errors; it gives no column.
func yamlErrPos(file string, err error) Pos {
	if m := reYAMLErr.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Pos{File: file, Line: line, Col: 1}
	}
	return Pos{File: file, Line: 1, Col: 1}
}

func yamlErrMsg(err error) string {
	if m := reYAMLErr.FindStringSubmatch(err.Error()); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
