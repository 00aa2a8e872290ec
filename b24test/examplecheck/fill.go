package examplecheck

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/b24gen/b24gen/internal/jsonobj"
)

// Fill writes params (a JSON object, or an array for positional parameters) into the struct p points
// to, the way a user of the generated package would write the example:
//
//   - a key goes to the field whose json name equals it exactly; the wire case must be kept, so a key
//     that matches only case-insensitively is not taken by that field;
//   - a key without a field goes into the struct's Extra map (a map[string]any field tagged `json:"-"`),
//     as its decoded JSON value with numbers kept as json.Number; without an Extra map it is an error;
//   - pointers are allocated; structs, slices, arrays and maps with string keys are filled recursively;
//     types with an UnmarshalJSON (b24.Int, b24.YesNo, b24.File, json.RawMessage…) decode the value
//     themselves, and fall back to the adaptation below when they refuse it;
//   - literals are adapted as a user would write them: a string holding a number into a number field,
//     a number into a string field (its text), "Y"/"N", 1/0 and "1"/"0" into a bool field, base64 text
//     into []byte; a value that still does not fit is an error naming its path;
//   - an array into a positional struct (one whose MarshalJSON writes an array) fills its fields in
//     declaration order; an empty array stands for an empty object and the reverse (PHP cannot tell);
//   - JSON null sets nothing, except in an interface (any) where it is kept as nil;
//   - placeholder strings (see IsPlaceholder) are left aside: their paths are returned in aside and
//     Expected marks them so that Diff does not compare them. Where they go, a stand-in is written, as
//     the user would write some value there: the text itself into a string or untyped field, 1 into a
//     number, true into a bool ("" inside a value with UnmarshalJSON, such as b24.File's content).
//     Leaving them unset would make a required parameter fail the call before anything is sent.
//
// Paths look like fields.FILES[0][1]; the top level is "(params)".
func Fill(p any, params json.RawMessage) (aside []string, err error) {
	rv := reflect.ValueOf(p)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("examplecheck.Fill: want a non-nil pointer to a struct, got %T", p)
	}
	v, err := decodeJSON(params)
	if err != nil {
		return nil, fmt.Errorf("examplecheck.Fill: %w", err)
	}
	var f filler
	_, err = f.fill(rv.Elem(), v, "")
	return f.aside, err
}

// decodeJSON decodes one JSON value with numbers as json.Number, so that they are compared and sent
// with their exact text.
func decodeJSON(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return withoutSoftHyphens(v), nil
}

// withoutSoftHyphens takes out the soft hyphens (U+00AD) the docs' pages put into long tokens as
// line-break hints (base64 content among them): never part of a value.
func withoutSoftHyphens(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\u00ad", "")
	case []any:
		for i := range x {
			x[i] = withoutSoftHyphens(x[i])
		}
	case map[string]any:
		for k, it := range x {
			x[k] = withoutSoftHyphens(it)
		}
	}
	return v
}

var (
	// "<ID>", "<DEAL_ID>", "<deal id>": a name in angle brackets standing for a value.
	anglePlaceholder = regexp.MustCompile(`^<(?:[A-Z][A-Z0-9_]*|[a-z]+(?:[_ ][a-z]+)+)>$`)
	// What is left of a truncated token once its "..." are taken out: base64 or an identifier.
	tokenText = regexp.MustCompile(`^[A-Za-z0-9+/=_-]+$`)
)

