package task

import (
	"encoding/json"
	"testing"
)

// TestPositional: the parameters go as an array in spec order; unset ones at the end are left out.
func TestPositional(t *testing.T) {
	b, err := json.Marshal(&CommentitemAddParams{TaskID: 5, Fields: CommentitemAddFields{PostMessage: "hi"}})
	if err != nil || string(b) != `[5,{"POST_MESSAGE":"hi"}]` {
		t.Errorf("%s %v", b, err)
	}
}
