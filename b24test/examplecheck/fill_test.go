package examplecheck

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/google/go-cmp/cmp"
)

// Hand-written shapes of the generated params: pointers for optional fields, an Extra map sent by
// b24.MarshalWithExtra, nested structs, slices of structs, maps, b24 types and a positional struct.

type tFields struct {
	Title  *string        `json:"TITLE,omitempty"`
	Rate   float64        `json:"RATE,omitzero"`
	Count  *int           `json:"COUNT,omitempty"`
	Active *b24.YesNo     `json:"ACTIVE,omitempty"`
	Flag   *bool          `json:"FLAG,omitempty"`
	Owner  b24.Int        `json:"OWNER_ID,omitzero"`
	Dialog b24.DialogID   `json:"DIALOG_ID,omitempty"`
	Extra  map[string]any `json:"-"`
}

func (x tFields) MarshalJSON() ([]byte, error) {
	type plain tFields
	return b24.MarshalWithExtra(plain(x), x.Extra)
}

type tRow struct {
	ProductID int      `json:"PRODUCT_ID"`
	Price     *float64 `json:"PRICE,omitempty"`
}

type tParams struct {
	ID     int               `json:"id,omitzero"`
	Fields tFields           `json:"fields,omitzero"`
	Rows   []tRow            `json:"rows,omitempty"`
	Filter map[string]any    `json:"filter,omitempty"`
	Order  map[string]string `json:"order,omitempty"`
	Select []string          `json:"select,omitempty"`
	Lang   map[string]tRow   `json:"lang,omitempty"`
	File   *b24.File         `json:"fileContent,omitempty"`
	Raw    json.RawMessage   `json:"raw,omitempty"`
	Any    any               `json:"any,omitempty"`
	Avatar []byte            `json:"avatar,omitempty"`
}

// tStrict has no Extra map: a key without a field cannot be written.
type tStrict struct {
	Name string `json:"name"`
}

type tPositional struct {
	TaskID int      `json:"TASKID"`
	Fields *tFields `json:"FIELDS"`
	ItemID *int     `json:"ITEMID"`
}

func (p tPositional) MarshalJSON() ([]byte, error) {
	return b24.MarshalPositional(p.TaskID, p.Fields, p.ItemID)
}

func fill[T any](t *testing.T, params string) (*T, []string) {
	t.Helper()
	p := new(T)
	aside, err := Fill(p, json.RawMessage(params))
	if err != nil {
		t.Fatalf("Fill(%s): %v", params, err)
	}
	return p, aside
}

