package b24test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/internal/phpform"
)

// maxBatch is how many commands the portal runs in one batch; the later ones fail.
const maxBatch = 50

// batch runs a batch call the way the portal does: commands in the order sent, each answered like a
// call of its own (scripted failures, handlers, the required check, fixtures) and recorded as a Call
// with BatchKey set; references to earlier results are substituted first; halt stops at the first
// failure, and the later commands are absent from the answer.
func (s *Server) batch(call Call) outcome {
	cmds, err := batchCommands(call)
	if err != nil {
		return outcome{err: &b24.APIError{Code: "ERROR_ARGUMENT", Description: err.Error(), Status: http.StatusBadRequest}}
	}
	halt := phpTrue(paramFold(call.Params, "halt"))
	st := &batchState{}
	var cost time.Duration
	for i, c := range cmds {
		method, query, _ := strings.Cut(c.line, "?")
		var fail *b24.APIError
		switch {
		case i >= maxBatch:
			fail = &b24.APIError{Code: "ERROR_BATCH_LENGTH_EXCEEDED", Description: "Max batch length exceeded"}
		case strings.EqualFold(method, "batch"):
			fail = &b24.APIError{Code: "ERROR_BATCH_METHOD_NOT_ALLOWED", Description: "Method is not allowed for batch usage"}
		}
		if fail == nil {
			values, err := url.ParseQuery(query)
			if err != nil {
				fail = &b24.APIError{Code: "ERROR_ARGUMENT", Description: "cannot parse the query of " + c.key + ": " + err.Error()}
			} else {
				var spent time.Duration
				spent, fail = s.batchCommand(call, c.key, method, st.substitute(phpform.Decode(values)).(map[string]any), st)
				cost += spent
			}
		}
		if fail != nil {
			st.errors.set(c.key, map[string]string{"error": fail.Code, "error_description": fail.Description})
			if halt {
				break
			}
		}
	}
	return outcome{result: st.answer(), cost: cost}
}

// batchCommand answers one command and stores its outcome; it returns the command's cost and failure.
func (s *Server) batchCommand(outer Call, key, method string, params map[string]any, st *batchState) (time.Duration, *b24.APIError) {
	sub := Call{Method: method, HTTPMethod: outer.HTTPMethod, Path: outer.Path, Auth: outer.Auth, Params: params, BatchKey: key}
	s.record(sub)
	var positional []any
	if l, ok := phpform.Listify(copyMap(params)).([]any); ok {
		positional = l
	}
	s.mu.Lock()
	raw := s.raw[strings.ToLower(method)]
	s.mu.Unlock()
	if raw != nil {
		return 0, &b24.APIError{Code: "ERROR_BATCH_METHOD_NOT_ALLOWED", Description: "b24test: " + method + " has a plain HTTP handler, which a batch cannot run"}
	}
	start := s.now()
	o, _ := s.answer(sub, positional) // no plain HTTP handler: answer returns none
	if o.err != nil {
		return o.cost, o.err
	}
	st.results.set(key, o.result)
	if o.total != nil {
		st.totals.set(key, *o.total)
	}
	if o.next != nil {
		st.nexts.set(key, *o.next)
	}
	st.times.set(key, s.timeObject(method, start, o.cost))
	return o.cost, nil
}

type batchCmd struct{ key, line string }

// batchCommands reads cmd in the order sent: from a JSON body token by token (a map would lose the
// order), from a form or query as parsed (numeric keys in number order).
func batchCommands(call Call) ([]batchCmd, error) {
	if b := bytes.TrimSpace(call.Body); len(b) > 0 && b[0] == '{' {
		return jsonCommands(b)
	}
	var out []batchCmd
	switch c := paramFold(call.Params, "cmd").(type) {
	case []any:
		for i, v := range c {
			out = append(out, batchCmd{strconv.Itoa(i), fmt.Sprint(v)})
		}
	case map[string]any:
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, errA := strconv.Atoi(keys[i])
			b, errB := strconv.Atoi(keys[j])
			if errA == nil && errB == nil {
				return a < b
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			out = append(out, batchCmd{k, fmt.Sprint(c[k])})
		}
	default:
		return nil, fmt.Errorf("cmd is required: a map or list of \"method?query\" strings")
	}
	return out, nil
}

func jsonCommands(body []byte) ([]batchCmd, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	for k, v := range top {
		if strings.EqualFold(k, "cmd") {
			raw = v
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("cmd is required: a map or list of \"method?query\" strings")
	}
	var out []batchCmd
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			var line string
			if err := dec.Decode(&line); err != nil {
				return nil, fmt.Errorf("cmd %v: want a \"method?query\" string", k)
			}
			out = append(out, batchCmd{fmt.Sprint(k), line})
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			var line string
			if err := dec.Decode(&line); err != nil {
				return nil, fmt.Errorf("cmd %d: want a \"method?query\" string", i)
			}
			out = append(out, batchCmd{strconv.Itoa(i), line})
		}
	default:
		return nil, fmt.Errorf("cmd is required: a map or list of \"method?query\" strings")
	}
	return out, nil
}

