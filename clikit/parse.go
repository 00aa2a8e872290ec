package clikit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ValueError is a bad option value or a missing required option. Its message names the option and
// the form expected, so the CLI can print it as is: `--message: expected an integer, got "abc"`.
type ValueError struct {
	Flag string // without dashes; "" when the caller adds the option name itself
	Msg  string
}

func (e *ValueError) Error() string {
	if e.Flag == "" {
		return e.Msg
	}
	return "--" + e.Flag + ": " + e.Msg
}

// withFlag names the option in an error from a parser (which does not know the option).
func withFlag(flag string, err error) error {
	var ve *ValueError
	if errors.As(err, &ve) {
		if ve.Flag != "" {
			return ve
		}
		return &ValueError{Flag: flag, Msg: ve.Msg}
	}
	return &ValueError{Flag: flag, Msg: err.Error()}
}

func bad(format string, args ...any) error { return &ValueError{Msg: fmt.Sprintf(format, args...)} }

// Describe says in a few words what text an option of type typ takes; used in help and errors.
func Describe(typ string) string {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		if is(elem, kindAny) {
			return "a JSON array like ['a',1] or one value"
		}
		return "a JSON array like ['a','b'] or one " + strings.TrimPrefix(strings.TrimPrefix(Describe(elem), "a "), "an ")
	}
	if elem, ok := mapElem(typ); ok {
		return "a JSON object (each value: " + Describe(elem) + ") or a path to a .json file"
	}
	if k, ok := kinds[typ]; ok {
		return k.help
	}
	return "a JSON object or a path to a .json file"
}

// isObjectType: an object, and a named structure (a capitalised name, from older bindings), take a
// JSON object.
func isObjectType(typ string) bool {
	return typ == Object || typ != "" && typ[0] >= 'A' && typ[0] <= 'Z'
}

// mapElem returns T of "map[string]T". The spec only has string keys, and JSON object keys are
// strings anyway, so any key type is accepted here.
func mapElem(typ string) (string, bool) {
	rest, ok := strings.CutPrefix(typ, "map[")
	if !ok {
		return "", false
	}
	_, elem, ok := strings.Cut(rest, "]")
	if !ok || elem == "" {
		return "", false
	}
	return elem, true
}

// takesObject: types whose value may be a JSON object.
func takesObject(typ string) bool {
	_, isMap := mapElem(typ)
	return isObjectType(typ) || isMap || is(typ, kindAny)
}

// ParseString applies the escapes of OPI 1.17 to a plain string: \n, \r, \v and \f become control
// characters, and a doubled backslash before one of those letters keeps it literal (\\n → \n).
// Any other backslash is left alone, so Windows paths and regular expressions survive.
func ParseString(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	ctl := map[byte]byte{'n': '\n', 'r': '\r', 'v': '\v', 'f': '\f'}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 < len(s) && s[i+1] == '\\' && ctl[s[i+2]] != 0 {
			b.WriteByte('\\')
			b.WriteByte(s[i+2])
			i += 2
			continue
		}
		if i+1 < len(s) && ctl[s[i+1]] != 0 {
			b.WriteByte(ctl[s[i+1]])
			i++
			continue
		}
		b.WriteByte('\\')
	}
	return b.String()
}

// ParseInt parses an integer (also for the id type: Bitrix24 IDs are numbers on the wire).
func ParseInt(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, bad("expected an integer, got %q", s)
	}
	return n, nil
}

// ParseNumber parses a decimal number with '.' as the separator. NaN and infinities are refused:
// JSON cannot carry them.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXpP_") {
		return 0, bad("expected a number like 12.5, got %q", s)
	}
	return f, nil
}

// ParseBool accepts true/false, Y/N and 1/0, in any case.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "y", "1":
		return true, nil
	case "false", "n", "0":
		return false, nil
	}
	return false, bad("expected true or false, got %q", s)
}

// WireBool is a boolean as the method wants it: "YN" → "Y"/"N", "10" → 1/0, else true/false.
func WireBool(v bool, mode string) any {
	switch mode {
	case "YN":
		if v {
			return "Y"
		}
		return "N"
	case "10":
		if v {
			return 1
		}
		return 0
	}
	return v
}

