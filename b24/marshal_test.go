package b24_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/google/go-cmp/cmp"
)

// dealFields is shaped like a generated struct with free keys.
type dealFields struct {
	Title string         `json:"TITLE"`
	Opp   *b24.Float     `json:"OPPORTUNITY,omitempty"`
	Extra map[string]any `json:"-"`
}

func (x dealFields) MarshalJSON() ([]byte, error) {
	type plain dealFields
	return b24.MarshalWithExtra(plain(x), x.Extra)
}

func TestMarshalWithExtra(t *testing.T) {
	cases := []struct {
		name string
		v    dealFields
		want string
	}{
		{"no extra", dealFields{Title: "a"}, `{"TITLE":"a"}`},
		{"empty extra", dealFields{Title: "a", Extra: map[string]any{}}, `{"TITLE":"a"}`},
		{"sorted", dealFields{Title: "a", Extra: map[string]any{"UF_CRM_2": []int{1}, "UF_CRM_1": "x", "<b>": nil}},
			`{"TITLE":"a","\u003cb\u003e":null,"UF_CRM_1":"x","UF_CRM_2":[1]}`},
		{"nested via MarshalJSON", dealFields{Title: "a", Opp: b24.Ptr(b24.Float(2.5)), Extra: map[string]any{"UF": b24.YesNo(true)}},
			`{"TITLE":"a","OPPORTUNITY":2.5,"UF":"Y"}`},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.v)
		if err != nil || string(b) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, b, err, tc.want)
		}
		if !json.Valid(b) {
			t.Errorf("%s: invalid JSON %s", tc.name, b)
		}
	}

	// Empty extra returns exactly what json.Marshal gives, for any object.
	for _, v := range []any{struct{}{}, map[string]int{"b": 1, "a": 2}, struct {
		A string `json:"a,omitempty"`
	}{}} {
		want, _ := json.Marshal(v)
		for _, extra := range []map[string]any{nil, {}} {
			got, err := b24.MarshalWithExtra(v, extra)
			if err != nil || string(got) != string(want) {
				t.Errorf("%T with %v: %s, %v; want %s", v, extra, got, err, want)
			}
		}
	}

	// An empty object gets no leading comma.
	got, err := b24.MarshalWithExtra(struct{}{}, map[string]any{"A": 1, "B": 2})
	if err != nil || string(got) != `{"A":1,"B":2}` {
		t.Errorf("empty object + extra = %s, %v", got, err)
	}

	_, err = json.Marshal(dealFields{Title: "a", Extra: map[string]any{"UF": 1, "TITLE": "b"}})
	if err == nil || !strings.Contains(err.Error(), `"TITLE"`) {
		t.Errorf("clash: err = %v, want one naming \"TITLE\"", err)
	}

	for _, v := range []any{[]int{1}, "s", 5, nil, (*dealFields)(nil), true} {
		if b, err := b24.MarshalWithExtra(v, map[string]any{"A": 1}); err == nil {
			t.Errorf("%T %v accepted: %s", v, v, b)
		} else if !strings.Contains(err.Error(), "JSON object") {
			t.Errorf("%T: err = %v", v, err)
		}
		if _, err := b24.MarshalWithExtra(v, nil); err == nil {
			t.Errorf("%T %v accepted with no extra", v, v)
		}
	}

	_, err = b24.MarshalWithExtra(struct{}{}, map[string]any{"BAD": func() {}})
	if err == nil || !strings.Contains(err.Error(), `"BAD"`) {
		t.Errorf("unmarshalable extra: err = %v", err)
	}
	if _, err := b24.MarshalWithExtra(func() {}, nil); err == nil {
		t.Errorf("unmarshalable v accepted")
	}
}

type commentParams struct {
	TaskID b24.Int
	Fields *struct {
		Message string `json:"POST_MESSAGE"`
	}
	Extra *int
}

func (p commentParams) MarshalJSON() ([]byte, error) {
	return b24.MarshalPositional(p.TaskID, p.Fields, p.Extra)
}

