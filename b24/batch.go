package b24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/internal/phpform"
)

// MaxBatch is how many commands the portal runs in one batch request; later ones it refuses.
const MaxBatch = 50

// Batch is a list of commands run in order by the portal's batch method, up to MaxBatch per
// request: c.Batch sends longer lists in several requests. A later command may use an earlier
// one's result through a reference in a parameter value, such as "$result[deal][ID]" or
// "$result[list][0][ID]" (also $next, $total, $time and $error), within the same request.
type Batch struct {
	// Halt stops the portal at the first command that fails: the later ones do not run
	// (BatchResult.NotRun lists them), and no further request is sent.
	Halt bool
	cmds []batchCmd
}

type batchCmd struct {
	key, method string
	params      any
}

// Add appends a command. key names it in the result and in references (letters, digits and "_");
// params is what Do takes: nil, a generated params struct, a map or a json.RawMessage.
func (b *Batch) Add(key, method string, params any) {
	b.cmds = append(b.cmds, batchCmd{key, method, params})
}

// Len is the number of commands added.
func (b *Batch) Len() int { return len(b.cmds) }

// BatchResult holds what the commands of a batch returned, by key.
type BatchResult struct {
	Results map[string]json.RawMessage // commands that succeeded
	Errors  map[string]*APIError       // commands that failed
	Total   map[string]int             // list commands: the total the portal counted
	Next    map[string]int             // list commands with a further page: its start
	NotRun  []string                   // with Halt: the commands after the first failure, in order
}

// Decode decodes the result of command key into v. A failed command gives its *APIError; a command
// that did not run, or is not in the batch, an error saying so.
func (r *BatchResult) Decode(key string, v any) error {
	if raw, ok := r.Results[key]; ok {
		if err := json.Unmarshal(raw, v); err != nil {
			return &ResultError{Method: "batch " + key, Raw: raw, Err: err}
		}
		return nil
	}
	if e, ok := r.Errors[key]; ok {
		return e
	}
	for _, k := range r.NotRun {
		if k == key {
			return fmt.Errorf("batch: %s did not run: an earlier command failed and Halt is set", key)
		}
	}
	return fmt.Errorf("batch: no command %q", key)
}

var (
	reBatchKey = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	// reBatchRef finds references as the portal reads them: $result[key]..., $next[key], ...
	reBatchRef = regexp.MustCompile(`(?i)\$(?:result|next|total|time|error)\[([^\]]*)\]`)
)

// Batch runs the commands of b: in one request for up to MaxBatch commands, else in consecutive
// requests of MaxBatch. Commands that fail do not make Batch fail: they are in BatchResult.Errors.
// An error is returned for a request that fails as a whole; the result then holds the commands of
// the requests before it, and the commands of the failed request may or may not have run, so a
// caller must not simply send them again.
func (c *Client) Batch(ctx context.Context, b *Batch, opts ...CallOption) (*BatchResult, error) {
	chunks, err := b.encode()
	if err != nil {
		return nil, err
	}
	out := newBatchResult()
	for i, ch := range chunks {
		resp, err := c.Do(ctx, "batch", json.RawMessage(ch.body), opts...)
		if err != nil {
			return out, err
		}
		if err := out.add(resp.Result, ch.keys); err != nil {
			return out, err
		}
		if b.Halt && len(out.Errors) > 0 {
			for _, later := range chunks[i+1:] {
				out.NotRun = append(out.NotRun, later.keys...)
			}
			break
		}
	}
	return out, nil
}

func newBatchResult() *BatchResult {
	return &BatchResult{Results: map[string]json.RawMessage{}, Errors: map[string]*APIError{},
		Total: map[string]int{}, Next: map[string]int{}}
}

// ParseBatchResult reads the result member of a batch answer for the commands keys, in the order sent,
// as Client.Batch does; for callers that send the batch themselves, such as the CLI.
func ParseBatchResult(result json.RawMessage, keys []string) (*BatchResult, error) {
	r := newBatchResult()
	return r, r.add(result, keys)
}

type batchChunk struct {
	keys []string
	body []byte
}

