package b24

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Time is the "time" member of an envelope. Which fields are present depends on the method and on
// cloud vs on-premise; numbers may come as integers or fractions.
type Time struct {
	Start, Finish, Duration, Processing float64
	DateStart, DateFinish               string
	OperatingResetAt                    int64
	Operating                           float64
}

// UnmarshalJSON accepts numbers as JSON numbers or numeric strings, since examples show both.
func (t *Time) UnmarshalJSON(b []byte) error {
	var raw struct {
		Start            flexFloat `json:"start"`
		Finish           flexFloat `json:"finish"`
		Duration         flexFloat `json:"duration"`
		Processing       flexFloat `json:"processing"`
		DateStart        string    `json:"date_start"`
		DateFinish       string    `json:"date_finish"`
		OperatingResetAt flexFloat `json:"operating_reset_at"`
		Operating        flexFloat `json:"operating"`
	}
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("b24.Time: %w", err)
	}
	*t = Time{
		Start: float64(raw.Start), Finish: float64(raw.Finish), Duration: float64(raw.Duration),
		Processing: float64(raw.Processing), DateStart: raw.DateStart, DateFinish: raw.DateFinish,
		OperatingResetAt: int64(raw.OperatingResetAt), Operating: float64(raw.Operating),
	}
	return nil
}

// MarshalJSON writes the wire names.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start            float64 `json:"start"`
		Finish           float64 `json:"finish"`
		Duration         float64 `json:"duration"`
		Processing       float64 `json:"processing"`
		DateStart        string  `json:"date_start,omitempty"`
		DateFinish       string  `json:"date_finish,omitempty"`
		OperatingResetAt int64   `json:"operating_reset_at,omitempty"`
		Operating        float64 `json:"operating"`
	}{t.Start, t.Finish, t.Duration, t.Processing, t.DateStart, t.DateFinish, t.OperatingResetAt, t.Operating})
}

type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	s, quoted, err := scalar(b)
	if err != nil || s == "" {
		return err
	}
	v, perr := strconv.ParseFloat(s, 64)
	if perr != nil {
		if quoted {
			return fmt.Errorf("cannot decode %q as a number", s)
		}
		return fmt.Errorf("cannot decode %s as a number", s)
	}
	*f = flexFloat(v)
	return nil
}

// scalar returns the text of a JSON string or number ("" for null), and whether it was quoted.
func scalar(b []byte) (string, bool, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return "", false, nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", true, err
		}
		return strings.TrimSpace(s), true, nil
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		return string(b), false, nil
	}
	return "", false, fmt.Errorf("want a number or a string, got %.20s", b)
}

// Int is an integer that Bitrix24 may send as a number (5) or a string ("5"). null and "" decode as 0.
type Int int64

func (n *Int) UnmarshalJSON(b []byte) error {
	s, _, err := scalar(b)
	if err != nil {
		return fmt.Errorf("b24.Int: %w", err)
	}
	if s == "" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	// "5.0" or 5e3: accept when it is a whole number in range.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		*n = Int(f)
		return nil
	}
	return fmt.Errorf("b24.Int: cannot decode %q as an integer", s)
}

func (n Int) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(n), 10), nil }

// Bool is a boolean that Bitrix24 may send as true/false, "Y"/"N", 1/0 or "1"/"0". null and "" are false.
// It encodes as true/false.
type Bool bool

func (v *Bool) UnmarshalJSON(b []byte) error {
	x, err := parseBool(b)
	if err != nil {
		return fmt.Errorf("b24.Bool: %w", err)
	}
	*v = Bool(x)
	return nil
}

func (v Bool) MarshalJSON() ([]byte, error) { return strconv.AppendBool(nil, bool(v)), nil }

// YesNo is a boolean sent as "Y"/"N", as many Bitrix24 parameters want. It decodes like Bool.
type YesNo bool

func (v *YesNo) UnmarshalJSON(b []byte) error {
	x, err := parseBool(b)
	if err != nil {
		return fmt.Errorf("b24.YesNo: %w", err)
	}
	*v = YesNo(x)
	return nil
}

func (v YesNo) MarshalJSON() ([]byte, error) {
	if v {
		return []byte(`"Y"`), nil
	}
	return []byte(`"N"`), nil
}

func parseBool(b []byte) (bool, error) {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true", "1":
		return true, nil
	case "false", "0", "null":
		return false, nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return false, err
		}
		switch strings.ToUpper(strings.TrimSpace(s)) {
		case "Y", "1", "TRUE":
			return true, nil
		case "N", "0", "FALSE", "":
			return false, nil
		}
		return false, fmt.Errorf("cannot decode %q as a boolean (want Y/N, 1/0 or true/false)", s)
	}
	return false, fmt.Errorf("cannot decode %.20s as a boolean (want Y/N, 1/0 or true/false)", b)
}

// DialogID names a chat dialog ("chat872") or a private dialog with a user ("15").
type DialogID string

