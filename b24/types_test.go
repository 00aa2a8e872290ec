package b24_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/google/go-cmp/cmp"
)

func TestIntDecode(t *testing.T) {
	cases := map[string]b24.Int{`5`: 5, `"5"`: 5, `" 7 "`: 7, `-3`: -3, `"-12"`: -12, `null`: 0, `""`: 0, `5.0`: 5, `1e3`: 1000,
		`9007199254740993`: 9007199254740993}
	for in, want := range cases {
		var n b24.Int
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != want {
			t.Errorf("Int %s = %d, %v; want %d", in, n, err, want)
		}
	}
	for _, in := range []string{`"abc"`, `5.5`, `true`, `{}`, `[1]`} {
		var n b24.Int
		err := json.Unmarshal([]byte(in), &n)
		if err == nil {
			t.Errorf("Int %s accepted as %d", in, n)
		} else if !strings.Contains(err.Error(), "b24.Int") {
			t.Errorf("Int %s: error %q does not say what failed", in, err)
		}
	}
	var n b24.Int
	err := json.Unmarshal([]byte(`"abc"`), &n)
	if err == nil || !strings.Contains(err.Error(), `"abc"`) || !strings.Contains(err.Error(), "integer") {
		t.Errorf("error for \"abc\" = %v", err)
	}
	b, _ := json.Marshal(struct{ N b24.Int }{42})
	if string(b) != `{"N":42}` {
		t.Errorf("Int marshal = %s", b)
	}
}

func TestBoolDecode(t *testing.T) {
	cases := map[string]bool{`true`: true, `false`: false, `"Y"`: true, `"N"`: false, `"y"`: true, `1`: true, `0`: false,
		`"1"`: true, `"0"`: false, `""`: false, `null`: false, `"true"`: true}
	for in, want := range cases {
		var v b24.Bool
		if err := json.Unmarshal([]byte(in), &v); err != nil || bool(v) != want {
			t.Errorf("Bool %s = %v, %v; want %v", in, v, err, want)
		}
		var yn b24.YesNo
		if err := json.Unmarshal([]byte(in), &yn); err != nil || bool(yn) != want {
			t.Errorf("YesNo %s = %v, %v; want %v", in, yn, err, want)
		}
	}
	for _, in := range []string{`"maybe"`, `2`, `[]`} {
		var v b24.Bool
		if err := json.Unmarshal([]byte(in), &v); err == nil || !strings.Contains(err.Error(), "b24.Bool") {
			t.Errorf("Bool %s: err = %v", in, err)
		}
	}
	b, _ := json.Marshal([]any{b24.Bool(true), b24.Bool(false), b24.YesNo(true), b24.YesNo(false)})
	if string(b) != `[true,false,"Y","N"]` {
		t.Errorf("marshal = %s", b)
	}
}

func TestDialogID(t *testing.T) {
	if b24.ChatDialog(872) != "chat872" || b24.UserDialog(15) != "15" {
		t.Errorf("ChatDialog/UserDialog = %q %q", b24.ChatDialog(872), b24.UserDialog(15))
	}
	var ids []b24.DialogID
	if err := json.Unmarshal([]byte(`["chat5", 15, "15"]`), &ids); err != nil {
		t.Fatal(err)
	}
	if ids[0] != "chat5" || ids[1] != "15" || ids[2] != "15" {
		t.Errorf("decoded %q", ids)
	}
	b, _ := json.Marshal(b24.UserDialog(3))
	if string(b) != `"3"` {
		t.Errorf("marshal = %s", b)
	}
	var d b24.DialogID
	if err := json.Unmarshal([]byte(`{}`), &d); err == nil {
		t.Errorf("object accepted as DialogID")
	}
}

