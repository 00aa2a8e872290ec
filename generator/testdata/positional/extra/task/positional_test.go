package task

import (
	"encoding/json"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

// TestPositional: the parameters go as an array in spec order; unset ones at the end are left out.
func TestPositional(t *testing.T) {
	b, err := json.Marshal(&CommentitemAddParams{TaskID: b24.Ptr(5), Fields: &CommentitemAddFields{PostMessage: b24.Ptr("hi")}})
	if err != nil || string(b) != `[5,{"POST_MESSAGE":"hi"}]` {
		t.Errorf("%s %v", b, err)
	}
}
