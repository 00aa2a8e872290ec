package b24

import (
	"errors"
	"testing"
)

type reqParams struct {
	ID    int            `json:"id,omitzero"`
	Code  string         `json:"CODE,omitzero"`
	Block int            `json:"IBLOCK_ID,omitzero"`
	Extra map[string]any `json:"-"`
}

func (p reqParams) MarshalJSON() ([]byte, error) {
	type plain reqParams
	return MarshalWithExtra(plain(p), p.Extra)
}

func (*reqParams) RequiredParams() []string { return []string{"id", "IBLOCK_ID|IBLOCK_CODE"} }

// TestRequiredParams: a required parameter left unset fails before sending and names itself; one
// of an either-or group is enough; a key spelled in another case through Extra counts.
func TestRequiredParams(t *testing.T) {
	for _, tc := range []struct {
		p    *reqParams
		want string // "" = no error
	}{
		{&reqParams{}, "id, IBLOCK_ID or IBLOCK_CODE are required"},
		{&reqParams{ID: 5}, "IBLOCK_ID or IBLOCK_CODE is required"},
		{&reqParams{ID: 5, Block: 3}, ""},
		{&reqParams{ID: 5, Extra: map[string]any{"IBLOCK_CODE": "x"}}, ""},
		{&reqParams{Block: 3, Extra: map[string]any{"ID": 7}}, ""},
		{&reqParams{Block: 3, Extra: map[string]any{"ID": nil}}, "id is required"},
	} {
		_, err := marshalParams(tc.p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", *tc.p, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, ErrRequired)):
			t.Errorf("%+v: got %v, want %q matching ErrRequired", *tc.p, err, tc.want)
		}
	}
}
