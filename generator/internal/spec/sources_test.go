package spec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// mapSources makes one in-memory source per map (path inside the folder → content), named A, B,
// C ... so that the expected errors read "A/im/im.a.b.yaml:2:9: ...".
func mapSources(trees ...map[string]string) []Source {
	var srcs []Source
	for i, files := range trees {
		fsys := fstest.MapFS{}
		for rel, content := range files {
			fsys[rel] = &fstest.MapFile{Data: []byte(content)}
		}
		srcs = append(srcs, Source{FS: fsys, Name: string(rune('A' + i))})
	}
	return srcs
}

// sourcesErrors loads the trees as sources and returns the error lines.
func sourcesErrors(t *testing.T, trees ...map[string]string) []string {
	t.Helper()
	s, err := LoadSources(mapSources(trees...)...)
	if err == nil {
		t.Fatalf("LoadSources succeeded, want errors")
	}
	if s != nil {
		t.Errorf("LoadSources returned a Spec along with errors")
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, want ErrorList", err)
	}
	return strings.Split(err.Error(), "\n")
}

// base is an official method of eleven lines: A/im/im.a.b.yaml.
const base = head + `params:
  - name: DIALOG_ID
    type: dialog_id
    required: true
  - name: MESSAGE_ID
    type: id
`

// overlayHead is the head of an overlay of im.a.b, three lines.
const overlayHead = "spec: 1\nmethod: im.a.b\noverlay: true\n"

