package clikit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestParseString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:            "plain",
		`a\nb`:             "a\nb",
		`a\r\v\f`:          "a\r\v\f",
		`keep \\n literal`: `keep \n literal`,
		`C:\temp\x`:        `C:\temp\x`,
		`end\`:             `end\`,
	} {
		if got := ParseString(in); got != want {
			t.Errorf("ParseString(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScalarParsers(t *testing.T) {
	if n, err := ParseInt(" 15660 "); err != nil || n != 15660 {
		t.Errorf("ParseInt = %v, %v", n, err)
	}
	if n, err := ParseInt("-3"); err != nil || n != -3 {
		t.Errorf("ParseInt(-3) = %v, %v", n, err)
	}
	if f, err := ParseNumber("12.5"); err != nil || f != 12.5 {
		t.Errorf("ParseNumber = %v, %v", f, err)
	}
	for _, s := range []string{"true", "Y", "y", "1", "TRUE"} {
		if v, err := ParseBool(s); err != nil || !v {
			t.Errorf("ParseBool(%q) = %v, %v", s, v, err)
		}
	}
	for _, s := range []string{"false", "N", "0", "False"} {
		if v, err := ParseBool(s); err != nil || v {
			t.Errorf("ParseBool(%q) = %v, %v", s, v, err)
		}
	}
	for in, want := range map[string]string{"chat872": "chat872", "15": "15", "Chat9": "chat9", "sg12": "sg12", " 7 ": "7"} {
		if got, err := ParseDialogID(in); err != nil || got != want {
			t.Errorf("ParseDialogID(%q) = %q, %v", in, got, err)
		}
	}
	for _, s := range []string{"2024-04-07", "2024-04-07T13:34:42Z", "2024-04-07T13:34:42+03:00"} {
		if got, err := ParseDate(s); err != nil || got != s {
			t.Errorf("ParseDate(%q) = %q, %v", s, got, err)
		}
		if got, err := ParseDateTime(s); err != nil || got != s {
			t.Errorf("ParseDateTime(%q) = %q, %v", s, got, err)
		}
	}
}

func TestScalarErrors(t *testing.T) {
	errOf := func(_ any, err error) string {
		if err == nil {
			return "<nil>"
		}
		return err.Error()
	}
	for _, c := range []struct{ got, want string }{
		{errOf(ParseInt("abc")), `expected an integer, got "abc"`},
		{errOf(ParseInt("1.5")), `expected an integer, got "1.5"`},
		{errOf(ParseNumber("1,5")), `expected a number like 12.5, got "1,5"`},
		{errOf(ParseNumber("NaN")), `expected a number like 12.5, got "NaN"`},
		{errOf(ParseNumber("0x10")), `expected a number like 12.5, got "0x10"`},
		{errOf(ParseBool("yes please")), `expected true or false, got "yes please"`},
		{errOf(ParseDialogID("chat")), `expected chatNNN or a user ID, got "chat"`},
		{errOf(ParseDialogID("chat5x")), `expected chatNNN or a user ID, got "chat5x"`},
		{errOf(ParseDialogID("-5")), `expected chatNNN or a user ID, got "-5"`},
		{errOf(ParseDate("07.04.2024")), `expected a date like 2024-04-07, got "07.04.2024"`},
		{errOf(ParseDateTime("tomorrow")), `expected a date-time like 2024-04-07T13:34:42+03:00, got "tomorrow"`},
		{errOf(ParseJSON("{'a':1")), `invalid JSON: the text ends too early (a missing bracket or quote?)`},
		{errOf(ParseJSON("{'a")), `invalid JSON: unterminated string`},
		{errOf(ParseJSON("{a:1}")), `invalid JSON: 'a' looking for beginning of object key string (at byte 2)`},
		{errOf(ParseJSON("{} x")), `invalid JSON: unexpected text after the value`},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
}

func TestWireBool(t *testing.T) {
	for _, c := range []struct {
		v    bool
		mode string
		want any
	}{{true, "YN", "Y"}, {false, "YN", "N"}, {true, "10", 1}, {false, "10", 0}, {true, "json", true}, {false, "", false}} {
		if got := WireBool(c.v, c.mode); got != c.want {
			t.Errorf("WireBool(%v, %q) = %#v, want %#v", c.v, c.mode, got, c.want)
		}
	}
}

func TestNormalizeJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{'TITLE':'x'}`:               `{"TITLE":"x"}`,
		`{"a":"it's"}`:                `{"a":"it's"}`,
		`['a', 'b "c"', 'd\'e']`:      `["a", "b \"c\"", "d'e"]`,
		`{'n': 1, "m": 'a\nb'}`:       `{"n": 1, "m": "a\nb"}`,
		`{"plain": "json", "x": [1]}`: `{"plain": "json", "x": [1]}`,
	} {
		got, err := NormalizeJSON(in)
		if err != nil || got != want {
			t.Errorf("NormalizeJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
}

func TestValue(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "fields.json")
	os.WriteFile(jsonFile, []byte("\xef\xbb\xbf{'TITLE': 'from file', 'N': 2}"), 0o600)
	arrFile := filepath.Join(dir, "ids.json")
	os.WriteFile(arrFile, []byte(`[1, "2"]`), 0o600)
	mapFile := filepath.Join(dir, "order.json")
	os.WriteFile(mapFile, []byte(`{'ID': 'DESC'}`), 0o600)
	binFile := filepath.Join(dir, "pic.png")
	os.WriteFile(binFile, []byte("PNG"), 0o600)
	var p Parser
	for _, c := range []struct {
		typ, mode, in string
		want          string // JSON of the result
	}{
		{"string", "", `line\nnext`, `"line\nnext"`},
		{"integer", "", "42", `42`},
		{"id", "", "15660", `15660`},
		{"number", "", "2.5", `2.5`},
		{"boolean", "YN", "true", `"Y"`},
		{"boolean", "YN", "N", `"N"`},
		{"boolean", "10", "Y", `1`},
		{"boolean", "json", "0", `false`},
		{"dialog_id", "", "chat872", `"chat872"`},
		{"date", "", "2024-04-07", `"2024-04-07"`},
		{"object", "", "{'TITLE':'x','N':1.50}", `{"N":1.50,"TITLE":"x"}`},
		{"AttachBlock", "", `{"IMAGE":{"LINK":"u"}}`, `{"IMAGE":{"LINK":"u"}}`},
		{"object|[]object", "", `{'ID':1,'BLOCKS':[{'MESSAGE':'x'}]}`, `{"BLOCKS":[{"MESSAGE":"x"}],"ID":1}`},
		{"object|[]object", "", `[{'MESSAGE':'x'}]`, `[{"MESSAGE":"x"}]`},
		{"object|[]object", "", jsonFile, `{"N":2,"TITLE":"from file"}`},
		{"object", "", jsonFile, `{"N":2,"TITLE":"from file"}`},
		{"[]string", "", "['a','b']", `["a","b"]`},
		{"[]string", "", `["a\\nb"]`, `["a\\nb"]`},
		{"[]string", "", `single\nvalue`, `["single\nvalue"]`},
		{"[]id", "", "['1','2']", `[1,2]`},
		{"[]id", "", "[3, 4]", `[3,4]`},
		{"[]id", "", "7", `[7]`},
		{"[]id", "", arrFile, `[1,2]`},
		{"[]boolean", "YN", "[true, 'N']", `["Y","N"]`},
		{"[]object", "", "{'a':1}", `[{"a":1}]`},
		{"[]object", "", "[{'a':1},{'b':2}]", `[{"a":1},{"b":2}]`},
		{"any", "", "{'a':[1]}", `{"a":[1]}`},
		{"any", "", "hello", `"hello"`},
		{"any", "", "12", `12`},
		{"[]any", "", "['a', 1, {'b': [2]}]", `["a",1,{"b":[2]}]`},
		{"[]any", "", "x", `["x"]`},
		{"[]object", "", "[]", `[]`},
		{"base64", "", binFile, `"UE5H"`},
		{"file", "", binFile, `["pic.png","UE5H"]`},
		{"[]file", "", binFile, `[["pic.png","UE5H"]]`},
		{"datetime", "", "2024-04-07T13:34:42+03:00", `"2024-04-07T13:34:42+03:00"`},
		{"map[string]string", "", "{'ID':'ASC','TITLE':'DESC'}", `{"ID":"ASC","TITLE":"DESC"}`},
		{"map[string]string", "", `{"ID": "ASC"}`, `{"ID":"ASC"}`},
		{"map[string]string", "", mapFile, `{"ID":"DESC"}`},
		{"map[string]integer", "", "{'a': 1, 'b': '2'}", `{"a":1,"b":2}`},
		{"map[string]id", "", "{}", `{}`},
		{"map[string]boolean", "YN", "{'a': true, 'b': 'N'}", `{"a":"Y","b":"N"}`},
		{"map[string]object", "", "{'a': {'x': 1}}", `{"a":{"x":1}}`},
		{"map[string][]id", "", "{'a': [1, '2'], 'b': []}", `{"a":[1,2],"b":[]}`},
		{"map[string]any", "", "{'a': [1, 'x', {}]}", `{"a":[1,"x",{}]}`},
		{"[]map[string]string", "", "{'ID':'ASC'}", `[{"ID":"ASC"}]`},
		{"[]map[string]string", "", "[{'ID':'ASC'}, {'N':'x'}]", `[{"ID":"ASC"},{"N":"x"}]`},
	} {
		v, err := p.Value(c.typ, c.mode, c.in)
		if err != nil {
			t.Errorf("Value(%s, %q): %v", c.typ, c.in, err)
			continue
		}
		b, _ := json.Marshal(v)
		if string(b) != c.want {
			t.Errorf("Value(%s, %q) = %s, want %s", c.typ, c.in, b, c.want)
		}
	}
}

func TestValueErrors(t *testing.T) {
	var p Parser
	missing := filepath.Join(t.TempDir(), "nope.json")
	for _, c := range []struct{ typ, in, want string }{
		{"integer", "abc", `expected an integer, got "abc"`},
		{"boolean", "maybe", `expected true or false, got "maybe"`},
		{"object", "TITLE=x", `expected a JSON object like {'KEY':'value'} or a path to a .json file, got "TITLE=x"`},
		{"object|[]object", "x", `expected a JSON object like {'KEY':'value'}, a list of them or a path to a .json file, got "x"`},
		{"object|[]object", "[1]", `element 1: expected a JSON object, got a number`},
		{"object", "{'a':}", `invalid JSON: '}' looking for beginning of value (at byte 6)`},
		{"object", missing, "cannot read " + missing + ": no such file or directory"},
		{"[]id", "['1','x']", `element 2: expected an integer, got "x"`},
		{"[]id", "[1.5]", `element 1: expected an integer, got "1.5"`},
		{"[]id", "{'a':1}", `expected an integer, got "{'a':1}"`},
		{"[]file", "{'a.png': 5}", `file "a.png": expected a path or URL, got a number`},
		{"[]object", "['x']", `element 1: expected a JSON object, got a string`},
		{"[]string", "[{'a':1}]", `element 1: expected text, got an object`},
		{"base64", "", `expected a file path or an http(s) URL, got an empty value`},
		{"file", missing, "cannot read file " + missing + ": no such file or directory"},
		{"dialog_id", "x", `expected chatNNN or a user ID, got "x"`},
		{"map[string]string", "ID=ASC", `expected a JSON object like {'KEY':'value'} or a path to a .json file, got "ID=ASC"`},
		{"map[string]string", "['ASC']", `expected a JSON object like {'KEY':'value'} or a path to a .json file, got "['ASC']"`},
		{"map[string]string", "{'ID': {'x': 1}}", `key "ID": expected text, got an object`},
		{"map[string]integer", "{'a': 1, 'b': 'x'}", `key "b": expected an integer, got "x"`},
		{"map[string]boolean", "{'a': 'maybe'}", `key "a": expected true or false, got "maybe"`},
		{"map[string]object", "{'a': 5}", `key "a": expected a JSON object, got a number`},
		{"map[string][]id", "{'a': ['x']}", `key "a": expected an integer, got "x"`},
		{"map[string]string", missing, "cannot read " + missing + ": no such file or directory"},
		{"[]map[string]id", "[{'a': 'x'}]", `element 1: key "a": expected an integer, got "x"`},
		{"[]map[string]id", "['a']", `element 1: expected a JSON object, got a string`},
	} {
		_, err := p.Value(c.typ, "", c.in)
		if err == nil {
			t.Errorf("Value(%s, %q): no error, want %s", c.typ, c.in, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Value(%s, %q):\n got  %s\n want %s", c.typ, c.in, err, c.want)
		}
		if _, ok := err.(*ValueError); !ok {
			t.Errorf("Value(%s, %q): error is %T, want *ValueError", c.typ, c.in, err)
		}
	}
}

func TestDescribe(t *testing.T) {
	for typ, want := range map[string]string{
		"[]id":               "a JSON array like ['a','b'] or one integer",
		"[]string":           "a JSON array like ['a','b'] or one text",
		"dialog_id":          "chatNNN or a user ID",
		"Chat":               "a JSON object or a path to a .json file",
		"file":               "a file: @path, a path or an http(s) URL",
		"[]object":           "a JSON array like ['a','b'] or one JSON object or a path to a .json file",
		"[]any":              "a JSON array like ['a',1] or one value",
		"map[string]string":  "a JSON object (each value: text) or a path to a .json file",
		"map[string]integer": "a JSON object (each value: an integer) or a path to a .json file",
	} {
		if got := Describe(typ); got != want {
			t.Errorf("Describe(%s) = %q, want %q", typ, got, want)
		}
	}
}