// paramFold is params[name] with the name matched case-insensitively, as the portal reads batch's own keys.
func paramFold(params map[string]any, name string) any {
	for k, v := range params {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// phpTrue is PHP's (bool) cast: only false, 0, "0", "" and null are false ("false" is true).
func phpTrue(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case json.Number:
		f, err := t.Float64()
		return err != nil || f != 0
	case string:
		return t != "" && t != "0"
	}
	return true
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// decodeValue decodes JSON into plain values with numbers as json.Number, as parameters are; nil
// when it is not JSON.
func decodeValue(b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if dec.Decode(&out) != nil {
		return nil
	}
	return out
}

// batchState is the answer so far, each map in command order.
type batchState struct {
	results, errors, totals, nexts, times ordered
}

func (st *batchState) answer() any {
	return struct {
		Result ordered `json:"result"`
		Error  ordered `json:"result_error"`
		Total  ordered `json:"result_total"`
		Next   ordered `json:"result_next"`
		Time   ordered `json:"result_time"`
	}{st.results, st.errors, st.totals, st.nexts, st.times}
}

// reRef is a reference as the portal reads it: $result[key][field]..., also $next, $total, $time, $error.
var reRef = regexp.MustCompile(`(?i)\$(result|next|total|time|error)((?:\[[^\]]*\])+)`)

// substitute replaces references in values (the portal also does keys, which a query string can
// hardly spell): a value that is exactly one reference takes
// the referenced value whole (a list, a number); inside longer text only scalars are put in. An
// unresolved reference stays as it is, as on the portal.
func (st *batchState) substitute(v any) any {
	switch t := v.(type) {
	case string:
		if m := reRef.FindStringSubmatchIndex(t); m != nil && m[0] == 0 && m[1] == len(t) {
			if x, ok := st.resolve(t[m[2]:m[3]], t[m[4]:m[5]]); ok {
				return x
			}
			return t
		}
		return reRef.ReplaceAllStringFunc(t, func(ref string) string {
			m := reRef.FindStringSubmatch(ref)
			x, ok := st.resolve(m[1], m[2])
			if !ok {
				return ref
			}
			switch s := x.(type) {
			case string:
				return s
			case json.Number:
				return s.String()
			case bool:
				if s {
					return "1"
				}
				return ""
			}
			return ref
		})
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = st.substitute(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = st.substitute(x)
		}
		return out
	}
	return v
}

// resolve follows "[key][field][0]..." into the map of kind. It decodes only along the path, so
// that a reference into a page of 50 rows stays cheap on the walks that chain 50 of them.
func (st *batchState) resolve(kind, path string) (any, bool) {
	var m *ordered
	switch strings.ToLower(kind) {
	case "result":
		m = &st.results
	case "next":
		m = &st.nexts
	case "total":
		m = &st.totals
	case "time":
		m = &st.times
	case "error":
		m = &st.errors
	}
	segs := phpform.SplitKey("x" + path)[1:]
	v, ok := m.get(segs[0])
	if !ok {
		return nil, false
	}
	cur, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	for _, s := range segs[1:] {
		switch cur = bytes.TrimSpace(cur); {
		case len(cur) > 0 && cur[0] == '{':
			var obj map[string]json.RawMessage
			if json.Unmarshal(cur, &obj) != nil {
				return nil, false
			}
			if cur, ok = obj[s]; !ok {
				return nil, false
			}
		case len(cur) > 0 && cur[0] == '[':
			var list []json.RawMessage
			i, err := strconv.Atoi(s)
			if json.Unmarshal(cur, &list) != nil || err != nil || i < 0 || i >= len(list) {
				return nil, false
			}
			cur = list[i]
		default:
			return nil, false
		}
	}
	return decodeValue(cur), true
}

// ordered is a JSON object that keeps its keys in insertion order. Like PHP's json_encode, it is
// written as a list when empty or when its keys are exactly 0..n-1.
type ordered struct {
	keys []string
	vals map[string]any
}

func (o *ordered) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *ordered) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o ordered) MarshalJSON() ([]byte, error) {
	list := true
	for i, k := range o.keys {
		list = list && k == strconv.Itoa(i)
	}
	var b bytes.Buffer
	if list {
		b.WriteByte('[')
	} else {
		b.WriteByte('{')
	}
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if !list {
			name, _ := json.Marshal(k)
			b.Write(name)
			b.WriteByte(':')
		}
		v, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	if list {
		b.WriteByte(']')
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}