func TestFillRoutesKeysExactly(t *testing.T) {
	p, aside := fill[tParams](t, `{"id": 5, "fields": {"TITLE": "Deal", "title": "lower", "UF_CRM_1": 1.50, "RATE": 20}}`)
	want := tParams{ID: 5, Fields: tFields{Title: b24.Ptr("Deal"), Rate: 20,
		Extra: map[string]any{"title": "lower", "UF_CRM_1": json.Number("1.50")}}}
	if d := cmp.Diff(want, *p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if len(aside) != 0 {
		t.Errorf("aside = %v", aside)
	}
	// The case-insensitive twin travels in Extra, next to the field, with its own case.
	body, _ := json.Marshal(p.Fields)
	if got := string(body); got != `{"TITLE":"Deal","RATE":20,"UF_CRM_1":1.50,"title":"lower"}` {
		t.Errorf("wire = %s", got)
	}
}

func TestFillAdaptsLiterals(t *testing.T) {
	p, _ := fill[tParams](t, `{"id": "5", "fields": {"COUNT": "7", "TITLE": 42, "FLAG": "Y", "ACTIVE": 1, "OWNER_ID": "12",
		"DIALOG_ID": 15, "RATE": "1.5"}, "rows": [{"PRODUCT_ID": "3", "PRICE": "9.5"}], "order": {"ID": 1}}`)
	want := tParams{ID: 5, Fields: tFields{Count: b24.Ptr(7), Title: b24.Ptr("42"), Flag: b24.Ptr(true),
		Active: b24.Ptr(b24.YesNo(true)), Owner: 12, Dialog: "15", Rate: 1.5},
		Rows: []tRow{{ProductID: 3, Price: b24.Ptr(9.5)}}, Order: map[string]string{"ID": "1"}}
	if d := cmp.Diff(want, *p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{{`"Y"`, true}, {`"N"`, false}, {`true`, true}, {`false`, false}, {`1`, true}, {`0`, false}, {`"1"`, true}, {`"0"`, false}} {
		p, _ := fill[tParams](t, `{"fields": {"FLAG": `+tc.in+`}}`)
		if p.Fields.Flag == nil || *p.Fields.Flag != tc.want {
			t.Errorf("FLAG %s: got %v, want %v", tc.in, p.Fields.Flag, tc.want)
		}
	}
}

func TestFillContainers(t *testing.T) {
	p, _ := fill[tParams](t, `{"filter": {">=DATE": "2024-01-01", "ID": [1, 2], "a": null}, "select": ["ID", "TITLE"],
		"lang": {"en": {"PRODUCT_ID": 1}}, "fileContent": ["a.txt", "aGVsbG8="], "raw": {"x": 1.50},
		"any": [1, "a", {"k": true}], "avatar": "aGVsbG8="}`)
	want := tParams{
		Filter: map[string]any{">=DATE": "2024-01-01", "ID": []any{json.Number("1"), json.Number("2")}, "a": nil},
		Select: []string{"ID", "TITLE"},
		Lang:   map[string]tRow{"en": {ProductID: 1}},
		File:   &b24.File{Name: "a.txt", Content: []byte("hello")},
		Raw:    json.RawMessage(`{"x":1.50}`),
		Any:    []any{json.Number("1"), "a", map[string]any{"k": true}},
		Avatar: []byte("hello"),
	}
	if d := cmp.Diff(want, *p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// PHP cannot tell [] from {}: either is an empty map or slice.
	p, _ = fill[tParams](t, `{"filter": [], "rows": {}, "fields": []}`)
	if p.Filter == nil || len(p.Filter) != 0 || p.Rows == nil || len(p.Rows) != 0 {
		t.Errorf("filter %#v, rows %#v: want empty, not nil", p.Filter, p.Rows)
	}
}

func TestFillNull(t *testing.T) {
	p, _ := fill[tParams](t, `{"id": null, "fields": {"TITLE": null, "UF_X": null}, "any": null, "order": {"ID": null}}`)
	want := tParams{Fields: tFields{Extra: map[string]any{"UF_X": nil}}, Order: map[string]string{}}
	if d := cmp.Diff(want, *p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestFillUnwritable(t *testing.T) {
	for _, tc := range []struct {
		p      any
		params string
		want   string
	}{
		{new(tParams), `{"id": "abc"}`, `id: "abc" does not fit int`},
		{new(tParams), `{"id": 1.5}`, `id: 1.5 does not fit int`},
		{new(tParams), `{"id": true}`, `id: true does not fit int`},
		{new(tParams), `{"fields": {"RATE": "abc"}}`, `fields.RATE: "abc" does not fit float64`},
		{new(tParams), `{"fields": {"FLAG": "maybe"}}`, `fields.FLAG: "maybe" does not fit bool`},
		{new(tParams), `{"fields": {"TITLE": true}}`, `fields.TITLE: true does not fit string`},
		{new(tParams), `{"fields": {"OWNER_ID": "x1"}}`, `fields.OWNER_ID: "x1" does not fit b24.Int`},
		{new(tParams), `{"rows": {"a": 1}}`, `rows: an object does not fit []examplecheck.tRow`},
		{new(tParams), `{"rows": [{"PRODUCT_ID": "x"}]}`, `rows[0].PRODUCT_ID: "x" does not fit int`},
		{new(tParams), `{"fields": [1]}`, `fields: an array does not fit examplecheck.tFields`},
		{new(tParams), `{"order": {"ID": {"a": 1}}}`, `order.ID: an object does not fit string`},
		{new(tParams), `{"filter": "x"}`, `filter: "x" does not fit map[string]interface {}`},
		{new(tParams), `{"avatar": "not base64!"}`, `avatar: "not base64!" does not fit []uint8 (not base64)`},
		{new(tParams), `{"nope": 1}`, `nope: no field and examplecheck.tParams has no Extra map`},
		{new(tStrict), `{"NAME": "x"}`, `NAME: no field (field name differs in case) and examplecheck.tStrict has no Extra map`},
		{new(tPositional), `[1, {}, 2, 3]`, `(params): 4 values for the 3 positional parameters of examplecheck.tPositional`},
		{new(tStrict), `["x"]`, `(params): an array does not fit examplecheck.tStrict`},
		{tStrict{}, `{}`, `want a non-nil pointer to a struct`},
		{new(tStrict), `{"name": `, `examplecheck.Fill: unexpected EOF`},
	} {
		_, err := Fill(tc.p, json.RawMessage(tc.params))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Fill(%T, %s) = %v, want %q", tc.p, tc.params, err, tc.want)
		}
	}
}

func TestFillPositional(t *testing.T) {
	want := tPositional{TaskID: 8017, Fields: &tFields{Title: b24.Ptr("x")}}
	byOrder, _ := fill[tPositional](t, `[8017, {"TITLE": "x"}]`)
	byName, _ := fill[tPositional](t, `{"TASKID": "8017", "FIELDS": {"TITLE": "x"}}`)
	for _, got := range []*tPositional{byOrder, byName} {
		if d := cmp.Diff(want, *got); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for s, want := range map[string]bool{
		"your_id_here":                        true,
		"YOUR_TOKEN":                          true,
		"**put_id_here**":                     true,
		"**put_attach_id**":                   true,
		"base64_encoded_content_here":         true,
		"https://your_domain/ping.php":        true,
		"...":                                 true,
		"…":                                   true,
		"<ID>":                                true,
		"<DEAL_ID>":                           true,
		"<deal id>":                           true,
		"/9j/4QAYRXhpZgAAS...CgCgCgCgP/9k=":   true,
		"iVBORw0KGgoAAAANSUhEUgAA...":         true,
		"...base64_decoded_content...":        true,
		"data:image/png;base64,iVBORw0...":    true,
		"What is your favorite color?":        false,
		"Your order is on its way":            false,
		"https://your-domain.com/handler.php": false,
		"<b>Description is here</b>":          false,
		"<H1>Toys</H1> <p>For kids</p>":       false,
		"<br>":                                false,
		"Loading... please wait":              false,
		"https://example.com/...":             false,
		"**":                                  false,
		"Deal #1":                             false,
		"":                                    false,
	} {
		if got := IsPlaceholder(s); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestFillPlaceholders(t *testing.T) {
	params := `{"id": "your_id_here", "fields": {"TITLE": "<TITLE>", "UF_X": "...", "COUNT": "**put_count_here**",
		"ACTIVE": "<FLAG>"}, "fileContent": ["a.gif", "R0lGOD...=="], "select": ["ID", "..."], "filter": {"ID": "<ID>"}}`
	p, aside := fill[tParams](t, params)
	wantAside := []string{"fields.ACTIVE", "fields.COUNT", "fields.TITLE", "fields.UF_X", "fileContent[1]", "filter.ID", "id", "select[1]"}
	if d := cmp.Diff(wantAside, aside); d != "" {
		t.Errorf("aside (-want +got):\n%s", d)
	}
	// Stand-ins keep required parameters set; what they are does not matter, Diff skips them.
	want := tParams{ID: 1,
		Fields: tFields{Title: b24.Ptr("<TITLE>"), Count: b24.Ptr(1), Active: b24.Ptr(b24.YesNo(true)), Extra: map[string]any{"UF_X": "..."}},
		File:   &b24.File{Name: "a.gif", Content: []byte{}}, Select: []string{"ID", "..."}, Filter: map[string]any{"ID": "<ID>"}}
	if d := cmp.Diff(want, *p); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	wantV, err := Expected(json.RawMessage(params))
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(wantV, wire(t, p)); len(d) != 0 {
		t.Errorf("placeholders compared: %q", d)
	}
}

// wire is p as it goes over the wire, decoded as the portal's JSON would be.
func wire(t *testing.T, p any) any {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	v, err := decodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFillRoundTrip(t *testing.T) {
	for _, params := range []string{
		`{"id": 5, "fields": {"TITLE": "Deal", "RATE": 1.50, "UF_CRM_1": [1, "2"], "DIALOG_ID": "chat5"}}`,
		`{"id": "5", "fields": {"COUNT": "7", "ACTIVE": "Y", "FLAG": "N", "OWNER_ID": "12"}}`,
		`{"rows": [{"PRODUCT_ID": 3, "PRICE": 9.5}], "filter": {">=DATE": "2024-01-01"}, "select": ["ID"]}`,
		`{"fileContent": ["a.txt", "aGVsbG8="], "raw": {"x": [1.50, null]}, "any": {"a": {}}}`,
	} {
		p, _ := fill[tParams](t, params)
		want, _ := Expected(json.RawMessage(params))
		if d := Diff(want, wire(t, p)); len(d) != 0 {
			t.Errorf("%s: %q", params, d)
		}
	}
}