var sourcesCases = []struct {
	name  string
	trees []map[string]string
	want  []string
}{
	{
		name: "wire name change",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "params:\n  - name: dialogId\n    type: string\n  - name: message-id\n    type: integer\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:5:11: param "dialogId" would change the wire name DIALOG_ID of A/im/im.a.b.yaml:7:5: write the name as the base spells it`,
			`B/im/im.a.b.yaml:7:11: param "message-id" would change the wire name MESSAGE_ID of A/im/im.a.b.yaml:10:5: write the name as the base spells it`,
		},
	},
	{
		name: "custom method in two user folders",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"vendor/vendor.report.get.yaml": "spec: 1\nmethod: vendor.report.get\nscope: vendor\nkind: read\n"},
			{"vendor/vendor.report.get.yaml": "spec: 1\nmethod: vendor.report.get\nscope: vendor\nkind: write\n"},
		},
		want: []string{
			`C/vendor/vendor.report.get.yaml:2:9: method "vendor.report.get" is defined twice: also at B/vendor/vendor.report.get.yaml:2:9; to change the earlier definition, mark this file "overlay: true"`,
		},
	},
	{
		name: "official method redefined without overlay",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": head + "docs: https://x.example\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:2:9: method "im.a.b" is defined twice: also at A/im/im.a.b.yaml:2:9; to change the earlier definition, mark this file "overlay: true"`,
		},
	},
	{
		name: "overlay without base",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.c.yaml": "spec: 1\nmethod: im.a.c\noverlay: true\nsummary: {en: E, ru: R}\n"},
		},
		want: []string{
			`B/im/im.a.c.yaml:3:10: "overlay: true" but no earlier folder defines method im.a.c`,
		},
	},
	{
		name: "overlay in the first folder",
		trees: []map[string]string{
			{"im/im.a.b.yaml": overlayHead},
		},
		want: []string{
			`A/im/im.a.b.yaml:3:10: "overlay: true" but no earlier folder defines method im.a.b`,
		},
	},
	{
		name: "overlay of a method defined later",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"vendor/vendor.x.yaml": "spec: 1\nmethod: vendor.x\noverlay: true\n"},
			{"vendor/vendor.x.yaml": "spec: 1\nmethod: vendor.x\nscope: vendor\nkind: read\n"},
		},
		want: []string{
			`B/vendor/vendor.x.yaml:3:10: "overlay: true" but no earlier folder defines method vendor.x`,
		},
	},
	{
		name: "unknown keys in an overlay",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "sumary: {en: E, ru: R}\nparams:\n  - name: MESSAGE_ID\n    requried: true\n  - name: NEW\n    type: string\n    clii: new\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:4:1: unknown key "sumary" in method file (allowed: spec, method, api, scope, kind, summary, docs, source, go_name, deprecated, positional, list, one_of, upload, params, drop, result, example, opi, overlay)`,
			`B/im/im.a.b.yaml:7:5: unknown key "requried" in param (allowed: name, type, required, cli, go_name, summary, bool, default, enum, fix, fields, free, filename)`,
			`B/im/im.a.b.yaml:10:5: unknown key "clii" in param (allowed: name, type, required, cli, go_name, summary, bool, default, enum, fix, fields, free, filename)`,
		},
	},
	{
		name: "bad values in an overlay",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "kind: maybe\nparams:\n  - name: MESSAGE_ID\n    type: strng\n  - name: FLAG\n    type: string\n    bool: YN\n  - name: ATTACH\n    type: \"[]Block\"\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:4:7: "kind" must be read or write, found "maybe"`,
			`B/im/im.a.b.yaml:7:11: unknown type "strng": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
			`B/im/im.a.b.yaml:10:11: "bool" applies to boolean params only, this one is string`,
			`B/im/im.a.b.yaml:12:11: unknown type "Block": no structure Block in im/_types.yaml`,
		},
	},
	{
		name: "problems of the base stay at the base",
		trees: []map[string]string{
			{"im/im.a.b.yaml": head + "params:\n  - name: A\n    type: nope\n  - name: B\n"},
			{"im/im.a.b.yaml": overlayHead + "params:\n  - name: B\n    required: true\n"},
		},
		want: []string{
			`A/im/im.a.b.yaml:8:11: unknown type "nope": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
			`A/im/im.a.b.yaml:9:5: missing key "type" in param`,
		},
	},
	{
		name: "a param twice in an overlay, and a CLI option taken",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "params:\n  - name: NEW\n    type: string\n  - name: NEW\n    type: integer\n  - name: MESSAGE_ID\n    cli: dialog-id\n"},
		},
		want: []string{
			`A/im/im.a.b.yaml:10:5: CLI option "dialog-id" of param "MESSAGE_ID" is also the CLI option of param "DIALOG_ID" at A/im/im.a.b.yaml:7:5`,
			`B/im/im.a.b.yaml:7:5: param "NEW" is defined twice: also at B/im/im.a.b.yaml:5:5`,
			`B/im/im.a.b.yaml:7:5: CLI option "new" of param "NEW" is also the CLI option of param "NEW" at B/im/im.a.b.yaml:5:5`,
		},
	},
	{
		name: "three folders: the third changes what the second added",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "params:\n  - name: NEW\n    summary: {en: E, ru: R}\n"},
			{"im/im.a.b.yaml": overlayHead + "params:\n  - name: NEW\n    bool: YN\n  - name: DIALOG_ID\n    type: dialog\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:5:5: missing key "type" in param`,
			`C/im/im.a.b.yaml:8:11: unknown type "dialog": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
		},
	},
	{
		name: "JSON in an overlay",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "example: |\n  {\"result\": [1,\n   2,,]}\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:6:6: "example" is not valid JSON: invalid character ',' looking for beginning of value`,
		},
	},
	{
		name: "overlay spelled otherwise, in the wrong folder, without spec",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base, "im/im.a.c.yaml": "spec: 1\nmethod: im.a.c\nscope: im\nkind: read\n", "im/im.a.d.yaml": "spec: 1\nmethod: im.a.d\nscope: im\nkind: read\n"},
			{
				"im/im.A.b.yaml":  "spec: 1\nmethod: im.A.b\noverlay: true\n",
				"crm/im.a.c.yaml": "spec: 1\nmethod: im.a.c\noverlay: true\n",
				"im/im.a.d.yaml":  "method: im.a.d\noverlay: true\n",
			},
		},
		want: []string{
			`B/crm/im.a.c.yaml:2:9: method "im.a.c" is in folder "crm": its first segment must be the folder name`,
			`B/im/im.A.b.yaml:2:9: method "im.A.b" is spelled "im.a.b" at A/im/im.a.b.yaml:2:9: an overlay spells the name as the earlier folder does`,
			`B/im/im.a.d.yaml:1:1: missing key "spec" in method file`,
		},
	},
	{
		name: "overlay not named after its method",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/other.yaml": overlayHead + "docs: https://x.example\n"},
		},
		want: []string{
			`B/im/other.yaml:2:9: method "im.a.b" must be in a file named after it: im.a.b.yaml, not other.yaml`,
		},
	},
	{
		name: "overlay value",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\noverlay: yes please\n"},
		},
		want: []string{
			`B/im/im.a.b.yaml:1:1: missing key "scope" in method file`,
			`B/im/im.a.b.yaml:1:1: missing key "kind" in method file`,
			`B/im/im.a.b.yaml:2:9: method "im.a.b" is defined twice: also at A/im/im.a.b.yaml:2:9; to change the earlier definition, mark this file "overlay: true"`,
			`B/im/im.a.b.yaml:3:10: "overlay" must be true or false, found the string "yes please"`,
		},
	},
	{
		name: "structure defined by two folders",
		trees: []map[string]string{
			{"im/_types.yaml": "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n"},
			{"im/_types.yaml": "spec: 1\ntypes:\n  - name: Other\n    summary: {en: E, ru: R}\n    fields: []\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n"},
		},
		want: []string{
			`B/im/_types.yaml:6:5: type "Block" is defined twice: also at A/im/_types.yaml:3:5 (a later folder cannot change a structure: give this one another name)`,
		},
	},
	{
		name: "compound split two ways",
		trees: []map[string]string{
			{"_words.yaml": "spec: 1\ncompounds:\n  - {name: taskid, words: task id}\n  - {name: chatid, words: chat id}\n"},
			{"_words.yaml": "spec: 1\ncompounds:\n  - {name: chatid, words: chat id}\n  - {name: taskid, words: ta skid}\n"},
		},
		want: []string{
			`B/_words.yaml:4:12: compound "taskid" is split as "ta skid" here but as "task id" at A/_words.yaml:3:12: a later folder cannot split it otherwise`,
		},
	},
	{
		name: "OPI names unique across folders",
		trees: []map[string]string{
			{"im/im.a.b.yaml": head + "opi:\n  - {ru: Получить, en: Get, region: R}\n"},
			{"vendor/vendor.x.yaml": "spec: 1\nmethod: vendor.x\nscope: vendor\nkind: read\nopi:\n  - {ru: Взять, en: get, region: R}\n"},
		},
		want: []string{
			`B/vendor/vendor.x.yaml:6:21: OPI name "get" is used twice (OPI names are case-insensitive): also "Get" at A/im/im.a.b.yaml:7:24`,
		},
	},
	{
		name: "YAML and layout errors of a later folder",
		trees: []map[string]string{
			{"im/im.a.b.yaml": base},
			{"im/im.a.b.yaml": overlayHead + "params: [\n", "Vendor/x.yaml": "x", "im/notes.txt": "x"},
		},
		want: []string{
			`B/Vendor: invalid namespace folder "Vendor": a namespace folder is lower-case letters, digits and _, starting with a letter`,
			`B/im/im.a.b.yaml:4:1: invalid YAML: did not find expected node content`,
			`B/im/notes.txt: unexpected file "notes.txt": a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml`,
		},
	},
}

