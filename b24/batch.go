package b24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"

	"github.com/b24gen/b24gen/internal/phpform"
)

// MaxBatch is how many commands the portal runs in one batch request; later ones it refuses.
const MaxBatch = 50

// Batch is a list of commands run in order by the portal's batch method, up to MaxBatch per
// request: c.Batch sends longer lists in several requests. A later command may use an earlier
// one's result through a reference in a parameter value, such as "$result[deal][ID]" or
// "$result[list][0][ID]" (also $next, $total, $time and $error), within the same request.
//
// Generated packages add typed commands: crm.New(c).DealAddCmd(&b, "deal", p) returns a Cmd whose
// Result decodes the deal's ID.
//
// A batch of REST 3.0 commands (generated 3.0 methods' commands, or AddCmd with API3) is sent to
// the 3.0 batch method as a JSON array, each command under its key as alias; a later command uses
// an earlier one's item or items through Ref and RefArray. The portal runs a 3.0 batch all or
// nothing: one failing command fails the whole request (Halt changes nothing), and the commands
// before it may have run. A batch holds the methods of one generation.
type Batch struct {
	// Halt stops the portal at the first command that fails: the later ones do not run
	// (BatchResult.NotRun lists them), and no further request is sent.
	Halt bool
	cmds []batchCmd
}

type batchCmd struct {
	key, method string
	params      any
	read        bool  // the method only reads (AddRead, or AddCmd with Read)
	api3        bool  // a REST 3.0 method (AddCmd with API3)
	err         error // a mistake of AddCmd's, reported when the batch is encoded
}

// Add appends a command. key names it in the result and in references (letters, digits and "_");
// params is what Do takes: nil, a generated params struct, a map or a json.RawMessage. The command
// counts as a write: a request that holds one is never sent twice (see Read).
func (b *Batch) Add(key, method string, params any) {
	b.cmds = append(b.cmds, batchCmd{key: key, method: method, params: params})
}

// AddRead appends a command, as Add does, whose method only reads (the spec's kind: read). A
// request whose commands are all reads is sent as a Read call: it may be sent again when it may
// have run.
func (b *Batch) AddRead(key, method string, params any) {
	b.cmds = append(b.cmds, batchCmd{key: key, method: method, params: params, read: true})
}

// Cmd is a command added to a Batch by a generated function (crm.New(c).DealGetCmd(&b, "deal", p))
// or by AddCmd; after Client.Batch, Result decodes what it returned into R.
type Cmd[R any] struct {
	key, method string
	err         error // AddCmd's mistake, when it could not add the command
}

// AddCmd appends a command to b, as Add does, and returns it typed by its result R. Of opts only
// Read (the command is a read, see AddRead) and API3 (a REST 3.0 method) apply; options for the
// requests go to Client.Batch.
func AddCmd[R any](b *Batch, key, method string, params any, opts ...CallOption) Cmd[R] {
	// the generic part stays this small: it is compiled again for every result type
	return Cmd[R]{key: key, method: method, err: b.addCmd(key, method, params, opts)}
}

func (b *Batch) addCmd(key, method string, params any, opts []CallOption) error {
	if b == nil {
		return fmt.Errorf("batch %s: %s: AddCmd got a nil *Batch", key, method)
	}
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	cmd := batchCmd{key: key, method: method, params: params, read: cc.read, api3: cc.api3}
	if cc.timeout != 0 || cc.progress != nil || cc.idemKey != "" {
		cmd.err = fmt.Errorf("batch %s: %s: only b24.Read() and b24.API3() apply to a command; pass call options to Client.Batch", key, method)
	}
	b.cmds = append(b.cmds, cmd)
	return nil
}

// Key is the command's key in the batch and in its BatchResult.
func (c Cmd[R]) Key() string { return c.key }

// Result is what the command returned, decoded into R; a null result is R's zero value, as in Call.
// A command that failed gives its *APIError; one that did not run, may have run or was not sent
// (see BatchResult) an error saying so; a result that does not fit R a *ResultError with the raw
// result (the command ran).
func (c Cmd[R]) Result(r *BatchResult) (R, error) {
	var v R
	if err := decodeCmd(c.key, c.method, c.err, r, &v); err != nil {
		var zero R
		return zero, err
	}
	return v, nil
}

// decodeCmd is Result's work outside the generic code, which is compiled again for every R.
func decodeCmd(key, method string, cmdErr error, r *BatchResult, v any) error {
	if cmdErr != nil {
		return cmdErr
	}
	raw, err := r.lookup(key)
	if err != nil {
		return err
	}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &ResultError{Method: "batch " + key + " (" + method + ")", Raw: raw, Err: err}
	}
	return nil
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

	// When a request fails as a whole, Client.Batch returns an error and stops; these say, in order,
	// what became of the commands it did not get results for.
	MaybeRan []string // the failed request's commands: sent, result unknown; check before repeating them
	NotSent  []string // commands never sent (later requests; the failed one too when it was refused before running)
}

// Decode decodes the result of command key into v. A failed command gives its *APIError; a command
// that did not run, may have run, was not sent or is not in the batch, an error saying so.
func (r *BatchResult) Decode(key string, v any) error {
	raw, err := r.lookup(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &ResultError{Method: "batch " + key, Raw: raw, Err: err}
	}
	return nil
}