// encode checks the commands and builds the request bodies: {"halt": 0|1, "cmd": {key: "method?query"}}
// with the keys in the order added, since the portal runs them in that order.
func (b *Batch) encode() ([]batchChunk, error) {
	if len(b.cmds) == 0 {
		return nil, errors.New("batch: no commands")
	}
	chunkOf := map[string]int{}
	var chunks []batchChunk
	for i, cmd := range b.cmds {
		if !reBatchKey.MatchString(cmd.key) {
			return nil, fmt.Errorf("batch: command key %q: only letters, digits and _ are allowed", cmd.key)
		}
		if _, dup := chunkOf[cmd.key]; dup {
			return nil, fmt.Errorf("batch: command key %q is used twice", cmd.key)
		}
		if err := checkMethod(cmd.method); err != nil {
			return nil, fmt.Errorf("batch %s: %w", cmd.key, err)
		}
		if strings.EqualFold(cmd.method, "batch") {
			return nil, fmt.Errorf("batch %s: a batch cannot contain a batch", cmd.key)
		}
		body, err := marshalParams(cmd.params)
		if err == nil {
			body, err = phpform.Encode(body)
		}
		query := string(body)
		if err != nil {
			return nil, fmt.Errorf("batch %s: %s: params: %w", cmd.key, cmd.method, err)
		}
		n := i / MaxBatch
		for _, m := range reBatchRef.FindAllStringSubmatch(mustUnescape(query), -1) {
			if at, ok := chunkOf[m[1]]; ok && at != n {
				return nil, fmt.Errorf("batch %s: refers to %s, which goes in an earlier request (%d commands a request); a reference reaches only its own request", cmd.key, m[1], MaxBatch)
			}
		}
		chunkOf[cmd.key] = n
		if n == len(chunks) {
			chunks = append(chunks, batchChunk{})
		}
		ch := &chunks[n]
		if len(ch.keys) == 0 {
			halt := "0"
			if b.Halt {
				halt = "1"
			}
			ch.body = append(ch.body, `{"halt":`+halt+`,"cmd":{`...)
		} else {
			ch.body = append(ch.body, ',')
		}
		line := cmd.method
		if query != "" {
			line += "?" + query
		}
		k, _ := json.Marshal(cmd.key) // strings always marshal
		v, _ := json.Marshal(line)
		ch.body = append(append(append(ch.body, k...), ':'), v...)
		ch.keys = append(ch.keys, cmd.key)
	}
	for i := range chunks {
		chunks[i].body = append(chunks[i].body, "}}"...)
	}
	return chunks, nil
}

func mustUnescape(q string) string {
	if s, err := url.QueryUnescape(q); err == nil {
		return s
	}
	return q
}

// add merges one batch answer: {"result": {...}, "result_error": {...}, "result_total": ...}. PHP
// sends an empty map as [] and a map with keys 0..n-1 as a list, so both shapes are read.
func (r *BatchResult) add(raw json.RawMessage, keys []string) error {
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"result_error"`
		Total  json.RawMessage `json:"result_total"`
		Next   json.RawMessage `json:"result_next"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("batch: the answer is not a batch result: %w", err)
	}
	results, err := phpMap(env.Result)
	if err != nil {
		return fmt.Errorf("batch: result: %w", err)
	}
	errs, err := phpMap(env.Error)
	if err != nil {
		return fmt.Errorf("batch: result_error: %w", err)
	}
	totals, err := phpMap(env.Total)
	if err != nil {
		return fmt.Errorf("batch: result_total: %w", err)
	}
	nexts, err := phpMap(env.Next)
	if err != nil {
		return fmt.Errorf("batch: result_next: %w", err)
	}
	for _, k := range keys {
		if e, ok := errs[k]; ok {
			var w struct {
				Code        string `json:"error"`
				Description string `json:"error_description"`
			}
			if json.Unmarshal(e, &w) != nil || w.Code == "" {
				w.Code, w.Description = "ERROR_BATCH_COMMAND", string(e)
			}
			r.Errors[k] = &APIError{Code: w.Code, Description: w.Description, Method: "batch " + k, Body: e}
			continue
		}
		v, ok := results[k]
		if !ok {
			r.NotRun = append(r.NotRun, k)
			continue
		}
		r.Results[k] = v
		var n Int
		if t, ok := totals[k]; ok && json.Unmarshal(t, &n) == nil {
			r.Total[k] = int(n)
		}
		if t, ok := nexts[k]; ok && json.Unmarshal(t, &n) == nil {
			r.Next[k] = int(n)
		}
	}
	return nil
}

// phpMap reads a JSON object, or a list (PHP's encoding of a map keyed 0..n-1, and of an empty map).
func phpMap(raw json.RawMessage) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
		m := make(map[string]json.RawMessage, len(list))
		for i, v := range list {
			m[strconv.Itoa(i)] = v
		}
		return m, nil
	}
	var m map[string]json.RawMessage
	err := json.Unmarshal(raw, &m)
	return m, err
}
