// Package spec loads the YAML spec tree (format v1, see spec/README.md) strictly:
// every problem is reported with its file, line and column, and all of them at once.
package spec

// The spec's words for a method's kind, a boolean's wire form and a structure's free keys, shared by
// the loader, the importer and the generator.
const (
	KindRead  = "read"  // only reads: safe to repeat when it may have run
	KindWrite = "write" // changes data: never repeated

	BoolYN   = "YN"   // "Y" / "N"
	Bool10   = "10"   // 1 / 0
	BoolJSON = "json" // true / false

	FreeUF  = "uf"  // also UF_* user fields
	FreeAny = "any" // any other key too

	API3 = 3 // a method's api: REST 3.0, called at /rest/api/

	// TwinSuffix ends the name of the file of a REST 3.0 method whose name REST 2.0 also has, with
	// other parameters (spec/tasks/tasks.task.get@3.yaml beside tasks.task.get.yaml).
	TwinSuffix = "@3"
)

// Text is a one-line text in both languages of the project.
type Text struct {
	EN string
	RU string
}

// Pos is where a node was found, for error messages.
type Pos struct {
	File string // the folder given to Load joined with the file's path inside the tree; Name/path for a Source
	Line int
	Col  int
}

// Spec is the whole tree, ready for the model: namespaces sorted by name,
// methods, types and helpers sorted by name inside each.
type Spec struct {
	Namespaces []*Namespace
	Events     []*Event // spec/_events/, sorted by wire name
	// Compounds are the wire names written as one word in one case (taskid) with their words
	// (task id), from _words.yaml: Words cannot see where such a name's words meet.
	Compounds map[string][]string
}

// Namespace is one folder of the tree: spec/<Name>/.
type Namespace struct {
	Name    string // folder name, the first segment of its methods' wire names ("im", "crm", "sonet_group")
	Methods []*Method
	Types   []*Struct
	Helpers []*Helper
}

// Method is one spec/<namespace>/<method>.yaml file.
type Method struct {
	Pos        Pos
	File       string // path inside the tree with forward slashes: "im/im.dialog.unread.yaml"
	Folder     string // the Name of the spec folder of its last file, "" for the first (the base)
	Name       string // wire name
	Scope      string
	Kind       string // "read" or "write"
	API        int    // API3 for a REST 3.0 method (called at /rest/api/), 0 for REST 2.0
	Twin       bool   // a REST 3.0 method whose name a REST 2.0 method has too: in <name>@3.yaml
	Summary    Text
	Docs       string
	Source     string // "docs": only the docs pages' tables document it; "hand": written by hand from a docs page; "": the official schema
	GoName     string // "" when not overridden
	Deprecated *Deprecation
	Params     []*Param
	Result     *Result // nil when the spec says nothing: the model treats it as "any"
	Example    string  // JSON text exactly as written in the file, "" when absent
	OPI        []*OPIFunc
	Positional bool       // the request body is a JSON array of the params, in order
	Drop       []*Drop    // schema parameters left out on purpose; the importer never brings them back
	List       *List      // nil unless a list method: rows 50 a page, walked with start
	OneOf      [][]string // either-or params: a call needs one of each group (IBLOCK_ID, IBLOCK_CODE)
	// Upload names the params of a two-step upload's first step: called with only them (without
	// the file's content), the method answers an uploadUrl that takes the file as a multipart POST
	Upload []string
}

// List is how a list method returns its rows and how they can be walked.
type List struct {
	Pos  Pos
	Rows string // the result key that holds the rows; "" when the result is the list itself
	ID   string // the rows' ID field as filter and order spell it; "" when they cannot be walked by ID
	// Limit is how many rows a REST 3.0 list returns a request at most (its pagination.limit); 0
	// for a 2.0 list, which pages 50 at a time
	Limit int // a REST 3.0 list without ID pages by pagination offsets
	// Cursor is the result key of a REST 3.0 list's own cursor (nextCursor), sent back as
	// pagination.afterCursor; "" for a list walked by ID or offsets
	Cursor string
	// Seek is the param that takes a REST 3.0 list's position as {field, order, value, limit}
	// (main.eventlog.tail's cursor): the walk by ID sends the last ID there, not as a condition
	Seek string
}

