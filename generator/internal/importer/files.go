package importer

import (
	"regexp"
	"strings"
)

// File rules: the docs know five inline forms of a file (a bare base64 text, a ["name", base64]
// pair, a list of pairs, {"fileData": pair}, and content and name in two parameters), and each method
// takes one. The examples show it where they send a file; the schema marks some more as files
// without saying the form.
const (
	ruleFileExample = "a parameter the examples send as a file → the form they show: a [\"name.ext\", base64] pair → file, a list of pairs → []file, {\"fileData\": pair} → file_data (a list of them → []file_data), a base64 text in a parameter named for a file or a picture → base64"
	ruleFileParts   = "a text parameter named for a file's content (fileContent, FILE_CONTENT; content in a method or object about a file) beside one naming the file (fileName, FILENAME, name) → base64, with filename: that sibling"
	ruleFileRecord  = "a parameter of a CRM record (crm.lead, crm.deal, crm.contact, crm.company, crm.quote) or of the catalog that no example shows, typed by the schema as a file or named for a picture with no documented keys → file_data: their record methods read a file as {\"fileData\": pair}"
	ruleFileText    = "a text parameter that no example shows, named for a picture's or a file's content (AVATAR, LOGOTYPE, ICON_FILE, fileContent, imageContent) → base64, the form such texts take"
	ruleFileKin     = "a parameter that no example shows, typed by the schema as a file (file, attached_diskfile) or named for a file or a picture and typed a list of any (fileContent, PERSONAL_PHOTO) → the form its namespace's examples send files in (base64 where they send bare content), else the [name, base64] pair; a list of them for FILES (files where the namespace's examples send files) and for a schema array"
)

// reFileWord: a parameter named for a file or a picture.
var reFileWord = regexp.MustCompile(`(?i)file|photo|picture|image|logo|icon|avatar|content`)

// reFileParam: a parameter named for a file or a picture that no example shows, not for their IDs
// (filesIds, IMAGE_FILE_ID); catalog.store's imageId takes a file all the same.
var reFileParam = regexp.MustCompile(`(?i)^(file(content)?|files|.*(photo|picture|image|logo|icon|avatar))(id)?$`)

// reBase64 is base64 content as the examples write it: real content (cut short with "..." or not), or
// a placeholder saying so.
var reBase64 = regexp.MustCompile(`(?i)^[A-Za-z0-9+/\x{00ad}.…]{16,}=*$|base64`)

// reContentText: a text parameter holding a picture's or a file's content.
var reContentText = regexp.MustCompile(`(?i)^(avatar|logotype|icon_file|(file|image)content)$`)

// reRecordFiles are the methods whose file fields take {"fileData": pair}.
var reRecordFiles = regexp.MustCompile(`^(crm\.(lead|deal|contact|company|quote)|catalog)\.`)

func isBase64Text(v any) bool {
	s, ok := v.(string)
	return ok && !strings.HasPrefix(s, "data:") && reBase64.MatchString(s)
}

// reFileExt: a file name with an extension.
var reFileExt = regexp.MustCompile(`\.[A-Za-z0-9]{1,5}$`)

func isPair(v any) bool {
	l, ok := v.([]any)
	if !ok || len(l) != 2 {
		return false
	}
	name, ok := l[0].(string)
	return ok && reFileExt.MatchString(name) && isBase64Text(l[1])
}

func isFileData(v any) bool {
	o, ok := v.(map[string]any)
	return ok && len(o) == 1 && isPair(o["fileData"])
}

// fileFormOf is the file form one example value shows, "" for none; name is the parameter's.
func fileFormOf(name string, v any) string {
	switch {
	case isPair(v):
		return "file"
	case isFileData(v):
		return "file_data"
	case isBase64Text(v) && reFileWord.MatchString(name):
		return "base64"
	}
	if l, ok := v.([]any); ok && len(l) > 0 {
		form := fileFormOf(name, l[0])
		for _, it := range l[1:] {
			if fileFormOf(name, it) != form {
				return ""
			}
		}
		if form == "file" || form == "file_data" {
			return "[]" + form
		}
	}
	return ""
}

