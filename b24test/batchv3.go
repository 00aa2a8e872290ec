package b24test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/b24gen/b24gen/b24"
)

// batchV3 runs a REST 3.0 batch as the portal does: the body is a JSON array of
// {"method", "query", "as"}, run in order, each command answered like a 3.0 call of its own and
// recorded as a Call with BatchKey set to its alias (its index without one). A command's $ref and
// $refArray values are filled from the item or items of earlier commands first. It is all or
// nothing: the first command that fails, or a reference that leads nowhere, fails the whole batch
// with that error; the commands before it have run. The 2.0 form (an object with cmd) is refused
// with INVALIDSELECTEXCEPTION.
func (s *Server) batchV3(call Call, cmds []any) outcome {
	if cmds == nil {
		return outcome{err: invalidSelect("a REST 3.0 batch is a JSON array of {\"method\", \"query\"}, not cmd")}
	}
	if len(cmds) > maxBatch {
		return outcome{err: &b24.APIError{Code: "ERROR_BATCH_LENGTH_EXCEEDED", Description: "Max batch length exceeded", Status: http.StatusBadRequest}}
	}
	refs := map[string]any{} // alias → the item or items a later command may refer to
	results := make([]any, 0, len(cmds))
	var cost time.Duration
	for i, c := range cmds {
		cmd, _ := c.(map[string]any)
		method, _ := cmd["method"].(string)
		alias, _ := cmd["as"].(string)
		if alias == "" {
			alias = strconv.Itoa(i)
		}
		query, isObj := cmd["query"].(map[string]any)
		if cmd["query"] == nil {
			query, isObj = map[string]any{}, true
		}
		switch {
		case method == "" || !isObj:
			return outcome{err: invalidSelect(fmt.Sprintf("command %d: want {\"method\": name, \"query\": {…}}", i)), cost: cost}
		case strings.EqualFold(method, "batch"):
			return outcome{err: &b24.APIError{Code: "ERROR_BATCH_METHOD_NOT_ALLOWED", Description: "Method is not allowed for batch usage", Status: http.StatusBadRequest}, cost: cost}
		}
		q, err := fillRefs(query, refs)
		if err != nil {
			return outcome{err: invalidSelect(err.Error()), cost: cost}
		}
		sub := Call{Method: method, HTTPMethod: call.HTTPMethod, Path: call.Path, Auth: call.Auth, Params: q.(map[string]any), BatchKey: alias, API3: true}
		s.record(sub)
		s.mu.Lock()
		raw := s.raw[strings.ToLower(method)]
		s.mu.Unlock()
		if raw != nil {
			return outcome{err: &b24.APIError{Code: "ERROR_BATCH_METHOD_NOT_ALLOWED", Description: "b24test: " + method + " has a plain HTTP handler, which a batch cannot run", Status: http.StatusBadRequest}, cost: cost}
		}
		o, _ := s.answer(sub, nil) // no plain HTTP handler: answer returns none
		cost += o.cost
		if o.err != nil {
			return outcome{err: o.err, argument: o.argument, cost: cost}
		}
		results = append(results, o.result)
		if v, ok := plain(o.result).(map[string]any); ok && (v["item"] != nil || v["items"] != nil) {
			refs[alias] = v
		}
	}
	return outcome{result: results, cost: cost}
}

func invalidSelect(msg string) *b24.APIError {
	return &b24.APIError{Code: v3Code("INVALIDSELECTEXCEPTION"), Description: msg, Status: http.StatusBadRequest}
}

// plain is v as decoded JSON (maps, lists, json.Number): what a reference walks.
func plain(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return decodeValue(b)
}

// fillRefs replaces each {"$ref": "alias.path"} with the value at that path of an earlier command's
// answer, and each {"$refArray": "alias.field"} with the field of every one of its items.
func fillRefs(v any, refs map[string]any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			if p, ok := t["$ref"].(string); ok {
				return refValue(p, refs)
			}
			if p, ok := t["$refArray"].(string); ok {
				return refArray(p, refs)
			}
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			y, err := fillRefs(x, refs)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			y, err := fillRefs(x, refs)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	}
	return v, nil
}

func refValue(path string, refs map[string]any) (any, error) {
	segs := strings.Split(path, ".")
	cur, ok := refs[segs[0]]
	for _, s := range segs[1:] {
		if !ok {
			break
		}
		switch c := cur.(type) {
		case map[string]any:
			cur, ok = c[s]
		case []any:
			i, err := strconv.Atoi(s)
			ok = err == nil && i >= 0 && i < len(c)
			if ok {
				cur = c[i]
			}
		default:
			ok = false
		}
	}
	if !ok {
		return nil, fmt.Errorf("cannot resolve the reference `%s`", path)
	}
	return cur, nil
}

func refArray(path string, refs map[string]any) (any, error) {
	alias, field, found := strings.Cut(path, ".")
	from, _ := refs[alias].(map[string]any)
	items, ok := from["items"].([]any)
	if !found || !ok {
		return nil, fmt.Errorf("cannot resolve the reference `%s`", path)
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		v, err := refValue("x."+field, map[string]any{"x": it})
		if err != nil {
			return nil, fmt.Errorf("cannot resolve the reference `%s`", path)
		}
		out = append(out, v)
	}
	return out, nil
}
