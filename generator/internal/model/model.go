// Package model turns the loaded spec into everything the emitters print: Go package, type, method
// and field names, Go types, CLI option types, file names and example values. Emitters take these
// decisions as they are; a naming rule changes here and nowhere else.
package model

import (
	"cmp"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
	"github.com/b24gen/b24gen/internal/signedlink"
)

// Import paths the generated code refers to.
const (
	ModulePath    = "github.com/b24gen/b24gen"
	RuntimePath   = ModulePath + "/b24"
	GeneratedPath = ModulePath + "/generated" // this repository's output tree
	ClikitPath    = ModulePath + "/clikit"
	B24testPath   = ModulePath + "/b24test"
	EventRuntime  = ModulePath + "/b24event"
	JSONPath      = "encoding/json"
)

// Text is a one-line text in English and Russian.
type Text = spec.Text

// Model is the whole generated surface.
type Model struct {
	// Root is the import path of the output tree: GeneratedPath here, a folder of their module for users.
	Root string
	// Own is true when Root is this repository's tree: its tests, which use the module's internal
	// packages, and its fixtures, which b24test builds in, are generated only there.
	Own        bool
	Namespaces []*Namespace // sorted by name
	Methods    []*Method    // every method, sorted by wire name
	OPI        []*OPIFunc   // every OPI function (API and helper), sorted by EN name
	Events     []*Event     // every event, sorted by wire name: the package events
}

// Namespace is one spec folder and one generated Go package.
type Namespace struct {
	Name       string // spec folder and first wire segment: "sonet_group"
	Package    string // Go package name and folder under generated/: "sonetgroup"
	ImportPath string
	Methods    []*Method // sorted by wire name
	Entities   []*Entity // sorted by file name
	Types      []*Struct // sorted by name
	TypesFile  string    // "spec/im/_types.yaml", "" without types
	Helpers    []*Helper // sorted by EN name
	OPI        []*OPIFunc
	Records    []*Record // the entities whose methods answer the same record, merged (see records)
}

// Entity is the group of methods printed into one file: the second wire segment
// (im.dialog.* → dialog.gen.go); methods with two segments (user.get) go to <namespace>.gen.go.
type Entity struct {
	Name    string // file stem: "dialog"
	File    string // "dialog.gen.go"
	Methods []*Method
	Sources []string // spec files, sorted
	Source  string   // for the file header: the one file, or a glob of them (spec/im/im.dialog.*.yaml)
}

// Method is one REST method. Its Go names follow one rule: X (the method), XParams, XResponse (the
// whole envelope, b24.Response[T]), XResult (the structure of a result with documented fields: what
// the envelope's Result field holds), XCmd and XAll.
type Method struct {
	Wire string // "im.dialog.unread"
	// Command names the method apart from any other: the wire name, with "@3" for the REST 3.0
	// twin of a 2.0 name (tasks.task.get@3): the CLI command, the docs page, the catalogs' key.
	Command      string
	NS           *Namespace
	Entity       *Entity
	SpecFile     string // "spec/im/im.dialog.unread.yaml"
	GoName       string // "DialogUnread"
	ParamsType   string // "DialogUnreadParams"
	ResponseType string // "DialogUnreadResponse"
	Cmd          string // "DialogUnreadCmd": adds the method to a b24.Batch
	Scope        string
	Kind         string // "read" (safe to repeat) or "write"
	API3         bool   // a REST 3.0 method: called at /rest/api/, its command in a 3.0 batch
	// Destructive: a write that deletes or overwrites what is there (its name's last word deletes,
	// removes, clears, updates, sets…); an add is not. MCP's destructiveHint says it.
	Destructive bool
	// Conditions is the wire name of a REST 3.0 method's filter when it is 3.0's list of conditions
	// (["field", "op", value], {"logic": "or", …}); "" otherwise (call.followup.list's is an object)
	Conditions  string
	Summary     Text // may be empty: imported methods have none until somebody writes one
	Docs        string
	Deprecated  bool
	Successor   string  // wire name, "" when none is named
	SuccessorM  *Method // the successor when the spec has it
	Params      []*Field
	Result      Result
	Example     string // the example envelope as written, "" when none
	Compact     string // the example compacted to one line, for the fixtures
	OPI         []*OPIFunc
	Required    []string // wire names of the required params, in spec order; "A|B" for one of A and B
	OneOf       [][]string
	Positional  bool    // the body is a JSON array of Params, in order
	Extra       string  // Go name of the params\' map of undocumented keys; "" for positional methods
	ParamsAlias *Method // a method whose params struct is the same field for field: ParamsType is an alias of its
	ResultType  string  // "DealGetResult" when the result has documented fields, else ""
	List        *List   // nil unless a list method
	// Upload are the params of a two-step upload's first step (the method answers an uploadUrl),
	// in spec order; nil for a method without one. UploadFunc is the Go function that runs it
	// ("FolderUploadFileFrom"), and UploadName the first step's param that names the file, when
	// one does (attachRecord's FILENAME): the function fills it with the file's name.
	Upload     []*Field
	UploadFunc string
	UploadName *Field
	Structs    []*Struct
	// Structs are the structures generated from the method's documented nested fields (params
	// first, then the result), each after its parent, printed next to the method.
}