func TestMarshalPositional(t *testing.T) {
	cases := []struct {
		name   string
		values []any
		want   string
	}{
		{"none", nil, `[]`},
		{"all null", []any{nil, (*int)(nil), map[string]any(nil)}, `[]`},
		{"values", []any{5, "x", true}, `[5,"x",true]`},
		{"trailing nulls trimmed", []any{5, "x", nil, (*int)(nil)}, `[5,"x"]`},
		{"middle nulls kept", []any{5, nil, (*int)(nil), 7, nil}, `[5,null,null,7]`},
		{"leading null kept", []any{nil, 1}, `[null,1]`},
		{"nested", []any{b24.Int(3), map[string]any{"A": []int{1}}, b24.YesNo(false)}, `[3,{"A":[1]},"N"]`},
		{"empty values are not null", []any{0, "", []int{}, nil}, `[0,"",[]]`},
	}
	for _, tc := range cases {
		b, err := b24.MarshalPositional(tc.values...)
		if err != nil || string(b) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, b, err, tc.want)
		}
	}
	_, err := b24.MarshalPositional(1, func() {})
	if err == nil || !strings.Contains(err.Error(), "value 1") {
		t.Errorf("unmarshalable: err = %v", err)
	}

	b, err := json.Marshal(commentParams{TaskID: 9})
	if err != nil || string(b) != `[9]` {
		t.Errorf("generated-style params = %s, %v", b, err)
	}
	p := commentParams{TaskID: 9, Extra: b24.Ptr(1)}
	if b, _ = json.Marshal(p); string(b) != `[9,null,1]` {
		t.Errorf("generated-style params with a gap = %s", b)
	}
}

type shortAttach struct {
	ID     *int     `json:"ID,omitempty"`
	Blocks []string `json:"BLOCKS,omitzero"`
}

func TestShortForm(t *testing.T) {
	one := 1
	for _, tc := range []struct {
		v     shortAttach
		extra map[string]any
		want  string
	}{
		{shortAttach{Blocks: []string{"a", "b"}}, nil, `["a","b"]`},
		{shortAttach{ID: &one, Blocks: []string{"a"}}, nil, `{"ID":1,"BLOCKS":["a"]}`},
		{shortAttach{Blocks: []string{"a"}}, map[string]any{"COLOR": "red"}, `{"BLOCKS":["a"],"COLOR":"red"}`},
		{shortAttach{}, nil, `{}`},
	} {
		b, err := b24.MarshalShort(tc.v, tc.extra, "BLOCKS")
		if err != nil || string(b) != tc.want {
			t.Errorf("MarshalShort(%+v, %v) = %s, %v; want %s", tc.v, tc.extra, b, err, tc.want)
		}
		var back shortAttach
		if err := b24.UnmarshalShort(b, &back, "BLOCKS"); err != nil || !reflect.DeepEqual(back, tc.v) {
			t.Errorf("UnmarshalShort(%s) = %+v, %v; want %+v", b, back, err, tc.v)
		}
	}
	var bad shortAttach
	if err := b24.UnmarshalShort([]byte(`[1]`), &bad, "BLOCKS"); err == nil {
		t.Error("UnmarshalShort of numbers into a list of texts: no error")
	}
}

// lenient is shaped like a generated result structure.
type lenient struct {
	ID    b24.Int `json:"ID"`
	Title string  `json:"TITLE"`
	Tags  []int   `json:"TAGS"`
}

func (x *lenient) UnmarshalJSON(b []byte) error {
	type plain lenient
	return b24.DecodeObject(b, (*plain)(x))
}