// exampleFileForm is the one form every example value of a parameter shows, "" when they show none
// or disagree.
func exampleFileForm(name string, vals []any) string {
	form := ""
	for _, v := range vals {
		f := fileFormOf(name, v)
		if f == "" || form != "" && f != form {
			return ""
		}
		form = f
	}
	return form
}

// namespaceFileForms tallies the single-file forms each namespace's examples send, over every
// parameter at any depth.
func namespaceFileForms(ex examples) map[string]string {
	counts := map[string]map[string]int{}
	var walk func(ns, key string, v any)
	walk = func(ns, key string, v any) {
		if f := strings.TrimPrefix(fileFormOf(key, v), "[]"); f != "" {
			if counts[ns] == nil {
				counts[ns] = map[string]int{}
			}
			counts[ns][f]++
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for k, it := range x {
				walk(ns, k, it)
			}
		case []any:
			for _, it := range x {
				walk(ns, key, it)
			}
		}
	}
	for method, objs := range ex.params {
		ns, _, _ := strings.Cut(method, ".")
		for _, o := range objs {
			walk(ns, "", o)
		}
	}
	out := map[string]string{}
	for ns, c := range counts {
		best := "file" // a tie goes to the pair, the commonest form
		for _, f := range []string{"base64", "file_data"} {
			if c[f] > c[best] {
				best = f
			}
		}
		out[ns] = best
	}
	return out
}

func contentName(low string) bool {
	return low == "filecontent" || low == "file_content" || low == "content"
}
func nameOfFile(low string) bool { return low == "filename" || low == "file_name" || low == "name" }

// fileParts finds the parameter naming the file beside a content parameter p; "" when p is not one.
func fileParts(method, path string, p *iParam, siblings []*iParam) string {
	low := strings.ToLower(p.Name)
	if !contentName(low) || (low == "content" && !strings.Contains(strings.ToLower(method+"."+path), "file")) {
		return ""
	}
	if p.Type != "string" && p.Type != "any" && p.Type != "base64" {
		return ""
	}
	for _, s := range siblings {
		if s != p && s.Type == "string" && nameOfFile(strings.ToLower(s.Name)) {
			return s.Name
		}
	}
	return ""
}

// fileType applies the file rules to one parameter: its type and the rule, "" when none applies.
func (c *converter) fileType(m *iMethod, path string, p *iParam, siblings []*iParam, vals []any) (string, string) {
	if name := fileParts(m.Name, path, p, siblings); name != "" {
		p.FileName = name
		return "base64", ruleFileParts
	}
	if f := exampleFileForm(p.Name, vals); f != "" {
		return f, ruleFileExample
	}
	if len(vals) > 0 {
		return "", ""
	}
	ns, _, _ := strings.Cut(m.Name, ".")
	word := reFileParam.MatchString(p.Name)
	schemaFile := p.Doc == "file" || p.Doc == "attached_diskfile"
	switch {
	case reRecordFiles.MatchString(m.Name) && (schemaFile || word && p.Type == "object" && len(p.Fields) == 0):
		return "file_data", ruleFileRecord
	case reContentText.MatchString(p.Name) && (p.Type == "string" || p.Type == "any") && p.Doc != "":
		return "base64", ruleFileText
	case !schemaFile && !(word && p.Type == "[]any"):
		return "", ""
	}
	plural := p.Name == "FILES" || strings.EqualFold(p.Name, "files") && c.nsFiles[ns] != ""
	switch {
	case !schemaFile && strings.HasSuffix(strings.ToLower(p.Name), "s") && !plural:
		return "", "" // a list of something else: Drive IDs (tasks' files)
	case !schemaFile && plural && strings.HasSuffix(strings.ToLower(m.Name), ".update"):
		return "", "" // an update's FILES may be a map of the IDs to delete (log.blogpost.update)
	}
	form := "file"
	if c.nsFiles[ns] == "base64" && !plural {
		form = "base64"
	}
	if plural || schemaFile && p.Base == "array" {
		form = "[]" + form
	}
	return form, ruleFileKin
}
