package spec

import "strings"

// errorCases is one bad tree per rule of spec/README.md; each lists every error line expected,
// with "T" standing for the folder given to Load.
var errorCases = []errorCase{
	{
		name:  "unknown key",
		files: map[string]string{"im/im.a.b.yaml": head + "foo: 1\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:1: unknown key "foo" in method file (allowed: spec, method, api, scope, kind, summary, docs, source, go_name, deprecated, positional, list, one_of, upload, params, drop, result, example, opi, overlay)`,
		},
	},
	{
		name: "unknown key in param",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
    requried: true
`},
		want: []string{
			`T/im/im.a.b.yaml:9:5: unknown key "requried" in param (allowed: name, type, required, cli, go_name, summary, bool, default, enum, fix, fields, free, filename)`,
		},
	},
	{
		name: "links that are not https",
		files: map[string]string{
			"im/im.a.b.yaml": head + "docs: \"javascript:alert(1)\"\n",
			"im/im.a.c.yaml": strings.Replace(head, "im.a.b", "im.a.c", 1) + "docs: http://apidocs.bitrix24.com/x.html\n",
			"im/im.a.d.yaml": strings.Replace(head, "im.a.b", "im.a.d", 1) + "docs: api-reference/x.md\n",
			"im/im.a.e.yaml": strings.Replace(head, "im.a.b", "im.a.e", 1) + "docs: http://127.0.0.1:8080/x\n" +
				"params:\n  - name: A\n    type: string\n    summary:\n      en: see [this](javascript:alert(1))\n" +
				"      ru: <a href=\"data:text/html,x\">тут</a> и <https://apidocs.bitrix24.ru/x.html>\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:6:7: "docs" is "javascript:alert(1)": want an absolute https:// address`,
			`T/im/im.a.c.yaml:6:7: "docs" is "http://apidocs.bitrix24.com/x.html": want https:// (http:// only for a loopback host)`,
			`T/im/im.a.d.yaml:6:7: "docs" is "api-reference/x.md": want an absolute https:// address`,
			`T/im/im.a.e.yaml:11:11: summary.en links to "javascript:alert(1": want an absolute https:// address`,
			`T/im/im.a.e.yaml:12:11: summary.ru links to "data:text/html,x": want an absolute https:// address`,
		},
	},
	{
		name:  "api other than 3",
		files: map[string]string{"im/im.a.b.yaml": head + "api: 2\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:6: "api" must be 3 (a REST 3.0 method, called at /rest/api/) or absent (REST 2.0), found the integer 2`,
		},
	},
	{
		name:  "unknown source",
		files: map[string]string{"im/im.a.b.yaml": head + "source: wiki\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:9: "source" must be docs (only the docs pages document it), hand (written from a docs page no source lists) or absent, found the string "wiki"`,
		},
	},
	{
		name:  "mapping expected",
		files: map[string]string{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\nscope: im\nkind: read\nsummary: Does things.\n"},
		want: []string{
			`T/im/im.a.b.yaml:5:10: "summary" must be a mapping, found the string "Does things."`,
		},
	},
	{
		name:  "list expected",
		files: map[string]string{"im/im.a.b.yaml": head + "params:\n  name: A\n"},
		want: []string{
			`T/im/im.a.b.yaml:7:3: "params" must be a list, found a mapping`,
		},
	},
	{
		name: "string expected",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: {A: 1}
    type: string
  - name: B
    type: 5
`},
		want: []string{
			`T/im/im.a.b.yaml:7:11: "name" must be a string, found a mapping`,
			`T/im/im.a.b.yaml:10:11: "type" must be a string, found the integer 5 (quote it)`,
		},
	},
	{
		name:  "missing keys",
		files: map[string]string{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\n"},
		want: []string{
			`T/im/im.a.b.yaml:1:1: missing key "scope" in method file`,
			`T/im/im.a.b.yaml:1:1: missing key "kind" in method file`,
		},
	},
	{
		name:  "missing summary ru",
		files: map[string]string{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\nscope: im\nkind: read\nsummary:\n  en: E\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:3: missing key "ru" in "summary"`,
		},
	},
	{
		name:  "missing param name and type",
		files: map[string]string{"im/im.a.b.yaml": head + "params:\n  - required: true\n"},
		want: []string{
			`T/im/im.a.b.yaml:7:5: missing key "name" in param`,
			`T/im/im.a.b.yaml:7:5: missing key "type" in param`,
		},
	},
	{
		name:  "spec version",
		files: map[string]string{"im/im.a.b.yaml": "spec: 2\nmethod: im.a.b\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n"},
		want: []string{
			`T/im/im.a.b.yaml:1:7: "spec" must be 1 (the format version this generator reads), found the integer 2`,
		},
	},
	{
		name:  "kind",
		files: map[string]string{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\nscope: im\nkind: delete\nsummary: {en: E, ru: R}\n"},
		want: []string{
			`T/im/im.a.b.yaml:4:7: "kind" must be read or write, found "delete"`,
		},
	},
	{
		name: "bool",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: boolean
    bool: TF
  - name: B
    type: string
    bool: YN
  - name: C
    type: boolean
    bool: 10
`},
		want: []string{
			`T/im/im.a.b.yaml:9:11: "bool" must be YN, 10 or json, found the string "TF"`,
			`T/im/im.a.b.yaml:12:11: "bool" applies to boolean params only, this one is string`,
		},
	},
	{
		name: "enum and required",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: integer
    enum: [1, "2"]
    required: yes
`},
		want: []string{
			`T/im/im.a.b.yaml:9:12: items of "enum" must be strings, found the integer 1 (quote it)`,
			`T/im/im.a.b.yaml:10:15: "required" must be true or false, found the string "yes"`,
		},
	},
	{
		name: "duplicate key",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
    name: B
scope: im
`},
		want: []string{
			`T/im/im.a.b.yaml:9:5: key "name" is repeated in param (first at line 7)`,
			`T/im/im.a.b.yaml:10:1: key "scope" is repeated in method file (first at line 3)`,
		},
	},
	{
		name:  "invalid method name",
		files: map[string]string{"im/im.bad-name.yaml": "spec: 1\nmethod: im.bad-name\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n"},
		want: []string{
			`T/im/im.bad-name.yaml:2:9: invalid method name "im.bad-name": a wire name is one or more dot-separated segments of letters, digits and _, the first starting with a letter (im.dialog.unread, profile)`,
		},
	},
	{
		name:  "method name differs from file name",
		files: map[string]string{"im/im.a.c.yaml": head},
		want: []string{
			`T/im/im.a.c.yaml:2:9: method "im.a.b" must be in a file named after it: im.a.b.yaml, not im.a.c.yaml`,
		},
	},
	{
		name:  "method outside its folder",
		files: map[string]string{"crm/im.a.b.yaml": head},
		want: []string{
			`T/crm/im.a.b.yaml:2:9: method "im.a.b" is in folder "crm": its first segment must be the folder name`,
		},
	},
	{
		name: "param wire name",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: FIELDS[TITLE]
    type: string
  - name: __
    type: string
`},
		want: []string{
			`T/im/im.a.b.yaml:7:11: invalid param name "FIELDS[TITLE]": a wire name is letters, digits and _ only, starting with a letter or _ unless it is all digits (write FIELDS[TITLE] as a param FIELDS with "fields" or a structure type)`,
			`T/im/im.a.b.yaml:9:11: the CLI option "" derived from "__" is invalid (a CLI option is lower-case letters, digits and -, starting with a letter or digit, without the leading dashes): set "cli"`,
		},
	},
	{
		name: "cli option",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: CHAT_ID
    type: id
    cli: Chat_ID
`},
		want: []string{
			`T/im/im.a.b.yaml:9:10: invalid CLI option "Chat_ID": a CLI option is lower-case letters, digits and -, starting with a letter or digit, without the leading dashes`,
		},
	},
	{
		name: "go names",
		files: map[string]string{"im/im.a.b.yaml": head + `go_name: dialogUnread
params:
  - name: A
    type: id
    go_name: 1A
`},
		want: []string{
			`T/im/im.a.b.yaml:6:10: invalid go_name "dialogUnread": a Go name is an exported Go identifier (DialogID)`,
			`T/im/im.a.b.yaml:10:14: invalid go_name "1A": a Go name is an exported Go identifier (DialogID)`,
		},
	},
	{
		name: "structure name",
		files: map[string]string{"im/_types.yaml": `spec: 1
types:
  - name: attach_block
    summary: {en: E, ru: R}
    fields:
      - name: A
        type: string
  - name: String
    summary: {en: E, ru: R}
    fields: []
  - name: Block
    summary: {en: E, ru: R}
    fields:
      - name: A
        type: string
      - name: A
        type: Other
  - name: Block
    summary: {en: E, ru: R}
    fields: []
`},
		want: []string{
			`T/im/_types.yaml:3:11: invalid type name "attach_block": a structure name is a capital letter followed by letters and digits (AttachBlock)`,
			`T/im/_types.yaml:8:11: type name "String" would be confused with the built-in type string`,
			`T/im/_types.yaml:16:9: field "A" is defined twice: also at T/im/_types.yaml:14:9`,
			`T/im/_types.yaml:17:15: unknown type "Other": no structure Other in im/_types.yaml`,
			`T/im/_types.yaml:18:5: type "Block" is defined twice: also at T/im/_types.yaml:11:5`,
		},
	},
	{
		name: "unknown types",
		files: map[string]string{
			"im/im.a.b.yaml": head + `params:
  - name: A
    type: strng
  - name: B
    type: "[]Block"
  - name: C
    type: Attach
result:
  type: "[]map"
`,
			"im/_types.yaml":  "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n",
			"crm/_types.yaml": "spec: 1\ntypes:\n  - name: Attach\n    summary: {en: E, ru: R}\n    fields: []\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:8:11: unknown type "strng": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
			`T/im/im.a.b.yaml:12:11: unknown type "Attach": no structure Attach in im/_types.yaml`,
			`T/im/im.a.b.yaml:14:9: unknown type "[]map": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
		},
	},
	{
		name: "method defined twice",
		files: map[string]string{
			"im/im.a.b.yaml": head,
			"im/im.A.b.yaml": "spec: 1\nmethod: im.A.b\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:2:9: method "im.a.b" is defined twice (Bitrix24 method names are case-insensitive): also "im.A.b" at T/im/im.A.b.yaml:2:9`,
		},
	},
	{
		name: "param and cli twice",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: DIALOG_ID
    type: dialog_id
  - name: CHAT
    type: id
    cli: dialog-id
  - name: DIALOG_ID
    type: string
    cli: other
`},
		want: []string{
			`T/im/im.a.b.yaml:9:5: CLI option "dialog-id" of param "CHAT" is also the CLI option of param "DIALOG_ID" at T/im/im.a.b.yaml:7:5`,
			`T/im/im.a.b.yaml:12:5: param "DIALOG_ID" is defined twice: also at T/im/im.a.b.yaml:7:5`,
		},
	},
	{
		name: "opi options",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: a, param: B, ru: А, en: A}
      - {cli: b, param: A, spread: true, ru: Б, en: B}
      - {cli: c, ru: В, en: C}
      - {cli: a, param: A, ru: Г, en: D}
      - {cli: e, spread: false, ru: Д, en: E}
`},
		want: []string{
			`T/im/im.a.b.yaml:14:25: OPI option "a" fills "B", which is not a param of this method`,
			`T/im/im.a.b.yaml:15:9: OPI option "b" has both "param" and "spread": give exactly one`,
			`T/im/im.a.b.yaml:16:9: OPI option "c" needs "param" (the parameter it fills) or "spread: true"`,
			`T/im/im.a.b.yaml:17:15: OPI option "a" is used twice in F: also at T/im/im.a.b.yaml:14:9`,
			`T/im/im.a.b.yaml:18:26: OPI option "e": "spread" can only be true; use "param" for an option that fills one parameter`,
		},
	},
	{
		name: "opi names unique",
		files: map[string]string{
			"im/im.a.b.yaml": head + `opi:
  - ru: Ф
    en: GetBlock
    aliases: [Ф]
    region: R
  - ru: Ф2
    en: F2
    aliases: [getblock]
    region: R
`,
			"im/_types.yaml": "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n",
			"im/_helpers.yaml": `spec: 1
helpers:
  - ru: ф2
    en: Helper
    region: R
    summary: {en: E, ru: R}
    result: Block
    template: "{}"
`,
		},
		want: []string{
			`T/im/im.a.b.yaml:11:9: OPI name "Ф2" is used twice (OPI names are case-insensitive): also "ф2" at T/im/_helpers.yaml:3:9`,
			`T/im/im.a.b.yaml:13:15: OPI name "getblock" is used twice (OPI names are case-insensitive): also "GetBlock" at T/im/im.a.b.yaml:8:9`,
		},
	},
	{
		name: "fixed",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: a, param: A, ru: А, en: A}
    fixed:
      B: 1
      A: "x"
      A: "y"
