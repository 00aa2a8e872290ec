package clikit

import "testing"

// FuzzValue: no option text, of any type, makes the parser panic; it gives a value or an error.
func FuzzValue(f *testing.F) {
	for _, s := range []string{"{'a':1}", "['1','2']", "chat872", "true", "2024-04-07", "{\"x\":[1,{\"y\":null}]}", "\\n", "'"} {
		f.Add(s)
	}
	types := []string{"string", "integer", "number", "boolean", "id", "dialog_id", "date", "datetime", "object", "any",
		"[]id", "[]string", "[]object", "map[string]string", "map[string]any", "[]any", "AttachBlock"}
	var p Parser
	f.Fuzz(func(t *testing.T, text string) {
		for _, typ := range types {
			p.Value(typ, "YN", text)
		}
		ParseJSON(text)
	})
}