// IsPlaceholder reports whether a string of an example stands for a value the reader must supply
// rather than being one; such values are neither written nor compared. The rule is kept small:
//
//   - it contains "your_" or "_here" (any case): your_id_here, put_label_here, https://your_domain/x;
//   - it is wrapped in "**" (Markdown bold left in a code sample): **put_attach_id**;
//   - it is "..." or "…";
//   - it is a name in angle brackets: <ID>, <DEAL_ID>, <deal id>;
//   - it is a comment: /* base64 image */;
//   - it is a token truncated with "...": base64 or an identifier around the dots and no space
//     ("iVBORw0KGgo...RK5CYII=", "...base64_content..."), or a data: URL containing "...".
func IsPlaceholder(s string) bool {
	t := strings.TrimSpace(s)
	l := strings.ToLower(t)
	switch {
	case t == "..." || t == "…":
		return true
	case strings.Contains(l, "your_") || strings.Contains(l, "_here"):
		return true
	case len(t) > 4 && strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**"):
		return true
	case anglePlaceholder.MatchString(t):
		return true
	case strings.HasPrefix(t, "/*") && strings.HasSuffix(t, "*/"):
		return true
	case strings.Contains(t, "...") || strings.Contains(t, "…"):
		if strings.HasPrefix(l, "data:") {
			return true
		}
		rest := strings.ReplaceAll(strings.ReplaceAll(t, "...", ""), "…", "")
		return tokenText.MatchString(rest)
	}
	return false
}

type filler struct{ aside []string }

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// fill stores val in dst and reports whether it set anything: false for a null (or a placeholder
// without a stand-in), so that a pointer stays nil and a map entry is left out.
func (f *filler) fill(dst reflect.Value, val any, path string) (bool, error) {
	if s, ok := val.(string); ok && IsPlaceholder(s) {
		f.aside = append(f.aside, showPath(path))
		return standIn(dst, s), nil
	}
	t := dst.Type()
	if val == nil {
		// A user cannot write null into a typed field: leaving it unset is the closest, and Diff will
		// tell if the null mattered. An interface holds it as it is.
		return t.Kind() == reflect.Interface, nil
	}
	if t.Kind() == reflect.Pointer {
		elem := reflect.New(t.Elem())
		set, err := f.fill(elem.Elem(), val, path)
		if set {
			dst.Set(elem)
		}
		return set, err
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return f.unmarshal(dst, val, path)
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return false, fmt.Errorf("%s: %s does not fit %s", showPath(path), show(val), t)
		}
		dst.Set(valueOf(f.clean(val, path, false), t))
		return true, nil
	case reflect.Struct:
		return f.fillStruct(dst, val, path)
	case reflect.Map:
		return f.fillMap(dst, val, path)
	case reflect.Slice, reflect.Array:
		return f.fillList(dst, val, path)
	}
	return true, adapt(dst, val, path)
}

// unmarshal lets a type with UnmarshalJSON decode the value, placeholders inside it blanked ("" is
// valid base64 for b24.File's content); when it refuses, the ordinary adaptation of its kind is tried.
func (f *filler) unmarshal(dst reflect.Value, val any, path string) (bool, error) {
	data, err := jsonobj.Marshal(f.clean(val, path, true))
	if err != nil {
		return false, fmt.Errorf("%s: %w", showPath(path), err)
	}
	uerr := dst.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data)
	if uerr == nil {
		return true, nil
	}
	switch dst.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		if err := adapt(dst, val, path); err == nil {
			return true, nil
		}
	}
	return false, fmt.Errorf("%s: %s does not fit %s: %v", showPath(path), show(val), dst.Type(), uerr)
}

func (f *filler) fillStruct(dst reflect.Value, val any, path string) (bool, error) {
	info := structInfoOf(dst.Type())
	switch v := val.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			kp := joinKey(path, k)
			if i, ok := info.byName[k]; ok {
				if _, err := f.fill(dst.FieldByIndex(info.fields[i].index), v[k], kp); err != nil {
					return false, err
				}
				continue
			}
			if info.extra == nil {
				hint := ""
				if near := info.foldMatch(k); near != "" {
					hint = fmt.Sprintf(" (field %s differs in case)", near)
				}
				return false, fmt.Errorf("%s: no field%s and %s has no Extra map", showPath(kp), hint, dst.Type())
			}
			m := dst.FieldByIndex(info.extra)
			if m.IsNil() {
				m.Set(reflect.MakeMap(m.Type()))
			}
			m.SetMapIndex(reflect.ValueOf(k), valueOf(f.clean(v[k], kp, false), m.Type().Elem()))
		}
		return true, nil
	case []any:
		if len(v) == 0 {
			return true, nil
		}
		if !info.positional {
			return false, fmt.Errorf("%s: an array does not fit %s", showPath(path), dst.Type())
		}
		if len(v) > len(info.fields) {
			return false, fmt.Errorf("%s: %d values for the %d positional parameters of %s", showPath(path), len(v), len(info.fields), dst.Type())
		}
		for i, x := range v {
			if _, err := f.fill(dst.FieldByIndex(info.fields[i].index), x, joinIndex(path, i)); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	return false, fmt.Errorf("%s: %s does not fit %s", showPath(path), show(val), dst.Type())
}

