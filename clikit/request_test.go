package clikit

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// asJSON renders params the way they go on the wire, for comparison.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var unread = Method{
	Name: "im.dialog.unread",
	Params: []Param{
		{Flag: "chat", Wire: "DIALOG_ID", Type: "dialog_id", Required: true},
		{Flag: "message", Wire: "MESSAGE_ID", Type: "id", Required: true},
		{Flag: "hide-history", Wire: "HIDE_HISTORY", Type: "boolean", Bool: "YN"},
		{Flag: "users", Wire: "USERS", Type: "[]id"},
		{Flag: "color", Wire: "COLOR", Type: "string", Enum: []string{"RED", "GREEN"}},
		{Flag: "order", Wire: "order", Type: "map[string]string"},
	},
}

func TestMethodParams(t *testing.T) {
	var p Parser
	got, err := p.MethodParams(&unread, map[string]string{
		"chat": "chat872", "message": "15660", "hide-history": "true", "users": "5", "color": "RED",
		"order": "{'ID':'DESC'}",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"COLOR":"RED","DIALOG_ID":"chat872","HIDE_HISTORY":"Y","MESSAGE_ID":15660,"USERS":[5],"order":{"ID":"DESC"}}`
	if d := cmp.Diff(want, asJSON(t, got)); d != "" {
		t.Error(d)
	}
	// Options not given are not sent.
	got, err = p.MethodParams(&unread, map[string]string{"chat": "10", "message": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(`{"DIALOG_ID":"10","MESSAGE_ID":1}`, asJSON(t, got)); d != "" {
		t.Error(d)
	}
}

// TestNames: a select takes field names separated by commas, as well as a JSON array; another
// list of texts keeps a comma inside its one text.
func TestNames(t *testing.T) {
	m := Method{Name: "crm.deal.list", Params: []Param{
		{Flag: "select", Wire: "select", Type: "[]string", Names: true},
		{Flag: "texts", Wire: "TEXTS", Type: "[]string"},
	}}
	var p Parser
	for text, want := range map[string]string{
		"ID,TITLE":         `{"select":["ID","TITLE"]}`,
		" ID , UF_*, ":     `{"select":["ID","UF_*"]}`,
		"*":                `{"select":["*"]}`,
		"['ID','TITLE']":   `{"select":["ID","TITLE"]}`,
		`["ID","TITLE,X"]`: `{"select":["ID","TITLE,X"]}`,
	} {
		got, err := p.MethodParams(&m, map[string]string{"select": text})
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if d := cmp.Diff(want, asJSON(t, got)); d != "" {
			t.Errorf("%q: %s", text, d)
		}
	}
	if _, err := p.MethodParams(&m, map[string]string{"select": " , "}); err == nil || err.Error() != `--select: expected field names like ID,TITLE or a JSON array, got " , "` {
		t.Errorf("no names: %v", err)
	}
	got, err := p.MethodParams(&m, map[string]string{"texts": "Hello, world"})
	if err != nil || asJSON(t, got) != `{"TEXTS":["Hello, world"]}` {
		t.Errorf("a list of texts: %s, %v", asJSON(t, got), err)
	}
}

func TestMethodParamsPositional(t *testing.T) {
	m := Method{Name: "task.commentitem.update", Positional: true, Params: []Param{
		{Flag: "taskid", Wire: "TASKID", Type: "id", Required: true},
		{Flag: "itemid", Wire: "ITEMID", Type: "id"},
		{Flag: "fields", Wire: "FIELDS", Type: "object"},
		{Flag: "extra", Wire: "EXTRA", Type: "string"},
	}}
	var p Parser
	got, err := p.MethodParams(&m, map[string]string{"taskid": "12", "fields": "{'POST_MESSAGE':'x'}"})
	if err != nil {
		t.Fatal(err)
	}
	// ITEMID keeps its place as null; EXTRA, missing at the end, is left out.
	if d := cmp.Diff(`[12,null,{"POST_MESSAGE":"x"}]`, asJSON(t, got)); d != "" {
		t.Error(d)
	}
}

func TestMethodParamsErrors(t *testing.T) {
	var p Parser
	for _, c := range []struct {
		given map[string]string
		want  string
	}{
		{map[string]string{"chat": "chat1", "message": "abc"}, `--message: expected an integer, got "abc"`},
		{map[string]string{"chat": "chat1"}, `--message: required option missing; expected an integer`},
		{map[string]string{"message": "1"}, `--chat: required option missing; expected chatNNN or a user ID`},
		{map[string]string{"chat": "1", "message": "1", "hide-history": "perhaps"}, `--hide-history: expected true or false, got "perhaps"`},
		{map[string]string{"chat": "1", "message": "1", "color": "BLUE"}, `--color: expected one of RED, GREEN, got "BLUE"`},
		{map[string]string{"chat": "1", "message": "1", "users": "[1,'x']"}, `--users: element 2: expected an integer, got "x"`},
		{map[string]string{"chat": "1", "message": "1", "nope": "1"}, `--nope: unknown option`},
		{map[string]string{"chat": "1", "message": "1", "order": "{'ID':['ASC']}"}, `--order: key "ID": expected text, got an array`},
		{map[string]string{"chat": "1", "message": "1", "order": "ID"}, `--order: expected a JSON object like {'KEY':'value'} or a path to a .json file, got "ID"`},
	} {
		_, err := p.MethodParams(&unread, c.given)
		if err == nil || err.Error() != c.want {
			t.Errorf("%v:\n got  %v\n want %s", c.given, err, c.want)
		}
	}
}

var createChat = OPIFunc{
	RU: "СоздатьЧат", EN: "CreateChat", Method: "im.chat.add",
	Options: []Option{
		{Flag: "fields", Spread: true, Type: "object", Required: true},
		{Flag: "users", Wire: "USERS", Type: "[]id"},
		{Flag: "avatar", Wire: "AVATAR", Type: "base64"},
		{Flag: "file", Wire: "FILE", Type: "file"},
		{Flag: "mute", Wire: "MUTE", Type: "boolean", Bool: "YN"},
		{Flag: "admin", Wire: "isAdmin", Type: "boolean", Bool: "json"},
		{Flag: "flag10", Wire: "F10", Type: "boolean", Bool: "10"},
	},
	Fixed: []Field{{Key: "ENTITY_TYPE", Value: "CHAT"}, {Key: "MUTE", Value: "Y"}},
}

func TestOPIParams(t *testing.T) {
	dir := t.TempDir()
	pic := filepath.Join(dir, "pic.png")
	os.WriteFile(pic, []byte("PNGDATA"), 0o600)
	fields := filepath.Join(dir, "chat.json")
	os.WriteFile(fields, []byte(`{"TITLE": "From file", "COLOR": "RED"}`), 0o600)
	var p Parser

	got, err := p.OPIParams(&createChat, map[string]string{
		"fields": "{'TITLE':'Chat','USERS':[1]}", "users": "['1','2']", "avatar": pic, "file": pic,
		"mute": "false", "admin": "N", "flag10": "true",
	})
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString([]byte("PNGDATA"))
	// Spread keys at the top level; USERS from --users comes later and wins; fixed MUTE wins over --mute.
	want := `{"AVATAR":"` + b64 + `","ENTITY_TYPE":"CHAT","F10":1,"FILE":["pic.png","` + b64 + `"],"MUTE":"Y","TITLE":"Chat","USERS":[1,2],"isAdmin":false}`
	if d := cmp.Diff(want, asJSON(t, got)); d != "" {
		t.Error(d)
	}

	got, err = p.OPIParams(&createChat, map[string]string{"fields": fields, "users": "7"})
	if err != nil {
		t.Fatal(err)
	}
	want = `{"COLOR":"RED","ENTITY_TYPE":"CHAT","MUTE":"Y","TITLE":"From file","USERS":[7]}`
	if d := cmp.Diff(want, asJSON(t, got)); d != "" {
		t.Error(d)
	}

	for given, msg := range map[string]string{
		"":            `--fields: required option missing; expected a JSON object or a path to a .json file`,
		"['x']":       `--fields: expected a JSON object like {'KEY':'value'} or a path to a .json file, got "['x']"`,
		"{'TITLE':}":  `--fields: invalid JSON: '}' looking for beginning of value (at byte 10)`,
		"{'TITLE':1}": ``,
	} {
		g := map[string]string{}
		if given != "" {
			g["fields"] = given
		}
		_, err := p.OPIParams(&createChat, g)
		if msg == "" {
			if err != nil {
				t.Errorf("%q: %v", given, err)
			}
			continue
		}
		if err == nil || err.Error() != msg {
			t.Errorf("%q:\n got  %v\n want %s", given, err, msg)
		}
	}

	helper := OPIFunc{EN: "GetX"}
	if _, err := p.OPIParams(&helper, nil); err == nil {
		t.Error("OPIParams of a helper: no error")
	}
}

// TestOPISpreadKeys: a spread option with keys copies only those, a single value of a list key as a list.
func TestOPISpreadKeys(t *testing.T) {
	events := OPIFunc{EN: "GetCalendarEvents", Method: "calendar.event.get", Options: []Option{
		{Flag: "filter", Spread: true, Keys: []string{"section", "from", "to"}, Lists: []string{"section"}},
	}}
	var p Parser
	got, err := p.OPIParams(&events, map[string]string{"filter": "{'section': 4, 'from': '2025-03-01', 'other': 1}"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(`{"from":"2025-03-01","section":[4]}`, asJSON(t, got)); d != "" {
		t.Error(d)
	}
	got, _ = p.OPIParams(&events, map[string]string{"filter": "{'section': [4, 5]}"})
	if d := cmp.Diff(`{"section":[4,5]}`, asJSON(t, got)); d != "" {
		t.Error(d)
	}
}

// TestOPINestedKey: options that fill keys of one object param (FIELDS.TITLE) build it together.
func TestOPINestedKey(t *testing.T) {
	add := OPIFunc{EN: "AddTasksChecklistElement", Method: "task.checklistitem.add", Options: []Option{
		{Flag: "task", Wire: "TASKID", Type: "id", Required: true},
		{Flag: "text", Wire: "FIELDS", Key: "TITLE", Type: "string", Required: true},
		{Flag: "complete", Wire: "FIELDS", Key: "IS_COMPLETE", Type: "boolean", Bool: "YN"},
	}}
	var p Parser
	got, err := p.OPIParams(&add, map[string]string{"task": "7", "text": "Check", "complete": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(`{"FIELDS":{"IS_COMPLETE":"Y","TITLE":"Check"},"TASKID":7}`, asJSON(t, got)); d != "" {
		t.Error(d)
	}
}

// TestOPIDefaultInvert: OPI's ChangeUserStatus --fire defaults to true and sends ACTIVE = not fire.
func TestOPIDefaultInvert(t *testing.T) {
	status := OPIFunc{EN: "ChangeUserStatus", Method: "user.update", Options: []Option{
		{Flag: "userid", Wire: "ID", Type: "id", Required: true},
		{Flag: "fire", Wire: "ACTIVE", Type: "boolean", Bool: "YN", Default: "true", Invert: true},
	}}
	var p Parser
	for fire, want := range map[string]string{"": `{"ACTIVE":"N","ID":5}`, "true": `{"ACTIVE":"N","ID":5}`, "false": `{"ACTIVE":"Y","ID":5}`} {
		given := map[string]string{"userid": "5"}
		if fire != "" {
			given["fire"] = fire
		}
		got, err := p.OPIParams(&status, given)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, asJSON(t, got)); d != "" {
			t.Errorf("--fire %q: %s", fire, d)
		}
	}
	_, err := p.OPIParams(&status, map[string]string{"userid": "5", "fire": "maybe"})
	if err == nil || !strings.HasPrefix(err.Error(), "--fire: ") {
		t.Errorf("err = %v", err)
	}
}

func TestFileFromURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/img/a%20b.jpg" || r.URL.Path == "/img/a b.jpg" {
			w.Write([]byte("JPEG"))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	p := Parser{HTTPClient: srv.Client()}
	b64 := base64.StdEncoding.EncodeToString([]byte("JPEG"))

	v, err := p.Value("base64", "", srv.URL+"/img/a%20b.jpg")
	if err != nil || v != b64 {
		t.Fatalf("base64 from URL = %v, %v", v, err)
	}
	v, err = p.Value("file", "", srv.URL+"/img/a%20b.jpg?sig=1")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(`["a b.jpg","`+b64+`"]`, asJSON(t, v)); d != "" {
		t.Error(d)
	}
	// A failed download names the URL without its query (it may be a signature).
	_, err = p.Value("file", "", srv.URL+"/missing.png?token=SECRET")
	want := "cannot fetch " + srv.URL + "/missing.png: HTTP 404"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if err != nil && strings.Contains(err.Error(), "SECRET") {
		t.Error("query string leaked into the error")
	}
	// An array of files: each element fetched.
	v, err = p.Value("[]base64", "", "['"+srv.URL+"/img/a%20b.jpg']")
	if err != nil || asJSON(t, v) != `["`+b64+`"]` {
		t.Errorf("[]base64 = %v, %v", v, err)
	}
}

var chatStructure = OPIFunc{
	RU: "ПолучитьСтруктуруЧата", EN: "GetChatStructure",
	Options:  []Option{{Flag: "empty", Type: "boolean"}},
	Template: `{"TYPE": "OPEN", "TITLE": "Обсуждение", "USERS": [1, 10], "NESTED": {"B": 1, "A": true}, "OWNER_ID": 1}`,
	Clear:    "empty",
}

var pictureBlock = OPIFunc{
	RU: "ПолучитьБлокКартинки", EN: "GetPictureBlock",
	Options: []Option{
		{Flag: "title", Type: "string", Required: true},
		{Flag: "url", Type: "string", Required: true},
		{Flag: "size", Type: "integer"},
	},
	Template: `{"IMAGE": {"NAME": "$title", "LINK": "$url", "SIZE": "$size", "ALT": "$title ($url)"}}`,
}

func TestHelper(t *testing.T) {
	var p Parser
	out, err := p.Helper(&chatStructure, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "TYPE": "OPEN",
  "TITLE": "Обсуждение",
  "USERS": [
    1,
    10
  ],
  "NESTED": {
    "B": 1,
    "A": true
  },
  "OWNER_ID": 1
}`
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("template as is (-want +got):\n%s", d)
	}
	out, err = p.Helper(&chatStructure, map[string]string{"empty": "true"})
	if err != nil {
		t.Fatal(err)
	}
	want = `{
  "TYPE": "",
  "TITLE": "",
  "USERS": [],
  "NESTED": {
    "B": "",
    "A": ""
  },
  "OWNER_ID": ""
}`
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("cleared (-want +got):\n%s", d)
	}

	out, err = p.Helper(&pictureBlock, map[string]string{"title": `A\nB`, "url": "https://x/y.png?a=1&b=2", "size": "12"})
	if err != nil {
		t.Fatal(err)
	}
	want = `{
  "IMAGE": {
    "NAME": "A\nB",
    "LINK": "https://x/y.png?a=1&b=2",
    "SIZE": 12,
    "ALT": "A\nB (https://x/y.png?a=1&b=2)"
  }
}`
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("picture block (-want +got):\n%s", d)
	}
	out, err = p.Helper(&pictureBlock, map[string]string{"title": "t", "url": "u"})
	if err != nil || !strings.Contains(string(out), `"SIZE": ""`) {
		t.Errorf("unset optional placeholder: %s, %v", out, err)
	}

	for given, msg := range map[string]map[string]string{
		`--url: required option missing; expected text`: {"title": "t"},
		`--size: expected an integer, got "big"`:        {"title": "t", "url": "u", "size": "big"},
		`--zzz: unknown option`:                         {"title": "t", "url": "u", "zzz": "1"},
	} {
		_, err := p.Helper(&pictureBlock, msg)
		if err == nil || err.Error() != given {
			t.Errorf("got %v, want %s", err, given)
		}
	}
	if _, err := p.Helper(&chatStructure, map[string]string{"empty": "sure"}); err == nil || err.Error() != `--empty: expected true or false, got "sure"` {
		t.Errorf("bad clear value: %v", err)
	}
	broken := OPIFunc{EN: "Broken", Template: `{"a":`}
	if _, err := p.Helper(&broken, nil); err == nil {
		t.Error("broken template: no error")
	}
}

// TestOPIParamsUpload: the options giving the file of a two-step upload fill no request field, and
// the file is still required.
func TestOPIParamsUpload(t *testing.T) {
	f := OPIFunc{EN: "UploadFileToFolder", Method: "disk.folder.uploadFile", Options: []Option{
		{Flag: "title", Type: "string", Upload: "name"},
		{Flag: "file", Type: "file", Required: true, Upload: "content"},
		{Flag: "folderid", Wire: "id", Type: "id", Required: true},
	}}
	var p Parser
	got, err := p.OPIParams(&f, map[string]string{"title": "a.pdf", "file": "/nowhere/a.pdf", "folderid": "8930"})
	if err != nil || asJSON(t, got) != `{"id":8930}` {
		t.Errorf("params %s, %v", asJSON(t, got), err)
	}
	if _, err := p.OPIParams(&f, map[string]string{"folderid": "8930"}); err == nil || !strings.HasPrefix(err.Error(), "--file: required option missing") {
		t.Errorf("without the file: %v", err)
	}
	if !f.Uploads() {
		t.Error("Uploads: false")
	}
}