func TestFile(t *testing.T) {
	f := b24.File{Name: "a.txt", Content: []byte("hi")}
	b, err := json.Marshal(f)
	if err != nil || string(b) != `["a.txt","aGk="]` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var back b24.File
	if err := json.Unmarshal(b, &back); err != nil || back.Name != "a.txt" || string(back.Content) != "hi" {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	for _, in := range []string{`["a.txt","%%%"]`, `["only-name"]`, `"a.txt"`} {
		if err := json.Unmarshal([]byte(in), &back); err == nil {
			t.Errorf("File %s accepted", in)
		}
	}
	type params struct {
		File *b24.File `json:"FILE,omitempty"`
	}
	b, _ = json.Marshal(params{File: b24.Ptr(b24.File{Name: "x.bin", Content: []byte{0, 1}})})
	if string(b) != `{"FILE":["x.bin","AAE="]}` {
		t.Errorf("nested = %s", b)
	}
}

func TestPtr(t *testing.T) {
	p := b24.Ptr(7)
	q := b24.Ptr(7)
	if *p != 7 || p == q {
		t.Errorf("Ptr shares or loses its value")
	}
}

func TestTimeDecode(t *testing.T) {
	var tm b24.Time
	in := `{"start":"1769508415.25","finish":1769508416,"duration":0.75,"processing":1,"operating_reset_at":1769509015.0,"operating":0}`
	if err := json.Unmarshal([]byte(in), &tm); err != nil {
		t.Fatal(err)
	}
	if tm.Start != 1769508415.25 || tm.Finish != 1769508416 || tm.Processing != 1 || tm.OperatingResetAt != 1769509015 {
		t.Errorf("time = %+v", tm)
	}
	if err := json.Unmarshal([]byte(`{"start":"soon"}`), &tm); err == nil {
		t.Errorf("non-numeric start accepted")
	}
	b, _ := json.Marshal(b24.Time{Start: 1.5, DateStart: "2026-01-01T00:00:00+00:00", OperatingResetAt: 9})
	var round b24.Time
	if err := json.Unmarshal(b, &round); err != nil || round.Start != 1.5 || round.DateStart == "" || round.OperatingResetAt != 9 {
		t.Errorf("round trip %s → %+v, %v", b, round, err)
	}
}

func TestStringDecode(t *testing.T) {
	cases := map[string]b24.String{`"abc"`: "abc", `" a "`: " a ", `""`: "", `null`: "", `123`: "123", `-1.50`: "-1.50",
		`1e3`: "1e3", `true`: "true", `false`: "false", `"\u0442"`: "т"}
	for in, want := range cases {
		s := b24.String("old")
		if err := json.Unmarshal([]byte(in), &s); err != nil || s != want {
			t.Errorf("String %s = %q, %v; want %q", in, s, err, want)
		}
	}
	for in, kind := range map[string]string{`{"a":1}`: "object", `[1]`: "array", `[]`: "array"} {
		var s b24.String
		err := json.Unmarshal([]byte(in), &s)
		if err == nil || !strings.Contains(err.Error(), "b24.String") || !strings.Contains(err.Error(), kind) {
			t.Errorf("String %s: err = %v, want one naming b24.String and %s", in, err, kind)
		}
	}
	// Direct calls see input json.Unmarshal would have rejected before reaching the method.
	var s b24.String
	for _, in := range []string{``, `-`, `tru`} {
		if err := s.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("String %q accepted as %q", in, s)
		}
	}
	b, err := json.Marshal(struct{ S b24.String }{"x\"y"})
	if err != nil || string(b) != `{"S":"x\"y"}` {
		t.Errorf("String marshal = %s, %v", b, err)
	}
}

func TestFloatDecode(t *testing.T) {
	cases := map[string]b24.Float{`1.5`: 1.5, `"1.5"`: 1.5, `" 2 "`: 2, `-3`: -3, `"-0.25"`: -0.25, `1e3`: 1000, `"1e-2"`: 0.01,
		`""`: 0, `null`: 0, `0`: 0}
	for in, want := range cases {
		f := b24.Float(9)
		if err := json.Unmarshal([]byte(in), &f); err != nil || f != want {
			t.Errorf("Float %s = %v, %v; want %v", in, f, err, want)
		}
	}
	for _, in := range []string{`"abc"`, `"1,5"`, `"NaN"`, `"Inf"`, `true`, `false`} {
		var f b24.Float
		err := json.Unmarshal([]byte(in), &f)
		if err == nil || !strings.Contains(err.Error(), "b24.Float") {
			t.Errorf("Float %s: err = %v (value %v)", in, err, f)
		}
	}
	for in, kind := range map[string]string{`{}`: "object", `[1.5]`: "array"} {
		var f b24.Float
		err := json.Unmarshal([]byte(in), &f)
		if err == nil || !strings.Contains(err.Error(), "b24.Float") || !strings.Contains(err.Error(), kind) {
			t.Errorf("Float %s: err = %v, want one naming b24.Float and %s", in, err, kind)
		}
	}
	b, err := json.Marshal([]b24.Float{1.5, 0, -2, 1e21})
	if err != nil || string(b) != `[1.5,0,-2,1e+21]` {
		t.Errorf("Float marshal = %s, %v", b, err)
	}
	if _, err := json.Marshal(b24.Float(math.NaN())); err == nil {
		t.Errorf("NaN marshalled")
	}
}

// TestMap: a map keyed by data decodes from an object, from PHP's [] for an empty one and from the
// list PHP sends for keys 0..n-1; anything else is an error.
func TestMap(t *testing.T) {
	for in, want := range map[string]b24.Map[b24.Int]{
		`{"15": 1, "16": "2"}`: {"15": 1, "16": 2},
		`[]`:                   {},
		`[7, "8"]`:             {"0": 7, "1": 8},
	} {
		var got b24.Map[b24.Int]
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", in, diff)
		}
	}
	var m b24.Map[b24.Int]
	if err := json.Unmarshal([]byte(`"x"`), &m); err == nil {
		t.Errorf(`"x" decoded as %v`, m)
	}
}