func (f *filler) fillMap(dst reflect.Value, val any, path string) (bool, error) {
	t := dst.Type()
	obj, ok := val.(map[string]any)
	if l, isList := val.([]any); isList && len(l) == 0 {
		obj, ok = map[string]any{}, true
	}
	if !ok || t.Key().Kind() != reflect.String {
		return false, fmt.Errorf("%s: %s does not fit %s", showPath(path), show(val), t)
	}
	if dst.IsNil() {
		dst.Set(reflect.MakeMapWithSize(t, len(obj)))
	}
	for _, k := range sortedKeys(obj) {
		elem := reflect.New(t.Elem()).Elem()
		set, err := f.fill(elem, obj[k], joinKey(path, k))
		if err != nil {
			return false, err
		}
		if set {
			dst.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), elem)
		}
	}
	return true, nil
}

func (f *filler) fillList(dst reflect.Value, val any, path string) (bool, error) {
	t := dst.Type()
	if s, ok := val.(string); ok && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return false, fmt.Errorf("%s: %s does not fit %s (not base64)", showPath(path), show(val), t)
		}
		dst.SetBytes(b)
		return true, nil
	}
	list, ok := val.([]any)
	if m, isMap := val.(map[string]any); isMap && len(m) == 0 {
		list, ok = []any{}, true
	}
	if !ok {
		return false, fmt.Errorf("%s: %s does not fit %s", showPath(path), show(val), t)
	}
	if t.Kind() == reflect.Array {
		if len(list) != t.Len() {
			return false, fmt.Errorf("%s: %d values do not fit %s", showPath(path), len(list), t)
		}
	} else {
		dst.Set(reflect.MakeSlice(t, len(list), len(list)))
	}
	for i, x := range list {
		if _, err := f.fill(dst.Index(i), x, joinIndex(path, i)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// clean records the placeholders inside val as aside and returns val for an untyped destination (any,
// Extra), or, with blank, with its placeholders replaced by "" for a type with UnmarshalJSON.
func (f *filler) clean(val any, path string, blank bool) any {
	switch v := val.(type) {
	case string:
		if IsPlaceholder(v) {
			f.aside = append(f.aside, showPath(path))
			if blank {
				return ""
			}
		}
	case map[string]any:
		out := make(map[string]any, len(v))
		for _, k := range sortedKeys(v) {
			out[k] = f.clean(v[k], joinKey(path, k), blank)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = f.clean(x, joinIndex(path, i), blank)
		}
		return out
	}
	return val
}

// standIn writes a value in place of placeholder s, so that the parameter is set as the user would
// set it: s into text, 1 into a number, true into a bool. Composite types are left unset.
func standIn(dst reflect.Value, s string) bool {
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		elem := reflect.New(t.Elem())
		if !standIn(elem.Elem(), s) {
			return false
		}
		dst.Set(elem)
		return true
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		quoted, _ := json.Marshal(s)
		for _, data := range [][]byte{quoted, []byte("1"), []byte("true")} {
			dst.Set(reflect.Zero(t))
			if dst.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data) == nil {
				return true
			}
		}
		dst.Set(reflect.Zero(t))
		return false
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return false
		}
		dst.Set(reflect.ValueOf(s))
	case reflect.String:
		dst.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		dst.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		dst.SetUint(1)
	case reflect.Float32, reflect.Float64:
		dst.SetFloat(1)
	case reflect.Bool:
		dst.SetBool(true)
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			return false
		}
		dst.SetBytes([]byte(s))
	default:
		return false
	}
	return true
}