// ChatDialog is the dialog of chat chatID: "chat<chatID>".
func ChatDialog(chatID int) DialogID { return DialogID("chat" + strconv.Itoa(chatID)) }

// UserDialog is the private dialog with user userID: "<userID>".
func UserDialog(userID int) DialogID { return DialogID(strconv.Itoa(userID)) }

// UnmarshalJSON accepts a string or a number (a user dialog id can arrive as a bare number).
func (d *DialogID) UnmarshalJSON(b []byte) error {
	s, _, err := scalar(b)
	if err != nil {
		return fmt.Errorf("b24.DialogID: %w", err)
	}
	*d = DialogID(s)
	return nil
}

// File is a file sent inline as ["name", "<base64 content>"].
type File struct {
	Name    string
	Content []byte
}

func (f File) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{f.Name, base64.StdEncoding.EncodeToString(f.Content)})
}

func (f *File) UnmarshalJSON(b []byte) error {
	var pair []string
	if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
		return fmt.Errorf("b24.File: want [\"name\", \"<base64>\"]")
	}
	data, err := base64.StdEncoding.DecodeString(pair[1])
	if err != nil {
		return fmt.Errorf("b24.File %q: content is not base64: %w", pair[0], err)
	}
	*f = File{Name: pair[0], Content: data}
	return nil
}

// FileData is a file sent inline as {"fileData": ["name", "<base64 content>"]}: the form CRM's
// records (a contact's PHOTO, a company's LOGO, their file user fields) and the catalog's pictures take.
type FileData File

func (f FileData) MarshalJSON() ([]byte, error) {
	pair, err := File(f).MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(append([]byte(`{"fileData":`), pair...), '}'), nil
}

func (f *FileData) UnmarshalJSON(b []byte) error {
	var v struct{ FileData *File }
	if err := json.Unmarshal(b, &v); err != nil || v.FileData == nil {
		return fmt.Errorf(`b24.FileData: want {"fileData": ["name", "<base64>"]}`)
	}
	*f = FileData(*v.FileData)
	return nil
}

// Ptr returns a pointer to v, for optional parameters.
func Ptr[T any](v T) *T { return &v }

// String is a text result that Bitrix24 may send as a string, a number or a boolean (a title "123" can
// arrive as 123). Numbers keep their JSON text; booleans become "true"/"false"; null decodes as "".
// Objects and arrays are errors. It encodes as a JSON string.
type String string

func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("b24.String: empty input")
	}
	switch c := b[0]; {
	case c == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("b24.String: %w", err)
		}
		*s = String(v)
	case string(b) == "null":
		*s = ""
	case string(b) == "true" || string(b) == "false":
		*s = String(b)
	case c == '-' || c >= '0' && c <= '9':
		if !json.Valid(b) {
			return fmt.Errorf("b24.String: invalid number %.20s", b)
		}
		*s = String(b)
	default:
		return fmt.Errorf("b24.String: cannot decode %s as a string", jsonKind(c))
	}
	return nil
}

func (s String) MarshalJSON() ([]byte, error) { return json.Marshal(string(s)) }

// Float is a fractional number that Bitrix24 may send as a number (1.5) or a numeric string ("1.5").
// null and "" decode as 0. It encodes as a JSON number.
type Float float64

func (f *Float) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return fmt.Errorf("b24.Float: cannot decode %s as a number", jsonKind(t[0]))
	}
	s, _, err := scalar(b)
	if err != nil {
		return fmt.Errorf("b24.Float: %w", err)
	}
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		// ParseFloat accepts "NaN" and "Inf", which no portal means as a number.
		return fmt.Errorf("b24.Float: cannot decode %q as a number", s)
	}
	*f = Float(v)
	return nil
}

func (f Float) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(float64(f))
	if err != nil {
		return nil, fmt.Errorf("b24.Float: %w", err)
	}
	return b, nil
}

// jsonKind names the JSON type starting with c, for error messages.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "this JSON value"
}

// LangMap is a text the portal keeps per language, as labels of user fields and names of workflow
// activities take it: LangMap{"en": "Deal", "de": "Geschäft"}. The portal also takes one text for
// every language; LangMap{AnyLang: "Deal"} sends it as the plain string "Deal", and a plain
// string in an answer decodes that way.
type LangMap map[string]string

// AnyLang is the LangMap key of a text given for every language at once.
const AnyLang = "*"

func (m LangMap) MarshalJSON() ([]byte, error) {
	if t, ok := m[AnyLang]; ok && len(m) == 1 {
		return json.Marshal(t)
	}
	return json.Marshal(map[string]string(m))
}

func (m *LangMap) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*m = LangMap{AnyLang: s}
		return nil
	}
	var all map[string]string
	if err := json.Unmarshal(b, &all); err != nil {
		return fmt.Errorf("b24.LangMap: want a text or an object of texts by language: %w", err)
	}
	*m = all
	return nil
}