`},
		want: []string{
			`T/im/im.a.b.yaml:16:7: fixed key "B" is not a param of this method`,
			`T/im/im.a.b.yaml:17:7: fixed key "A" is also filled by OPI option "a"`,
			`T/im/im.a.b.yaml:18:7: fixed key "A" is repeated`,
		},
	},
	{
		name: "example in a block",
		files: map[string]string{"im/im.a.b.yaml": head + `example: |
  {"result": true,
   "time": {"start": 1,}}
`},
		want: []string{
			`T/im/im.a.b.yaml:8:24: "example" is not valid JSON: invalid character '}' looking for beginning of object key string`,
		},
	},
	{
		name:  "example on one line",
		files: map[string]string{"im/im.a.b.yaml": head + "example: '{\"result\" true}'\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:21: "example" is not valid JSON: invalid character 't' after object key`,
		},
	},
	{
		name:  "example not an envelope",
		files: map[string]string{"im/im.a.b.yaml": head + "example: '[1, 2]'\n"},
		want: []string{
			`T/im/im.a.b.yaml:6:10: "example" must be the whole response envelope, a JSON object like {"result": ...}`,
		},
	},
	{
		name: "helpers",
		files: map[string]string{
			"im/_types.yaml": "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n",
			"im/_helpers.yaml": `spec: 1
helpers:
  - ru: А
    en: A
    region: R
    summary: {en: E, ru: R}
    result: Nothing
    options:
      - {cli: title, ru: Т, en: T, type: string}
    template: |
      {"NAME": "$title", "LINK": "$url"}
    clear: title
  - ru: Б
    en: B
    region: R
    summary: {en: E, ru: R}
    result: Block
    template: |
      {"NAME": "$title",
    clear: none
`,
		},
		want: []string{
			`T/im/_helpers.yaml:7:13: helper result "Nothing" is not a structure of im/_types.yaml`,
			`T/im/_helpers.yaml:11:34: template placeholder "$url" is not an option of A`,
			`T/im/_helpers.yaml:12:12: "clear" must name a boolean option; "title" is string`,
			`T/im/_helpers.yaml:19:25: "template" is not valid JSON: unexpected end of JSON input`,
			`T/im/_helpers.yaml:20:12: "clear" names "none", which is not an option of B`,
		},
	},
	{
		name: "layout",
		files: map[string]string{
			"README.md":           "ignored",
			"im.a.b.yaml":         head,
			"im/notes.txt":        "x",
			"im/_other.yaml":      "spec: 1\n",
			"im/sub/im.a.b.yaml":  head,
			"Bad-NS/bad.ns.yaml":  head,
			"im/.im.a.b.yaml.swp": "ignored",
		},
		want: []string{
			`T/Bad-NS: invalid namespace folder "Bad-NS": a namespace folder is lower-case letters, digits and _, starting with a letter`,
			`T/im.a.b.yaml: a YAML file at the root of the spec: method files go in <namespace>/<method>.yaml`,
			`T/im/_other.yaml: unexpected file "_other.yaml": a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml`,
			`T/im/notes.txt: unexpected file "notes.txt": a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml`,
			`T/im/sub: a folder inside namespace "im": a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml`,
		},
	},
	{
		name: "not YAML",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: [string
`},
		want: []string{
			`T/im/im.a.b.yaml:7:1: invalid YAML: did not find expected ',' or ']'`,
		},
	},
	{
		name: "empty and multi-document files",
		files: map[string]string{
			"im/im.a.c.yaml": "",
			"im/im.a.b.yaml": head + "---\nspec: 1\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:6:1: a spec file holds one YAML document; remove the "---" separator`,
			`T/im/im.a.c.yaml:1:1: file is empty: it must start with "spec: 1"`,
		},
	},
	{
		name: "several bad files",
		files: map[string]string{
			"im/im.a.b.yaml":   head + "foo: 1\n",
			"im/im.a.c.yaml":   "spec: 1\nmethod: im.a.c\nscope: im\nkind: maybe\nsummary: {en: E, ru: R}\n",
			"crm/crm.x.yaml":   "spec: 1\nmethod: crm.x\nscope: crm\nkind: read\nsummary: {en: E}\nparams:\n  - name: A\n    type: Nope\n",
			"crm/_types.yaml":  "spec: 1\ntypes: {}\n",
			"im/_helpers.yaml": "spec: 1\nhelpers:\n  - ru: [\n",
		},
		want: []string{
			`T/crm/_types.yaml:2:8: "types" must be a list, found a mapping`,
			`T/crm/crm.x.yaml:5:10: missing key "ru" in "summary"`,
			`T/crm/crm.x.yaml:8:11: unknown type "Nope": no structure Nope in crm/_types.yaml`,
			`T/im/_helpers.yaml:3:1: invalid YAML: did not find expected node content`,
			`T/im/im.a.b.yaml:6:1: unknown key "foo" in method file (allowed: spec, method, api, scope, kind, summary, docs, source, go_name, deprecated, positional, list, one_of, upload, params, drop, result, example, opi, overlay)`,
			`T/im/im.a.c.yaml:4:7: "kind" must be read or write, found "maybe"`,
		},
	},
	{
		name:  "aliases",
		files: map[string]string{"im/im.a.b.yaml": head + "docs: &d https://x.example\ngo_name: *d\n"},
		want: []string{
			`T/im/im.a.b.yaml:7:10: YAML aliases are not supported: write "go_name" out`,
		},
	},
	{
		name: "more value checks",
		files: map[string]string{"im/im.a.b.yaml": head + `deprecated:
  successor: not a method
result:
  summary: {en: E, ru: R}
example: |
  {"time": {}}
opi:
  - ru: Два слова
    en: F
    region: R
    fixed:
      A: {x: 1}
params:
  - name: A
    type: string
`},
		want: []string{
			`T/im/im.a.b.yaml:7:14: invalid successor "not a method": a wire name is one or more dot-separated segments of letters, digits and _, the first starting with a letter (im.dialog.unread, profile)`,
			`T/im/im.a.b.yaml:9:3: missing key "type" in "result"`,
			`T/im/im.a.b.yaml:10:10: "example" must be the whole response envelope: the JSON object has no "result"`,
			`T/im/im.a.b.yaml:13:9: invalid OPI name "Два слова": an OPI name is letters, digits and _ only`,
			`T/im/im.a.b.yaml:17:10: a fixed value must be a string, an integer, a number or a boolean, found a mapping`,
		},
	},
	{
		name: "helper checks",
		files: map[string]string{"im/_helpers.yaml": `spec: 1
helpers:
  - ru: А
    en: A
    region: R
    summary: {en: E}
    result: block
    options:
      - {cli: x, ru: Х, en: X, type: Blk}
      - {cli: x, ru: Y, en: Y, type: string}
    template: "[1]"
`},
		want: []string{
			`T/im/_helpers.yaml:6:14: missing key "ru" in "summary"`,
			`T/im/_helpers.yaml:7:13: helper result "block" must be a structure of im/_types.yaml`,
			`T/im/_helpers.yaml:9:38: unknown type "Blk": no structure Blk in im/_types.yaml`,
			`T/im/_helpers.yaml:10:15: helper option "x" is used twice in A: also at T/im/_helpers.yaml:9:9`,
			`T/im/_helpers.yaml:11:15: "template" must be a JSON object`,
		},
	},
	{
		name:  "summary optional, complete when present",
		files: map[string]string{"im/im.a.b.yaml": "spec: 1\nmethod: im.a.b\nscope: im\nkind: read\nsummary: {ru: R}\n", "im/im.a.c.yaml": "spec: 1\nmethod: im.a.c\nscope: im\nkind: read\n"},
		want: []string{
			`T/im/im.a.b.yaml:5:10: missing key "en" in "summary"`,
		},
	},
	{
		name: "positional",
		files: map[string]string{
			"im/im.a.b.yaml": head + "positional: yes\n",
			"im/im.a.c.yaml": `spec: 1
method: im.a.c
scope: im
kind: write
positional: true
params:
  - name: A
    type: string
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: a, param: A, ru: А, en: A}
      - {cli: b, spread: true, ru: Б, en: B}
`,
		},
		want: []string{
			`T/im/im.a.b.yaml:6:13: "positional" must be true or false, found the string "yes"`,
			`T/im/im.a.c.yaml:15:9: OPI option "b" spreads keys into the request, but a positional method sends a list: use "param"`,
		},
	},
	{
		name: "drop",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
drop:
  - name: A
    fix: Not needed.
  - name: UF_...
    fix: A placeholder of the docs.
  - name: UF_...
    fix: Again.
  - name: B
  - {name: "", fix: ""}
  - C
  - name: D
    fix: 1
`},
		want: []string{
			`T/im/im.a.b.yaml:10:11: dropped "A" is also a param of this method (at T/im/im.a.b.yaml:7:5): keep one of them`,
			`T/im/im.a.b.yaml:14:5: drop "UF_..." is listed twice: also at T/im/im.a.b.yaml:12:5`,
			`T/im/im.a.b.yaml:16:5: missing key "fix" in drop`,
			`T/im/im.a.b.yaml:17:12: "name" of a drop must not be empty`,
			`T/im/im.a.b.yaml:17:21: "fix" of a drop must not be empty`,
			`T/im/im.a.b.yaml:18:5: drop must be a mapping, found the string "C"`,
			`T/im/im.a.b.yaml:20:10: "fix" must be a string, found the integer 1 (quote it)`,
		},
	},
	{
		name: "fields",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: string
    fields:
      - name: X
        type: string
  - name: B
    type: "[]object"
    fields:
      - name: X
        type: integer
        cli: x
      - name: X
        type: object
        fields:
          - name: "Y Z"
            type: map[int]string
          - name: W
            type: object
          - name: W
            type: Block
            fields: []
  - name: C
    type: object
    fields: {X: string}
`},
		want: []string{
			`T/im/im.a.b.yaml:9:5: "fields" applies to object, []object or map[string]object params only, this one is string (a named structure has its fields in im/_types.yaml)`,
			`T/im/im.a.b.yaml:17:9: "cli" applies to a method's params only: a nested field is set through its parent's JSON`,
			`T/im/im.a.b.yaml:18:9: field "X" is defined twice: also at T/im/im.a.b.yaml:15:9`,
			`T/im/im.a.b.yaml:21:19: invalid field name "Y Z": a wire name is letters, digits and _ only, starting with a letter or _ unless it is all digits (write FIELDS[TITLE] as a param FIELDS with "fields" or a structure type)`,
			`T/im/im.a.b.yaml:22:19: unknown type "map[int]string": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
			`T/im/im.a.b.yaml:25:13: field "W" is defined twice: also at T/im/im.a.b.yaml:23:13`,
			`T/im/im.a.b.yaml:26:19: unknown type "Block": no structure Block in im/_types.yaml`,
			`T/im/im.a.b.yaml:27:13: "fields" applies to object, []object or map[string]object fields only, this one is Block (a named structure has its fields in im/_types.yaml)`,
			`T/im/im.a.b.yaml:30:13: "fields" must be a list, found a mapping`,
		},
	},
	{
		name: "filename",
		files: map[string]string{
			"im/im.a.b.yaml": head + `params:
  - name: content
    type: base64
    filename: name
  - name: name
    type: string
  - name: data
    type: base64
    filename: nowhere
  - name: picture
    type: file
    filename: name
  - name: pair
    type: object
    fields:
      - name: body
        type: base64
        filename: size
      - name: size
        type: integer
`,
		},
		want: []string{
			`T/im/im.a.b.yaml:12:5: "filename" "nowhere" of "data": want the name of a string parameter beside it`,
			`T/im/im.a.b.yaml:17:15: "filename" applies to base64 params only (a file's content sent apart from its name), this one is file`,
			`T/im/im.a.b.yaml:21:9: "filename" "size" of "body": want the name of a string parameter beside it`,
		},
	},
	{
		name: "upload",
		files: map[string]string{
			"im/im.a.b.yaml": head + "upload: [id]\nparams:\n  - name: id\n    type: id\n",
			"im/im.a.c.yaml": strings.NewReplacer("im.a.b", "im.a.c", "read", "write").Replace(head) + "upload: id\nparams:\n  - name: id\n    type: id\n",
			"im/im.a.d.yaml": strings.NewReplacer("im.a.b", "im.a.d", "read", "write").Replace(head) + `upload: [id, nope, content, data]
params:
  - name: id
    type: id
  - name: content
    type: base64
  - name: data
    type: object
`,
		},
		want: []string{
			`T/im/im.a.b.yaml:6:9: "upload" belongs to a write: an upload stores a file`,
			`T/im/im.a.c.yaml:6:9: "upload" lists the params of a two-step upload's first step (the method answers an uploadUrl), found the string "id"`,
			`T/im/im.a.d.yaml:6:14: upload names the string "nope", which is not a param of the method`,
			`T/im/im.a.d.yaml:6:20: upload names "content", a file's content: the first step goes without it, the file goes to the uploadUrl`,
			`T/im/im.a.d.yaml:6:29: upload names "data" of type object: the first step takes plain values (an ID, a name)`,
		},
	},
	{
		name: "OPI upload options",
		files: map[string]string{
			"im/im.a.b.yaml": strings.Replace(head, "read", "write", 1) + `upload: [id]
params:
  - name: id
    type: id
  - name: title
    type: string
opi:
  - {ru: А, en: A, region: R, options: [{cli: file, upload: content, ru: Ф, en: F}, {cli: name, upload: name, ru: И, en: N}, {cli: id, param: id, ru: И, en: I}]}
  - {ru: Б, en: B, region: R, options: [{cli: file, upload: file, ru: Ф, en: F}, {cli: title, param: title, ru: Т, en: T}]}
  - {ru: В, en: C, region: R, options: [{cli: file, upload: content, param: id, ru: Ф, en: F}, {cli: name, upload: name, ru: И, en: N}]}
`,
			"im/im.a.c.yaml": strings.Replace(head, "im.a.b", "im.a.c", 1) + `opi:
  - {ru: Г, en: D, region: R, options: [{cli: file, upload: content, ru: Ф, en: F}]}
`,
		},
		want: []string{
			`T/im/im.a.b.yaml:14:5: OPI function "B": one of its options has "upload: content" (the file), found 0`,
			`T/im/im.a.b.yaml:14:61: OPI option "file": "upload" is name (the file's name) or content (the file), found "file"`,
			`T/im/im.a.b.yaml:14:82: OPI option "title" of an upload fills "title", which the upload's first step does not take (id)`,
			`T/im/im.a.b.yaml:15:41: OPI option "file" has "upload" and a param: the file of an upload fills none`,
			`T/im/im.a.c.yaml:7:5: OPI function "D" gives a file to upload, but im.a.c has no "upload" (the params of its first step)`,
		},
	},
	{
		name: "free",
		files: map[string]string{
			"im/im.a.b.yaml": head + `params:
  - name: A
    type: object
    free: all
  - name: B
    type: map[string]string
    free: any
  - name: C
    type: object
    fields:
      - name: D
        type: "[]string"
        free: uf
`,
			"im/_types.yaml": `spec: 1
types:
  - name: Block
    summary: {en: E, ru: R}
    free: UF
    fields: []
`,
		},
		want: []string{
			`T/im/_types.yaml:5:11: "free" must be uf (UF_* user fields) or any (any key), found "UF"`,
			`T/im/im.a.b.yaml:9:11: "free" must be uf (UF_* user fields) or any (any key), found "all"`,
			`T/im/im.a.b.yaml:12:11: "free" applies to object, []object or map[string]object params only, this one is map[string]string`,
			`T/im/im.a.b.yaml:18:15: "free" applies to object, []object or map[string]object fields only, this one is []string`,
		},
	},
	{
		name: "short",
		files: map[string]string{
			"im/_types.yaml": `spec: 1
types:
  - name: Attach
    summary: {en: E, ru: R}
    short: ID
    fields:
      - name: ID
        type: integer
      - name: BLOCKS
        type: "[]string"
  - name: Other
    summary: {en: E, ru: R}
    short: NOPE
    fields: []
`,
		},
		want: []string{
			`T/im/_types.yaml:5:12: "short" must name a list field of Attach (the form sent when it is the only one set), found the string "ID"`,
			`T/im/_types.yaml:13:12: "short" must name a list field of Other (the form sent when it is the only one set), found the string "NOPE"`,
		},
	},
	{
		name: "words file",
		files: map[string]string{"_words.yaml": `spec: 1
compounds:
  - {name: taskid, words: task id}
  - {name: TaskID, words: task id}
  - {name: userid, words: user}
  - {name: itemid, words: item ids}
  - {name: taskid, words: task id}
  - {name: x, more: 1}
`},
		want: []string{
			`T/_words.yaml:4:12: compound "TaskID" must be lower-case letters and digits (the name as one word)`,
			`T/_words.yaml:5:27: the words of compound "userid" must be two or more that spell it, found "user"`,
			`T/_words.yaml:6:27: the words of compound "itemid" must be two or more that spell it, found "item ids"`,
			`T/_words.yaml:7:12: compound "taskid" is listed twice (first at line 3)`,
			`T/_words.yaml:8:5: missing key "words" in a compound`,
			`T/_words.yaml:8:15: unknown key "more" in a compound (allowed: name, words)`,
		},
	},
	{
		name: "result bool",
		files: map[string]string{
			"im/im.a.b.yaml": head + "result:\n  type: string\n  bool: YN\n",
			"im/im.a.c.yaml": "spec: 1\nmethod: im.a.c\nscope: im\nkind: read\nsummary: {en: E, ru: R}\nresult:\n  type: boolean\n  bool: \"10\"\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:8:9: "bool" of a result must be YN or json and applies to a boolean result, found the string "YN" for string`,
			`T/im/im.a.c.yaml:8:9: "bool" of a result must be YN or json and applies to a boolean result, found the string "10" for boolean`,
		},
	},
	{
		name: "result fields and fix",
		files: map[string]string{"im/im.a.b.yaml": head + `result:
  type: boolean
  fix: [x]
  free: any
  fields:
    - name: ID
      type: id
    - name: ID
      type: idd
`},
		want: []string{
			`T/im/im.a.b.yaml:8:8: "fix" must be a string, found a list`,
			`T/im/im.a.b.yaml:9:3: unknown key "free" in "result" (allowed: type, bool, summary, fields, fix)`,
			`T/im/im.a.b.yaml:10:3: "fields" applies to object, []object or map[string]object results only, this one is boolean (a named structure has its fields in im/_types.yaml)`,
			`T/im/im.a.b.yaml:13:7: field "ID" is defined twice: also at T/im/im.a.b.yaml:11:7`,
			`T/im/im.a.b.yaml:14:13: unknown type "idd": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
		},
	},
	{
		name: "map types",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: A
    type: map[string]strng
  - name: B
    type: "map[string][]Nope"
  - name: C
    type: map[string]
  - name: D
    type: "[]map[string]map[string]any"
result:
  type: map[string]Block
`, "im/_types.yaml": "spec: 1\ntypes:\n  - name: Block\n    summary: {en: E, ru: R}\n    fields: []\n"},
		want: []string{
			`T/im/im.a.b.yaml:8:11: unknown type "map[string]strng": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
			`T/im/im.a.b.yaml:10:11: unknown type "Nope": no structure Nope in im/_types.yaml`,
			`T/im/im.a.b.yaml:12:11: unknown type "map[string]": use string, integer, number, boolean, id, dialog_id, date, datetime, object, any, base64, file, file_data, []T, map[string]T or a structure of im/_types.yaml`,
		},
	},
	{
		name: "wire names with digits",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: "0"
    type: string
  - name: 1A
    type: string
  - name: _A1
    type: string
  - name: "12"
    type: string
    cli: twelve
`},
		want: []string{
			`T/im/im.a.b.yaml:9:11: invalid param name "1A": a wire name is letters, digits and _ only, starting with a letter or _ unless it is all digits (write FIELDS[TITLE] as a param FIELDS with "fields" or a structure type)`,
		},
	},
	{
		name: "list shapes",
		files: map[string]string{
			"im/im.a.b.yaml": head + "list: {rows: 1x, id: ID, page: 50}\nparams:\n  - {name: start, type: integer}\n",
			"im/im.a.c.yaml": "spec: 1\nmethod: im.a.c\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {}\nparams:\n  - {name: filter, type: object}\n",
			"im/im.a.d.yaml": "spec: 1\nmethod: im.a.d\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "positional: true\nlist: {}\nparams:\n  - {name: start, type: integer}\n",
			"im/im.a.e.yaml": "spec: 1\nmethod: im.a.e\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, id: id, limit: 0}\nparams:\n  - {name: start, type: integer}\n",
			"im/im.a.f.yaml": "spec: 1\nmethod: im.a.f\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, limit: \"50\"}\nparams:\n  - {name: pagination, type: object}\n",
			"im/im.a.g.yaml": "spec: 1\nmethod: im.a.g\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {limit: 50}\nparams:\n  - {name: start, type: integer}\n",
			"im/im.a.i.yaml": "spec: 1\nmethod: im.a.i\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, id: id, cursor: nextCursor}\nparams:\n  - {name: start, type: integer}\n",
			"im/im.a.h.yaml": "spec: 1\nmethod: im.a.h\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, id: id, limit: 1000}\nparams:\n  - {name: pagination, type: object}\n",
			"im/im.a.j.yaml": "spec: 1\nmethod: im.a.j\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, seek: cursor}\nparams:\n  - {name: cursor, type: object}\n",
			"im/im.a.k.yaml": "spec: 1\nmethod: im.a.k\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, id: id, seek: position}\nparams:\n  - {name: cursor, type: object}\n",
			"im/im.a.l.yaml": "spec: 1\nmethod: im.a.l\napi: 3\nscope: im\nkind: read\nsummary: {en: E, ru: R}\n" + "list: {rows: items, id: id, seek: cursor}\nparams:\n  - {name: cursor, type: object}\n",
		},
		want: []string{
			`T/im/im.a.b.yaml:6:14: list rows "1x": a result key is letters, digits and _, starting with a letter or _`,
			`T/im/im.a.b.yaml:6:22: list id "ID" walks the rows with filter and order: the method needs both params`,
			`T/im/im.a.b.yaml:6:26: unknown key "page" in "list" (allowed: rows, id, limit, cursor, seek)`,
			`T/im/im.a.c.yaml:6:7: a list method pages with start: add the start param`,
			`T/im/im.a.d.yaml:7:7: a positional method cannot be a list method: it has no named start`,
			"T/im/im.a.e.yaml:7:7: a REST 3.0 list method pages with pagination: add the pagination param",
			"T/im/im.a.e.yaml:7:36: list limit: the rows a REST 3.0 list returns a request at most, a positive integer (api: 3 only)",
			"T/im/im.a.f.yaml:7:28: list limit: the rows a REST 3.0 list returns a request at most, a positive integer (api: 3 only)",
			"T/im/im.a.g.yaml:6:15: list limit: the rows a REST 3.0 list returns a request at most, a positive integer (api: 3 only)",
			`T/im/im.a.h.yaml:7:25: list id "id" walks the rows with filter and order: the method needs both params`,
			`T/im/im.a.i.yaml:6:37: list cursor "nextCursor": the answer's cursor of a REST 3.0 list, sent back as pagination.afterCursor (api: 3 only)`,
			`T/im/im.a.j.yaml:7:27: list seek "cursor": the param of a REST 3.0 list that takes {field, order, value, limit}, walked by the list's id (api: 3, an id, no cursor, and the param itself)`,
			`T/im/im.a.k.yaml:7:35: list seek "position": the param of a REST 3.0 list that takes {field, order, value, limit}, walked by the list's id (api: 3, an id, no cursor, and the param itself)`,
		},
	},
	{
		name: "OPI invert needs a boolean",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - {name: ID, type: id}
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: id, param: ID, ru: И, en: I, invert: true}
`},
		want: []string{
			`T/im/im.a.b.yaml:13:52: OPI option "id": "invert" needs a boolean param`,
		},
	},
	{
		name: "OPI spread keys",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - {name: ID, type: id}
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: id, param: ID, ru: И, en: I, keys: [ID]}
      - {cli: all, spread: true, ru: В, en: A, keys: [ID, NOPE]}
`},
		want: []string{
			`T/im/im.a.b.yaml:13:51: OPI option "id": "keys" belongs to a spread option`,
			`T/im/im.a.b.yaml:14:59: OPI option "all": key "NOPE" is not a param of this method`,
		},
	},
	{
		name: "OPI nested key",
		files: map[string]string{"im/im.a.b.yaml": head + `params:
  - name: FIELDS
    type: object
    fields:
      - {name: TITLE, type: string}
opi:
  - ru: Ф
    en: F
    region: R
    options:
      - {cli: title, param: FIELDS.TITLE, ru: Н, en: T}
      - {cli: text, param: FIELDS.TEXT, ru: Т, en: X}
`},
		want: []string{
			`T/im/im.a.b.yaml:17:28: OPI option "text" fills "FIELDS.TEXT", but param FIELDS documents no field TEXT`,
		},
	},
}