// lookup is the raw result of command key, or the error that stands for it.
func (r *BatchResult) lookup(key string) (json.RawMessage, error) {
	if r == nil {
		return nil, fmt.Errorf("batch: no result to read %s from (Client.Batch returned none)", key)
	}
	if raw, ok := r.Results[key]; ok {
		return raw, nil
	}
	if e, ok := r.Errors[key]; ok {
		return nil, e
	}
	switch {
	case slices.Contains(r.NotRun, key):
		return nil, fmt.Errorf("batch: %s did not run: an earlier command failed and Halt is set", key)
	case slices.Contains(r.MaybeRan, key):
		return nil, fmt.Errorf("batch: %s: its request failed as a whole: %w", key, ErrMaybeRan)
	case slices.Contains(r.NotSent, key):
		return nil, fmt.Errorf("batch: %s was not sent: the batch stopped at a request that failed", key)
	}
	return nil, fmt.Errorf("batch: no command %q", key)
}

var (
	reBatchKey = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	// reBatchRef finds references as the portal reads them: $result[key]..., $next[key], ...
	reBatchRef = regexp.MustCompile(`(?i)\$(?:result|next|total|time|error)\[([^\]]*)\]`)
)

// Batch runs the commands of b: in one request for up to MaxBatch commands, else in consecutive
// requests of MaxBatch. Commands that fail do not make Batch fail: they are in BatchResult.Errors.
//
// A request is sent as a read (see Read) only when every command in it is one, whatever opts say,
// so that a request holding a write is never sent twice.
//
// An error is returned for a request that fails as a whole, and no later request is sent. The
// result then holds the commands of the requests before it; the failed request's commands are in
// MaybeRan (errors.Is(err, ErrMaybeRan) when one of them is a write), or in NotSent when the portal refused the request before
// running it (rate or time limit, authentication); the later ones are in NotSent. A batch refused
// before sending (a bad key, an unset required parameter) has every command in NotSent.
func (c *Client) Batch(ctx context.Context, b *Batch, opts ...CallOption) (*BatchResult, error) {
	if ctx == nil {
		ctx = context.Background() // as Do takes it
	}
	out := newBatchResult()
	if b == nil {
		return out, errors.New("batch: nil *Batch")
	}
	api3, err := b.generation()
	var chunks []batchChunk
	if err == nil && api3 {
		chunks, err = b.encodeV3(opts)
	} else if err == nil {
		chunks, err = b.encode()
	}
	if err != nil {
		for _, cmd := range b.cmds {
			out.NotSent = append(out.NotSent, cmd.key)
		}
		return out, err
	}
	for i, ch := range chunks {
		if err := ctx.Err(); err != nil {
			return out, out.stop(chunks, i, false, fmt.Errorf("batch: %w", err))
		}
		own := []CallOption{batchKind(ch.read)}
		if api3 {
			// whether the portal keeps a batch's answer for an Idempotency-Key is not documented, so
			// a batch of writes follows 2.0's rule: not sent again when it may have run
			own = append(own, API3(), func(c *callConfig) { c.noKey = true })
		}
		resp, err := c.Do(ctx, "batch", json.RawMessage(ch.body), append(slices.Clip(opts), own...)...)
		if err != nil {
			kind, _ := classify(err)
			return out, out.stop(chunks, i, kind.ran(), err)
		}
		add := out.add
		if api3 {
			add = out.addV3
		}
		if err := add(resp.Result, ch.keys); err != nil {
			return out, out.stop(chunks, i, true, err)
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

// batchKind sets a request's kind from its commands, over a Read among the caller's options.
func batchKind(read bool) CallOption { return func(c *callConfig) { c.read = read } }

// stop records a request i that failed as a whole: its commands in MaybeRan when they may have run,
// else in NotSent, and the later requests' in NotSent. The error it returns says how many of each.
func (r *BatchResult) stop(chunks []batchChunk, i int, maybeRan bool, err error) error {
	if maybeRan {
		r.MaybeRan = append(r.MaybeRan, chunks[i].keys...)
	} else {
		r.NotSent = append(r.NotSent, chunks[i].keys...)
	}
	for _, later := range chunks[i+1:] {
		r.NotSent = append(r.NotSent, later.keys...)
	}
	if chunks[i].read {
		// repeating reads is harmless: no word of what may have run
		return &batchError{msg: fmt.Sprintf("batch request %d of %d failed: %v", i+1, len(chunks), err), err: err}
	}
	msg := fmt.Sprintf("batch request %d of %d failed (%d commands may have run, %d not sent): %v",
		i+1, len(chunks), len(r.MaybeRan), len(r.NotSent), err)
	return &batchError{msg: msg, err: err, maybeRan: maybeRan}
}

// batchError is a batch request that failed as a whole. It matches ErrMaybeRan when its commands
// may have run and one of them is a write, also when the underlying error does not say so (an
// answer that is not a batch result).
type batchError struct {
	msg      string
	err      error
	maybeRan bool
}

func (e *batchError) Error() string { return e.msg }

func (e *batchError) Unwrap() []error {
	if e.maybeRan {
		return []error{e.err, ErrMaybeRan}
	}
	return []error{e.err}
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
	read bool // every command of the request is a read
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
		if err := cmd.check(chunkOf); err != nil {
			return nil, err
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
			chunks = append(chunks, batchChunk{read: true})
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
		ch.read = ch.read && cmd.read
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
