// Package mdanchor gives a Markdown heading the id GitHub gives it, so that the generated pages and
// the docs site built from them link to the same #fragment.
package mdanchor

import (
	"strings"
	"unicode"
)

// Of is the id of heading: lower case, spaces as hyphens, punctuation other than hyphens and
// underscores dropped, letters of any script kept ("Работа с задачами" → "работа-с-задачами").
func Of(heading string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			sb.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
