package model

import (
	"go/token"
	"strings"
	"unicode"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

// initialisms are the words written in capitals inside Go names (Go's own convention: ID, URL, ...).
// The list stays short on purpose: business words such as CRM keep the Crm form, so names stay
// predictable from the wire name without a lookup table of the whole Bitrix24 vocabulary.
var initialisms = map[string]bool{
	"api": true, "html": true, "http": true, "https": true, "id": true, "ip": true,
	"json": true, "uf": true, "uid": true, "url": true, "uri": true, "utm": true, "uuid": true, "xml": true,
}

// plurals of initialisms keep a lower-case s, as Go code writes them (UserIDs).
var plurals = map[string]string{"ids": "IDs", "urls": "URLs", "uids": "UIDs"}

// camel joins words into an exported Go name, upper-casing the initialisms; compounds (the
// spec's _words.yaml) split the wire names that run words together (taskid → TaskID).
// A result that would not start with a letter gets an "X" in front.
func camel(s string, compounds map[string][]string) string {
	var words []string
	for _, w := range spec.Words(s) {
		if c, ok := compounds[w]; ok {
			words = append(words, c...)
		} else {
			words = append(words, w)
		}
	}
	var b strings.Builder
	for _, w := range words {
		if initialisms[w] {
			b.WriteString(strings.ToUpper(w))
			continue
		}
		if p, ok := plurals[w]; ok {
			b.WriteString(p)
			continue
		}
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	name := b.String()
	if name == "" || !unicode.IsLetter([]rune(name)[0]) {
		name = "X" + name
	}
	return name
}

// SecondName is the Go name of a field whose name another field of its list already has (SORT after
// sort → Sort2), which the importer writes as its go_name.
func SecondName(goName string) string { return goName + "2" }

// Camel is camel without compounds, for names whose words are apart: the emitters' example
// variables (from kebab-case options) and the importer's check of names that differ only in case.
func Camel(s string) string { return camel(s, nil) }

// methodGoName is the Go name of a method: its wire name after the namespace, which is the package
// (im.dialog.unread → DialogUnread).
func methodGoName(wire string, compounds map[string][]string) string {
	return camel(wire[strings.Index(wire, ".")+1:], compounds)
}

// methodNames are the names of a method X's types and functions, one rule for every method: XParams
// (what it sends), XResponse (the whole answer, b24.Response[T]), XResult (the structure of a
// documented result), XCmd (its batch command) and XAll (a list's walk).
type methodNames struct{ params, response, result, cmd, all string }

func namesOf(goName string) methodNames {
	return methodNames{goName + "Params", goName + "Response", goName + "Result", goName + "Cmd", goName + "All"}
}

// nestedName is the name of the structure of a field with documented fields: the enclosing name
// followed by the field's (DealAdd + Fields → DealAddFields), with "Object" added when that is one of
// the method's own names (a parameter called result would take XResult).
func nestedName(prefix, field string, own map[string]bool) string {
	name := prefix + field
	if own[name] {
		name += "Object"
	}
	return name
}

// packageName makes a Go package name of a namespace: lower case letters and digits only
// ("sonet_group" → "sonetgroup"), not a keyword and not one of the names the generated files or
// the generated/ tree already use.
func packageName(ns string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(ns) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || !unicode.IsLetter(rune(name[0])) {
		name = "ns" + name
	}
	if token.IsKeyword(name) || reservedPackages[name] {
		name += "api"
	}
	return name
}

// reservedPackages would shadow an import of the generated files, clash with a sibling folder of
// generated/ or with cli/cli.gen.go, or hide a standard package the examples use (log.Fatal).
var reservedPackages = map[string]bool{
	"b24": true, "b24test": true, "context": true, "json": true, "cli": true, "fixtures": true, "docs": true,
	"clikit": true, "strings": true, "main": true, "log": true, "fmt": true, "os": true, "testing": true,
}

// fileStem makes a file name stem from an entity: lower case letters and digits only, so no
// "_linux"/"_test"-like suffix can turn into a build constraint, and never the name of the
// package's fixed files.
func fileStem(entity string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(entity) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || s == "doc" || s == "types" {
		s += "methods"
	}
	return s
}