func TestLoadSourcesErrors(t *testing.T) {
	for _, tc := range sourcesCases {
		t.Run(tc.name, func(t *testing.T) {
			got := sourcesErrors(t, tc.trees...)
			if os.Getenv("SPEC_DUMP") != "" {
				t.Logf("%#v", got)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadSourcesOverlay(t *testing.T) {
	official := map[string]string{
		"im/im.a.b.yaml": base,
		"im/_types.yaml": "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n",
		"_words.yaml":    "spec: 1\ncompounds:\n  - {name: taskid, words: task id}\n",
		"README.md":      "not read",
	}
	user := map[string]string{
		"im/im.a.b.yaml": overlayHead + `summary: {en: Marks read., ru: Отмечает.}
params:
  - name: MESSAGE_ID
    type: integer
    summary: {en: Up to., ru: До.}
  - name: NEW
    type: boolean
    bool: YN
result:
  type: "[]Block"
`,
		"im/_helpers.yaml": `spec: 1
helpers:
  - ru: Блок
    en: Block
    region: R
    summary: {en: E, ru: R}
    result: Block
    template: "{}"
`,
		"vendor/vendor.report.get.yaml": `spec: 1
method: vendor.report.get
scope: vendor
kind: read
params:
  - name: ID
    type: id
result:
  type: Report
`,
		"vendor/_types.yaml": "spec: 1\ntypes:\n  - name: Report\n    summary: {en: E, ru: R}\n    fields:\n      - {name: TASKID, type: id}\n",
		"_words.yaml":        "spec: 1\ncompounds:\n  - {name: taskid, words: task id}\n  - {name: chatid, words: chat id}\n",
	}
	more := map[string]string{
		"im/im.a.b.yaml":                overlayHead + "params:\n  - name: NEW\n    cli: new-flag\n  - name: DIALOG_ID\n    required: false\n",
		"vendor/vendor.report.get.yaml": "spec: 1\nmethod: vendor.report.get\noverlay: true\nsummary: {en: A report., ru: Отчёт.}\n",
	}
	got, err := LoadSources(mapSources(official, user, more)...)
	if err != nil {
		t.Fatalf("LoadSources: %v", err)
	}
	want := &Spec{
		Compounds: map[string][]string{"taskid": {"task", "id"}, "chatid": {"chat", "id"}},
		Namespaces: []*Namespace{
			{
				Name: "im",
				Methods: []*Method{{
					Pos:     Pos{File: "C/im/im.a.b.yaml", Line: 2, Col: 9}, // the last file to write "method"
					File:    "im/im.a.b.yaml",
					Folder:  "C", // that file's folder
					Name:    "im.a.b",
					Scope:   "im",
					Kind:    "read",
					Summary: Text{EN: "Marks read.", RU: "Отмечает."},
					Params: []*Param{
						// a param an overlay changes keeps its place, and its position, in the base
						{Pos: Pos{File: "A/im/im.a.b.yaml", Line: 7, Col: 5}, Name: "DIALOG_ID", Type: "dialog_id", CLI: "dialog-id"},
						{Pos: Pos{File: "A/im/im.a.b.yaml", Line: 10, Col: 5}, Name: "MESSAGE_ID", Type: "integer", CLI: "message-id",
							Summary: Text{EN: "Up to.", RU: "До."}},
						{Pos: Pos{File: "B/im/im.a.b.yaml", Line: 9, Col: 5}, Name: "NEW", Type: "boolean", CLI: "new-flag", Bool: "YN"},
					},
					Result: &Result{Type: "[]Block"},
				}},
				Types: []*Struct{{Pos: Pos{File: "A/im/_types.yaml", Line: 3, Col: 5}, File: "im/_types.yaml", Name: "Block",
					Summary: Text{EN: "E", RU: "R"}, Fields: []*Param{}}},
				Helpers: []*Helper{{Pos: Pos{File: "B/im/_helpers.yaml", Line: 3, Col: 5}, File: "im/_helpers.yaml", RU: "Блок", EN: "Block",
					Region: "R", Summary: Text{EN: "E", RU: "R"}, Result: "Block", Template: "{}"}},
			},
			{
				Name: "vendor",
				Methods: []*Method{{
					Pos:     Pos{File: "C/vendor/vendor.report.get.yaml", Line: 2, Col: 9},
					File:    "vendor/vendor.report.get.yaml",
					Folder:  "C",
					Name:    "vendor.report.get",
					Scope:   "vendor",
					Kind:    "read",
					Summary: Text{EN: "A report.", RU: "Отчёт."},
					Params:  []*Param{{Pos: Pos{File: "B/vendor/vendor.report.get.yaml", Line: 6, Col: 5}, Name: "ID", Type: "id", CLI: "id"}},
					Result:  &Result{Type: "Report"},
				}},
				Types: []*Struct{{Pos: Pos{File: "B/vendor/_types.yaml", Line: 3, Col: 5}, File: "vendor/_types.yaml", Folder: "B", Name: "Report",
					Summary: Text{EN: "E", RU: "R"},
					Fields:  []*Param{{Pos: Pos{File: "B/vendor/_types.yaml", Line: 6, Col: 9}, Name: "TASKID", Type: "id", CLI: "taskid"}}}},
			},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("LoadSources mismatch (-want +got):\n%s", diff)
	}

	// the base alone is untouched by what the overlays did to it
	alone, err := LoadSources(mapSources(official)...)
	if err != nil {
		t.Fatal(err)
	}
	if m := alone.Namespaces[0].Methods[0]; len(m.Params) != 2 || m.Params[1].Type != "id" || m.Summary.EN != "E" {
		t.Errorf("official method changed: %+v", m)
	}
}

func TestLoadSourcesParamType(t *testing.T) {
	official := map[string]string{"crm/crm.x.add.yaml": `spec: 1
method: crm.x.add
scope: crm
kind: write
params:
  - name: fields
    type: object
    required: true
    free: uf
    fields:
      - {name: TITLE, type: string}
      - {name: OPPORTUNITY, type: number}
  - name: COUNT
    type: string
    enum: ["1", "2"]
    default: "1"
`}
	user := map[string]string{"crm/crm.x.add.yaml": `spec: 1
method: crm.x.add
overlay: true
params:
  - name: COUNT
    type: integer
    summary: {en: How many., ru: Сколько.}
  - name: fields
    fields:
      - {name: STAGE_ID, type: string}
`}
	s, err := LoadSources(mapSources(official, user)...)
	if err != nil {
		t.Fatalf("LoadSources: %v", err)
	}
	want := []*Param{
		{Pos: Pos{File: "A/crm/crm.x.add.yaml", Line: 6, Col: 5}, Name: "fields", Type: "object", Required: true, CLI: "fields", Free: "uf",
			// fields replace the base's whole
			Fields: []*Param{{Pos: Pos{File: "B/crm/crm.x.add.yaml", Line: 10, Col: 9}, Name: "STAGE_ID", Type: "string"}}},
		// the type changes; the keys the overlay does not write stay
		{Pos: Pos{File: "A/crm/crm.x.add.yaml", Line: 13, Col: 5}, Name: "COUNT", Type: "integer", CLI: "count",
			Enum: []string{"1", "2"}, Default: "1", Summary: Text{EN: "How many.", RU: "Сколько."}},
	}
	if diff := cmp.Diff(want, s.Namespaces[0].Methods[0].Params); diff != "" {
		t.Errorf("params mismatch (-want +got):\n%s", diff)
	}
}

// A folder on disk given to LoadSources reads as Load reads it, and errors name its files by the
// given name; the embedded spec is named b24gen:spec.
func TestLoadSourcesDisk(t *testing.T) {
	dir := filepath.Join("testdata", "valid")
	viaLoad, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	viaSources, err := LoadSources(Source{FS: os.DirFS(dir), Name: dir})
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if diff := cmp.Diff(viaLoad, viaSources); diff != "" {
			t.Errorf("LoadSources differs from Load (-Load +LoadSources):\n%s", diff)
		}
	}

	user := writeTree(t, map[string]string{"im/im.dialog.unread.yaml": "spec: 1\nmethod: im.dialog.unread\noverlay: true\nparams:\n  - name: dialog_id\n    type: string\n"})
	_, err = LoadSources(Source{FS: os.DirFS(dir), Name: "b24gen:spec"}, Source{FS: os.DirFS(user), Name: user})
	want := user + `/im/im.dialog.unread.yaml:5:11: param "dialog_id" would change the wire name DIALOG_ID of b24gen:spec/im/im.dialog.unread.yaml:13:5: write the name as the base spells it`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}

	_, err = LoadSources(Source{FS: os.DirFS(dir), Name: "b24gen:spec"}, Source{FS: os.DirFS(filepath.Join(user, "nope")), Name: "mine"})
	if want := "mine: cannot read the spec folder: open mine: "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q...", err, want)
	}
}

// A namespace folder may be a symbolic link, as before Load read through fs.FS.
func TestLoadSymlinkedNamespace(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	elsewhere := writeTree(t, map[string]string{"im.a.b.yaml": head})
	dir := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "im")); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.Namespaces) != 1 || len(s.Namespaces[0].Methods) != 1 || s.Namespaces[0].Methods[0].Pos.File != filepath.Join(dir, "im", "im.a.b.yaml") {
		t.Errorf("got %+v", s.Namespaces)
	}
}