// adapt stores a JSON scalar in a string, number or bool field, converting literals as a user would.
func adapt(dst reflect.Value, val any, path string) error {
	fail := func() error { return fmt.Errorf("%s: %s does not fit %s", showPath(path), show(val), dst.Type()) }
	var text string
	switch v := val.(type) {
	case string:
		text = v
	case json.Number:
		text = string(v)
	case bool:
		if dst.Kind() != reflect.Bool {
			return fail()
		}
		dst.SetBool(v)
		return nil
	default:
		return fail()
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(text)
	case reflect.Bool:
		switch text {
		case "Y", "1":
			dst.SetBool(true)
		case "N", "0":
			dst.SetBool(false)
		default:
			return fail()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := wholeNumber(text)
		if !ok || !n.IsInt64() || dst.OverflowInt(n.Int64()) {
			return fail()
		}
		dst.SetInt(n.Int64())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := wholeNumber(text)
		if !ok || !n.IsUint64() || dst.OverflowUint(n.Uint64()) {
			return fail()
		}
		dst.SetUint(n.Uint64())
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(text, 64)
		if err != nil || dst.OverflowFloat(x) {
			return fail()
		}
		dst.SetFloat(x)
	default:
		return fail()
	}
	return nil
}

// wholeNumber parses an integer written as "5", "5.0" or "5e3"; Diff tells if the text mattered.
func wholeNumber(s string) (*big.Int, bool) {
	if n, ok := new(big.Int).SetString(s, 10); ok {
		return n, true
	}
	if !numberText.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() {
		return nil, false
	}
	return r.Num(), true
}

// valueOf is v as a reflect.Value assignable to t (an interface type), nil included.
func valueOf(v any, t reflect.Type) reflect.Value {
	if v == nil {
		return reflect.Zero(t)
	}
	return reflect.ValueOf(v)
}

// structInfo is what Fill needs to know about a struct type.
type structInfo struct {
	fields     []fieldInfo    // in declaration order (embedded structs' fields in place)
	byName     map[string]int // json name → index in fields
	extra      []int          // the Extra map's field index, nil when there is none
	positional bool           // its MarshalJSON writes a JSON array
}

type fieldInfo struct {
	name  string
	index []int
}

var structInfos sync.Map // reflect.Type → *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{byName: map[string]int{}}
	var extras [][]int
	var extraNames []string
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := sf.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if tag == "-" {
				if sf.Type == reflect.TypeFor[map[string]any]() {
					extras = append(extras, idx)
					extraNames = append(extraNames, sf.Name)
				}
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if _, dup := info.byName[name]; !dup {
				info.byName[name] = len(info.fields)
				info.fields = append(info.fields, fieldInfo{name: name, index: idx})
			}
		}
	}
	walk(t, nil)
	for i, idx := range extras {
		if info.extra == nil || extraNames[i] == "Extra" {
			info.extra = idx
		}
	}
	if b, err := json.Marshal(reflect.New(t).Interface()); err == nil && len(b) > 0 && b[0] == '[' {
		info.positional = true
	}
	v, _ := structInfos.LoadOrStore(t, info)
	return v.(*structInfo)
}

// foldMatch names the field whose json name equals k but for case, for the error message.
func (s *structInfo) foldMatch(k string) string {
	for _, fi := range s.fields {
		if strings.EqualFold(fi.name, k) {
			return fi.name
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func joinKey(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func showPath(path string) string {
	if path == "" {
		return "(params)"
	}
	return path
}

// show describes a value in a message: scalars as short JSON, containers by kind.
func show(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return text(v)
}

// text is v as compact JSON without HTML escaping, shortened to keep messages on one readable line.
func text(v any) string {
	if _, ok := v.(Ignore); ok {
		return "(aside)"
	}
	b, err := jsonobj.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	const max = 60
	if r := []rune(string(b)); len(r) > max {
		return string(r[:max]) + "…"
	}
	return string(b)
}