// Drop is a parameter of the official schema that the spec leaves out, and why.
type Drop struct {
	Pos  Pos
	Name string
	Fix  string
}

// Deprecation marks a method the vendor asks not to use any more.
type Deprecation struct {
	Successor string // "" when the docs name none
}

// Param is a method parameter or a field of a named structure.
type Param struct {
	Pos      Pos
	Name     string // wire name
	Type     string // a type expression: "string", "[]integer", "AttachBlock", ...
	Required bool
	CLI      string // CLI option without dashes; Load fills the default (wire name in lower kebab case)
	GoName   string // "" when not overridden
	Bool     string // "YN", "10" or "json"; Load sets "json" for booleans without it, "" for other types
	Default  string
	Enum     []string
	Summary  Text
	Fix      string
	Fields   []*Param // documented keys of an object or []object param; the model makes a struct of them
	Free     string   // "" (only Fields), "uf" (also UF_* user fields) or "any" (any other key too)
	// FileName is, for a file's content sent apart from its name (type base64), the wire name of
	// the sibling parameter that takes the file's name (note.file.add's fileName beside fileContent).
	FileName string
}

// Result is what a method returns under "result".
type Result struct {
	Type    string
	Bool    string // a boolean result's wire form: YN keeps "Y"/"N" when encoded again
	Summary Text
	Fields  []*Param // documented keys of an object or []object result; decoded leniently
	Fix     string   // why the result differs from the schema; the importer keeps such a result as it is
}

// OPIFunc is an OpenIntegrations function that calls the method.
type OPIFunc struct {
	Pos     Pos
	RU      string
	EN      string
	Aliases []string
	Region  string
	Options []*OPIOption
	Fixed   []Fixed // in file order
}

// OPIOption is one CLI option of an OPI function.
type OPIOption struct {
	Pos      Pos
	CLI      string
	Param    string // wire name of the parameter it fills, or param.KEY for one key of an object param; "" when Spread
	Spread   bool   // a structure whose keys go to the top level of the request
	RU       string
	EN       string
	Required *bool    // nil: as the parameter says (Spread options are required unless set false)
	Keys     []string // Spread only: the keys copied to the top level, others ignored; nil copies every key
	Default  string   // the option's text when it is not given ("true"); "" for none
	Invert   bool     // a boolean option that sends the opposite value (OPI's Fire sends ACTIVE = not Fire)
	// Upload is "name" or "content" for an option that gives the file of the method's two-step
	// upload (its name, or the file itself), as OPI's UploadFileToFolder does; "" otherwise
	Upload string
}

// Fixed is a field an OPI function always sends with a constant value.
type Fixed struct {
	Key   string
	Value any // string, int, float64 or bool, as YAML decoded it
}

// Struct is a named structure from a _types.yaml file.
type Struct struct {
	Pos     Pos
	File    string
	Folder  string // as Method.Folder
	Name    string
	Summary Text
	Fields  []*Param
	Free    string // as Param.Free
	Short   string // the list field sent alone when it is the only one set (an attachment's BLOCKS)
}

// Helper is an OPI function that builds a structure locally and sends nothing.
type Helper struct {
	Pos      Pos
	File     string
	RU       string
	EN       string
	Aliases  []string
	Region   string
	Summary  Text
	Result   string // named structure it builds
	Options  []*HelperOption
	Template string // JSON text; a string value "$<cli>" is replaced by that option's value
	Clear    string // cli name of a boolean option that empties every value when true; "" when none
}

// HelperOption is one CLI option of a helper.
type HelperOption struct {
	Pos      Pos
	CLI      string
	RU       string
	EN       string
	Type     string
	Required bool
	Summary  Text
}
