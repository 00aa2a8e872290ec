package command

import "testing"

// TestNameAction: the action a method's last name word says, as the spec writes the word.
func TestNameAction(t *testing.T) {
	for word, want := range map[string]string{
		"getList": "list", "getlist": "get", "getChildren": "get", "list": "list", "add": "add", "addFile": "add",
		"rename": "update", "info": "get", "updateTitle": "update", "deleteBatch": "delete", "uploadFile": "",
		"complete": "complete", "fields": "",
	} {
		if got := nameAction(word); got != want {
			t.Errorf("nameAction(%q) = %q, want %q", word, got, want)
		}
	}
}
