// Package clikit is what the generated CLI bindings (generated/cli) are made of: plain descriptors of
// every command and its options, and the parsers that turn an option's text into the value sent on the
// wire. It has no cobra in it, so the bindings stay cheap to compile and free to load lazily.
package clikit

import "github.com/b24gen/b24gen/b24"

// Stub is the least the root command needs to know about a method: enough to list it and to find it.
type Stub struct {
	Name      string // wire name: "im.dialog.unread"
	Namespace string // "im"
	Summary   string // English one-liner
	Scope     string // the access scope the method needs ("im"), "" when the spec names none
}

// Method describes one REST method as a CLI command.
type Method struct {
	Name       string // the command: the wire name, or the REST 3.0 twin's "tasks.task.get@3"
	Wire       string // the wire name when it is not Name (a twin's), "" otherwise
	SummaryEN  string
	SummaryRU  string
	Kind       string // "read" or "write"
	API3       bool   // a REST 3.0 method: sent to /rest/api/
	Deprecated bool
	Successor  string
	Docs       string
	Positional bool // the body is a JSON array of the params in order (task.commentitem.add)
	Params     []Param
	List       *b24.ListShape // list methods: how --all walks the rows
	// Upload are the wire names of a two-step upload's first step: b24 upload --method sends them
	// alone and streams the file to the uploadUrl the method answers
	Upload []string
}

// Param is one option of a method command; it fills one request field.
type Param struct {
	Flag     string // option name without dashes: "chat"
	Wire     string // request field: "DIALOG_ID"
	Type     string // spec type with named structures reduced to "object": "string", "[]integer", "object", ...
	Bool     string // for booleans: "YN", "10" or "json"
	Required bool
	// Documented: the docs mark it required, but the call is sent without it (the portal answers
	// if it needs it); the help says so.
	Documented bool
	// Names: a list of field names (select), also taken separated by commas (ID,TITLE)
	Names bool
	OneOf []string // the options of its either-or group, itself included: one of them is required
	Usage string   // English one-liner
	Enum  []string
	Keys  []string // documented keys of a JSON object (or list of them), for the help; required ones end in "*"
	Free  string   // FreeUF or FreeAny when the object takes keys beyond Keys: user fields, or any
	// Files are the keys inside the option's JSON that take a file: a string "@path" there is read
	// and sent in the key's form.
	Files []FileKey
	// FileName is the option taking the file's name, for a file's content sent apart from it: a path
	// given here names the file when that option is not given.
	FileName string
}

// FileKey is a key inside an option's JSON that takes a file.
type FileKey struct {
	Path string // dotted keys from the option's value; lists on the way are walked item by item
	Type string // its spec type: base64, file, file_data, or a list of them
	Name string // the sibling key taking the file's name (a file's content sent apart from it), "" for none
}

// The values of Param.Free.
const (
	FreeUF  = "uf"  // user fields (UF_*) beside the documented keys
	FreeAny = "any" // any key beside the documented ones
)

// Object is the Type of an option that takes a JSON object (or a path to a .json file).
const Object = "object"

// WireName is the method's wire name, what the call sends.
func (m *Method) WireName() string {
	if m.Wire != "" {
		return m.Wire
	}
	return m.Name
}

// OPIFunc is an OpenIntegrations function: `b24 bitrix24 <RU|EN|alias> [options]`.
type OPIFunc struct {
	RU       string
	EN       string
	Aliases  []string
	Method   string // wire name it calls; "" for a helper
	Options  []Option
	Fixed    []Field // sent as they are, after the options
	Template string  // helpers only: JSON with "$<flag>" placeholders
	Clear    string  // helpers only: flag of the boolean option that empties the template
}

// Option is one OPI option. It fills Wire, or, when Spread, merges a JSON object into the top level.
type Option struct {
	Flag     string
	Wire     string
	Spread   bool
	Type     string
	Bool     string
	Required bool
	Key      string   // one key inside the Wire object: FIELDS.TITLE is Wire FIELDS, Key TITLE
	Keys     []string // Spread: the keys copied to the top level; others are ignored; nil copies all
	Lists    []string // Spread: keys sent as a list, a single value wrapped (OPI's GetCalendarEvents section)
	Default  string   // the text used when the option is not given
	Invert   bool     // boolean: true sends the param's false (OPI's --fire sends ACTIVE=N)
	// Upload is "name" or "content" for the file of the method's two-step upload (OPI's
	// UploadFileToFolder): the function asks for an upload URL and streams the file there
	Upload string
	Usage  string
}

// Uploads reports an OPI function that runs its method's two-step upload: one of its options gives
// the file.
func (f *OPIFunc) Uploads() bool {
	for _, o := range f.Options {
		if o.Upload == "content" {
			return true
		}
	}
	return false
}

// Field is a constant request field.
type Field struct {
	Key   string
	Value any
}
