// Package signedlink knows the keys under which the portal's answers carry signed links to a file's
// content: Drive's DOWNLOAD_URL, the urlMachine of CRM and catalog file fields, the downloadUrl of
// chat files. Such a link works as a credential (the docs say never to publish or log one), so the
// generator says so wherever such a field is, and b24 mcp keeps it from the assistant.
package signedlink

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Keys are the names of the keys that hold a signed link.
var Keys = []string{"DOWNLOAD_URL", "urlMachine", "downloadUrl"}

// Key reports whether a key holds a signed link.
func Key(name string) bool { return slices.Contains(Keys, name) }

// inJSON matches such a key and its string value in JSON text.
var inJSON = regexp.MustCompile(`"(` + strings.Join(Keys, "|") + `)"(\s*:\s*)"(?:[^"\\]|\\.)*"`)

// Withhold replaces the value of every such key in JSON text with note, leaving every other byte as
// it was.
func Withhold(text []byte, note string) []byte {
	return inJSON.ReplaceAll(text, []byte(`"$1"${2}`+strconv.Quote(note)))
}