func TestDecodeObject(t *testing.T) {
	prev := lenient{ID: 9, Title: "kept"}
	cases := []struct {
		name, in string
		want     lenient
	}{
		{"object", `{"ID": "5", "TITLE": "a", "TAGS": [1, 2], "OTHER": 1}`, lenient{ID: 5, Title: "a", Tags: []int{1, 2}}},
		{"empty PHP array", `[]`, prev},
		{"false", ` false`, prev},
		{"null", `null`, prev},
		{"a field that does not fit", `{"ID": 5, "TITLE": {"x": 1}, "TAGS": "none"}`, lenient{ID: 5}},
		{"a field whose own decoder fails", `{"TITLE": "a", "ID": [1]}`, lenient{Title: "a"}},
	}
	for _, tc := range cases {
		got := prev
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	var x lenient
	if err := b24.DecodeObject([]byte(`{"ID": `), &x); err == nil {
		t.Error("broken JSON: no error")
	}
	if err := b24.DecodeObject([]byte(`{"ID": 1}`), x); err == nil || !strings.Contains(err.Error(), "not a non-nil pointer") {
		t.Errorf("a value, not a pointer: err = %v", err)
	}
}

// answerRow is shaped like a generated result structure with its Extra.
type answerRow struct {
	ID    b24.Int                    `json:"ID"`
	Title string                     `json:"TITLE"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *answerRow) UnmarshalJSON(b []byte) error {
	type plain answerRow
	return b24.DecodeObject(b, (*plain)(x))
}

func (x answerRow) MarshalJSON() ([]byte, error) {
	type plain answerRow
	return b24.MarshalResult(plain(x), x.Extra)
}

// TestResultExtra: keys a result does not declare, and a value that does not fit its field, are kept
// in Extra as they came, and written back in place: nothing of the answer is lost.
func TestResultExtra(t *testing.T) {
	in := `{"ID":"5","TITLE":{"ru":"x"},"UF_CRM_1":[1,2],"id_more":true}`
	var r answerRow
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.ID != 5 || r.Title != "" || string(r.Extra["UF_CRM_1"]) != "[1,2]" || string(r.Extra["TITLE"]) != `{"ru":"x"}` || len(r.Extra) != 3 {
		t.Errorf("decoded %+v, Extra %q", r, r.Extra)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ID":5,"TITLE":{"ru":"x"},"UF_CRM_1":[1,2],"id_more":true}`; string(out) != want {
		t.Errorf("re-encoded %s, want %s", out, want)
	}
	var plain answerRow
	if err := json.Unmarshal([]byte(`{"ID":7,"TITLE":"t"}`), &plain); err != nil || plain.Extra != nil {
		t.Errorf("an answer with only declared keys: %+v, %v", plain, err)
	}
}

// answerList nests answer rows, as a list result's wrapper does.
type answerList struct {
	Items []answerRow                `json:"items"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *answerList) UnmarshalJSON(b []byte) error {
	type plain answerList
	return b24.DecodeObject(b, (*plain)(x))
}

// TestUnfit: a value that does not fit its field leaves the call standing, and the caller hears of
// it: Response.Unfit and a warning name each such field by path (never its value); keys the type
// does not declare are not unfit, they are simply kept.
func TestUnfit(t *testing.T) {
	s := newPortal(t)
	s.Handle("x.rows", func(b24test.Call) (any, *b24.APIError) {
		return json.RawMessage(`{"items":[{"ID":1,"TITLE":"a"},{"ID":"seven","TITLE":"b","UF_X":1},{"ID":3,"TITLE":["c"]}]}`), nil
	})
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := b24.Call[answerList](context.Background(), webhook(t, s, b24.WithLogger(l)), "x.rows", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"items[1].ID", "items[2].TITLE"}
	if diff := cmp.Diff(want, r.Unfit); diff != "" {
		t.Errorf("Response.Unfit (-want +got):\n%s", diff)
	}
	if r.Result.Items[1].ID != 0 || string(r.Result.Items[1].Extra["ID"]) != `"seven"` || r.Result.Items[1].Title != "b" {
		t.Errorf("row 1: %+v", r.Result.Items[1])
	}
	if log := buf.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "items[1].ID") || strings.Contains(log, "seven") {
		t.Errorf("warning:\n%s", log)
	}
	if got := b24.Unfit(r.Result.Items[0]); got != nil {
		t.Errorf("a row that fits: Unfit = %q", got)
	}
	if got := b24.Unfit(json.RawMessage(`{"ID":"x"}`)); got != nil {
		t.Errorf("raw JSON: Unfit = %q", got)
	}
}