// List is a list method's shape, as b24.ListShape takes it: wire names as the method spells them.
type List struct {
	GoName               string // "DealListAll": the method that returns every row
	Rows, ID             string
	Start, Filter, Order string
	Select               string
	Row                  *Type // the Go type of one row: a result structure, or json.RawMessage
	// API3: a REST 3.0 list, walked by ID with conditions and pagination; Limit is its largest
	// page, 0 for 50
	API3   bool
	Limit  int
	Cursor string // a REST 3.0 list's own cursor: the answer's key, sent back as pagination.afterCursor
	Seek   string // the param a REST 3.0 list takes its position in, {field, order, value, limit}
}

// Wires are the fields' wire names, in order.
func Wires(fs []*Field) []string {
	w := make([]string, len(fs))
	for i, f := range fs {
		w[i] = f.Wire
	}
	return w
}

// Enumerate writes names as a sentence lists them: "a", "a and b", "a, b and c".
func Enumerate(names []string, and string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

// Page is how many rows one request of the list returns: 50, or a REST 3.0 list's Limit.
func (l *List) Page() int { return cmp.Or(l.Limit, 50) }

// Reads reports whether the method only reads (kind: read), so that a call that may have run can
// be sent again.
func (m *Method) Reads() bool { return m.Kind == spec.KindRead }

// Summarized is the method's summary in a language, or the fallback sentence every page and doc
// comment uses when the spec has none.
func (m *Method) Summarized(lang string) string {
	switch {
	case lang == "ru" && m.Summary.RU != "":
		return m.Summary.RU
	case lang == "ru":
		return "Вызывает метод REST API Битрикс24 " + m.Wire + "."
	case m.Summary.EN != "":
		return m.Summary.EN
	}
	return "Calls the Bitrix24 REST method " + m.Wire + "."
}

// Result is what a method returns under "result".
type Result struct {
	Value   *Value // any when the spec gives no type
	Go      *Type
	Summary Text
	Struct  *Struct // the decoded structure when the spec documents the result's fields
}

// Field is a method parameter or a field of a named structure.
type Field struct {
	Wire     string
	GoName   string
	Flag     string // CLI option
	Value    *Value // what it is, for every output
	Type     *Type  // Go type as declared (a pointer for optional scalars)
	Required bool   // the docs mark it required; at the top level, the call is refused before sending without it
	// Documented: the docs mark it required, but the portal does not surely refuse a call without
	// it, so the call is sent (see surelyRequired); Required is then false.
	Documented bool
	Top        bool     // a parameter of a method, not a field of one
	OneOf      []string // the either-or group the parameter belongs to, itself included
	Omit       string   // the json tag's omission option: "omitempty" or "omitzero"
	Bool       string   // "YN", "10" or "json" for booleans
	CLIType    string   // clikit.Param.Type: named structures become "object"
	Binary     bool     // base64 or file, also inside arrays: the CLI takes a path or URL
	// Names: a parameter listing field names (select): no name has a comma, so the CLI also takes
	// them separated by commas, as --select ID,TITLE
	Names   bool
	Default string
	Enum    []string
	Summary Text
	Fix     string
	Sample  *Sample
	Note    string  // an extra line for the Go doc comment (how the value goes on the wire)
	Struct  *Struct // the generated structure of an object or []object with documented fields
	// FileName is the sibling field taking the file's name, for a file's content sent apart from
	// it (spec "filename"); nil otherwise.
	FileName *Field
}

// Remark is what every output says of a field beyond its summary: for a file's content sent apart
// from its name, where the name goes; for a signed download link, how it is fetched and kept.
func (f *Field) Remark() Text {
	switch {
	case f.FileName != nil:
		return Text{
			EN: "The file's content; its name goes in " + f.FileName.Wire + ".",
			RU: "Содержимое файла; его имя — в " + f.FileName.Wire + ".",
		}
	case signedlink.Key(f.Wire) && f.Value.Is(String):
		return Text{
			EN: "A signed link to the file's content: b24 download and Client.Download fetch it. It works as a credential: keep it out of logs.",
			RU: "Подписанная ссылка на содержимое файла: его скачивают b24 download и Client.Download. Ссылка работает как ключ доступа: не пишите её в логи.",
		}
	}
	return Text{}
}

// DocsRequired reports a parameter the docs mark required, whether the call is refused without it or not.
func (f *Field) DocsRequired() bool { return f.Required || f.Documented }

// Struct is a named structure of a namespace (_types.yaml) or one generated from the documented
// fields of a parameter or result.
type Struct struct {
	Name    string
	Summary Text // named structures only
	Doc     string
	// Doc is the first line of a generated structure's comment ("DealAddFields is the fields
	// parameter of [Service.DealAdd].").
	Fields   []*Field
	SpecFile string
	Free     string // "", "uf" or "any": keys beyond Fields are accepted, through Extra
	Extra    string // Go name of the map of free keys ("Extra"), "" when Free is ""
	Result   bool   // part of a result: fields use the tolerant types and decoding never fails on shape
	Short    string // wire name of the list field sent alone when it is the only one set, "" for none
	// Alias is the structure of the package declared the same field for field: this one is
	// printed as an alias of it (see fold); nil when this one is declared.
	Alias *Struct
}

// OPIFunc is an OpenIntegrations function, an API one (Method set) or a helper (Helper set).
type OPIFunc struct {
	RU, EN   string
	Aliases  []string
	Region   string
	Method   *Method
	Helper   *Helper
	Options  []*OPIOption
	Fixed    []Fixed
	DocsFile string // helpers: "GetPictureBlock.md"; API functions are documented on their method's page
}

// OPIOption is one option of an OPI function.
type OPIOption struct {
	Flag     string
	Wire     string // "" for spread and helper options
	Key      string // one key inside the Wire object (FIELDS.TITLE: Wire FIELDS, Key TITLE); "" for the whole param
	Spread   bool
	Type     string // clikit type
	GoType   *Type  // helpers: the Go type of the value
	Bool     string
	Required bool
	Usage    string // English one-liner
	RU, EN   string
	Summary  Text
	Param    *Field // the parameter it fills, nil for spread and helper options
	Sample   *Sample
	Keys     []string // Spread: the keys copied, others ignored; nil copies all
	Lists    []string // Spread: the keys whose param is a list, so that a single value is sent as one
	Default  string   // the option's text when not given
	Invert   bool     // boolean: sends the opposite value
	Upload   string   // "name" or "content": the file of the method's two-step upload; "" otherwise
}

// Fixed is a constant field an OPI function sends.
type Fixed struct {
	Key   string
	Value any // string, int, float64 or bool
}

// Helper is an OPI function that builds a structure locally.
type Helper struct {
	OPI      *OPIFunc
	NS       *Namespace
	SpecFile string
	Summary  Text
	Result   *Struct
	Template string // JSON as written
	Clear    string
}