// The same sources give the same Spec, however the parallel decoding goes.
func TestLoadSourcesDeterministic(t *testing.T) {
	official := t.TempDir()
	writeSynthetic(t, official, 4, 25)
	user := map[string]string{"ns9/ns9.custom.yaml": "spec: 1\nmethod: ns9.custom\nscope: ns9\nkind: read\n"}
	for n := range 4 {
		for m := 0; m < 25; m += 3 {
			name := fmt.Sprintf("ns%d.item%d.get", n, m)
			user[fmt.Sprintf("ns%d/%s.yaml", n, name)] = fmt.Sprintf("spec: 1\nmethod: %s\noverlay: true\nsummary: {en: E%d, ru: R}\nparams:\n  - name: PARAM_1\n    type: string\n  - name: EXTRA\n    type: Block\n", name, m)
		}
	}
	srcs := append([]Source{{FS: os.DirFS(official), Name: "b24gen:spec"}}, mapSources(user)...)
	first, err := LoadSources(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	idx := slices.IndexFunc(first.Namespaces[0].Methods, func(m *Method) bool { return m.Name == "ns0.item3.get" })
	if got := first.Namespaces[0].Methods[idx]; got.Summary.EN != "E3" || got.Params[1].Type != "string" || got.Params[len(got.Params)-1].Name != "EXTRA" {
		t.Errorf("overlay not applied: %+v", got)
	}
	for range 3 {
		again, err := LoadSources(srcs...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Fatalf("loads differ:\n%s", diff)
		}
	}
}