// ParseDialogID accepts a user ID (digits: a private dialog) or a prefix and digits: chatNNN for a
// chat, sgNNN for a workgroup chat. The prefix is sent in lower case, the only spelling Bitrix24 knows.
func ParseDialogID(s string) (string, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= 'a' && t[i] <= 'z' || t[i] >= 'A' && t[i] <= 'Z') {
		i++
	}
	digits := t[i:]
	ok := digits != ""
	for j := 0; j < len(digits); j++ {
		if digits[j] < '0' || digits[j] > '9' {
			ok = false
			break
		}
	}
	if !ok {
		return "", bad("expected chatNNN or a user ID, got %q", s)
	}
	return strings.ToLower(t[:i]) + digits, nil
}

var (
	dateLayouts     = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"}
	datetimeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}
)

// ParseDate checks an ISO 8601 date (a date-time is accepted too) and returns it unchanged: the
// portal parses the text itself, and changing it could shift the time zone.
func ParseDate(s string) (string, error) {
	t := strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if _, err := time.Parse(l, t); err == nil {
			return t, nil
		}
	}
	return "", bad("expected a date like 2024-04-07, got %q", s)
}

// ParseDateTime checks an ISO 8601 date-time (or a bare date) and returns it unchanged.
func ParseDateTime(s string) (string, error) {
	t := strings.TrimSpace(s)
	for _, l := range datetimeLayouts {
		if _, err := time.Parse(l, t); err == nil {
			return t, nil
		}
	}
	return "", bad("expected a date-time like 2024-04-07T13:34:42+03:00, got %q", s)
}

// NormalizeJSON turns the JSON dialect OPI's docs use into standard JSON: strings may be in single
// quotes ("{'TITLE':'x'}"); inside them \' is a quote and " needs no escape. Double-quoted strings and
// everything outside strings are copied as they are, so standard JSON passes unchanged.
func NormalizeJSON(s string) (string, error) {
	if !strings.Contains(s, "'") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return "", errors.New("unterminated string")
			}
			b.WriteString(s[i : j+1])
			i = j
		case '\'':
			b.WriteByte('"')
			j := i + 1
			for ; j < len(s) && s[j] != '\''; j++ {
				switch {
				case s[j] == '\\' && j+1 < len(s) && s[j+1] == '\'':
					b.WriteByte('\'')
					j++
				case s[j] == '\\' && j+1 < len(s):
					b.WriteByte('\\')
					b.WriteByte(s[j+1])
					j++
				case s[j] == '"':
					b.WriteString(`\"`)
				default:
					b.WriteByte(s[j])
				}
			}
			if j >= len(s) {
				return "", errors.New("unterminated string")
			}
			b.WriteByte('"')
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// ParseJSON decodes one JSON value (single quotes allowed, see NormalizeJSON). Numbers stay
// json.Number so that they go back on the wire exactly as written.
func ParseJSON(s string) (any, error) {
	n, err := NormalizeJSON(s)
	if err != nil {
		return nil, bad("invalid JSON: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(n))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, bad("invalid JSON: %s", jsonErr(err))
	}
	if strings.TrimSpace(n[dec.InputOffset():]) != "" {
		return nil, bad("invalid JSON: unexpected text after the value")
	}
	return v, nil
}

// jsonErr shortens decoder messages; "unexpected EOF" says nothing to a shell user.
func jsonErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "the text ends too early (a missing bracket or quote?)"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", strings.TrimPrefix(se.Error(), "invalid character "), se.Offset)
	}
	return err.Error()
}

// looksLikeJSONFile: OPI takes a path to a .json file wherever it takes a JSON structure.
func looksLikeJSONFile(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) > 5 && strings.EqualFold(t[len(t)-5:], ".json") && !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[")
}

// jsonValue parses an option's JSON: the text itself, or the content of a .json file.
func (p *Parser) jsonValue(s string) (any, error) {
	if !looksLikeJSONFile(s) {
		return ParseJSON(s)
	}
	data, err := p.readFile(strings.TrimSpace(s))
	if err != nil {
		return nil, bad("cannot read %s: %v", strings.TrimSpace(s), unwrapPathErr(err))
	}
	return ParseJSON(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
}
