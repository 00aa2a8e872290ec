package clikit

import (
	"encoding/base64"
	"maps"
	"slices"
	"strings"
)

// scalarKind is one kind of scalar option. The generator's model names the kind of every option
// (its Scalar's CLI word); the table below is the only place the CLI gives a word its meaning.
type scalarKind int

const (
	kindString scalarKind = iota
	kindInt
	kindNumber
	kindBool
	kindDialog
	kindLang
	kindDate
	kindDateTime
	kindBase64
	kindFile
	kindFileData
	kindAny
)

var kinds = map[string]struct {
	kind scalarKind
	help string
}{
	"string":    {kindString, "text"},
	"integer":   {kindInt, "an integer"},
	"id":        {kindInt, "an integer"},
	"number":    {kindNumber, "a number"},
	"boolean":   {kindBool, "true or false"},
	"dialog_id": {kindDialog, "chatNNN or a user ID"},
	"lang":      {kindLang, "a text, or texts by language like {'en':'Deal','de':'Geschäft'}"},
	"date":      {kindDate, "a date like 2024-04-07"},
	"datetime":  {kindDateTime, "a date-time like 2024-04-07T13:34:42+03:00"},
	"base64":    {kindBase64, "a file: @path, a path or an http(s) URL"},
	"file":      {kindFile, "a file: @path, a path or an http(s) URL"},
	"file_data": {kindFileData, "a file: @path, a path or an http(s) URL"},
	"any":       {kindAny, "JSON or text"},
}

// Kinds are the scalar kinds an option's Type may name (besides objects, and lists and maps of them).
func Kinds() []string { return slices.Sorted(maps.Keys(kinds)) }

// kindOf is the scalar kind an option's Type names; ok is false for objects, lists and maps.
func kindOf(typ string) (k scalarKind, ok bool) {
	e, ok := kinds[typ]
	return e.kind, ok
}

// is reports whether typ is one of the scalar kinds ks.
func is(typ string, ks ...scalarKind) bool {
	k, ok := kindOf(typ)
	return ok && slices.Contains(ks, k)
}

// Choices are the values completion offers for an option of type typ: true and false for a flag.
func Choices(typ string) []string {
	if is(typ, kindBool) {
		return []string{"true", "false"}
	}
	return nil
}

// scalar parses the text of an option of one scalar kind.
func (p *Parser) scalar(k scalarKind, boolMode, text string) (any, error) {
	switch k {
	case kindInt:
		return ParseInt(text)
	case kindNumber:
		return ParseNumber(text)
	case kindBool:
		v, err := ParseBool(text)
		if err != nil {
			return nil, err
		}
		return WireBool(v, boolMode), nil
	case kindDialog:
		return ParseDialogID(text)
	case kindLang:
		// one text for every language, or {'en': …, 'de': …}
		if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") || looksLikeJSONFile(t) {
			obj, err := p.Object(text)
			if err != nil {
				return nil, err
			}
			return p.mapValues("string", boolMode, obj)
		}
	case kindDate:
		return ParseDate(text)
	case kindDateTime:
		return ParseDateTime(text)
	case kindBase64, kindFile, kindFileData:
		name, data, err := p.Load(text)
		if err != nil {
			return nil, err
		}
		return fileForm(k, name, data), nil
	case kindAny:
		// JSON when it is JSON (or a .json file), otherwise the text
		if looksLikeJSONFile(text) {
			return p.jsonValue(text)
		}
		if v, err := ParseJSON(text); err == nil {
			return v, nil
		}
	}
	return ParseString(text), nil
}

// fileForm is a file as a parameter of kind k takes it inline: the bare base64 content, the
// ["name", base64] pair, or {"fileData": pair}.
func fileForm(k scalarKind, name string, data []byte) any {
	content := base64.StdEncoding.EncodeToString(data)
	switch k {
	case kindBase64:
		return content
	case kindFileData:
		return map[string]any{"fileData": []any{name, content}}
	}
	return []any{name, content}
}
