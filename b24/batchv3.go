package b24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Ref is a value a REST 3.0 batch command takes from an earlier command of the same request: path
// is that command's key, then a dotted path into what it returned ("task.item.responsibleId"). Only
// a get's item and a list's items can be referred to; the portal fills the value in before the
// command runs, and a path that leads nowhere fails the batch.
func Ref(path string) any { return map[string]string{"$ref": path} }

// RefArray is a list a REST 3.0 batch command takes from an earlier list command of the same
// request: path is that command's key and a field ("tasks.id"), collected from each of its items,
// as in b24.Where("taskId", "in", b24.RefArray("tasks.id")).
func RefArray(path string) any { return map[string]string{"$refArray": path} }

// generation is whether b holds REST 3.0 commands: a batch holds one generation.
func (b *Batch) generation() (api3 bool, err error) {
	if len(b.cmds) == 0 {
		return false, nil
	}
	first := b.cmds[0]
	for _, c := range b.cmds[1:] {
		if c.api3 != first.api3 {
			v3, v2 := c, first
			if first.api3 {
				v3, v2 = first, c
			}
			return false, fmt.Errorf("batch: %s (%s) is a REST 3.0 method and %s (%s) a REST 2.0 one: a batch holds one generation, so send them in two",
				v3.key, v3.method, v2.key, v2.method)
		}
	}
	return first.api3, nil
}

// encodeV3 checks the commands and builds the request bodies of a REST 3.0 batch:
// [{"method": …, "query": {…}, "as": key}, …] in the order added.
func (b *Batch) encodeV3(opts []CallOption) ([]batchChunk, error) {
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	if cc.idemKey != "" {
		return nil, errors.New("batch: a REST 3.0 batch takes no Idempotency-Key: the docs do not say the portal keeps one for a batch")
	}
	chunkOf := map[string]int{}
	var chunks []batchChunk
	for i, cmd := range b.cmds {
		if err := cmd.check(chunkOf); err != nil {
			return nil, err
		}
		body, err := marshalParams(cmd.params)
		if err != nil {
			return nil, fmt.Errorf("batch %s: %s: params: %w", cmd.key, cmd.method, err)
		}
		if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("batch %s: %s: the params of a REST 3.0 command must be a JSON object", cmd.key, cmd.method)
		}
		n := i / MaxBatch
		for _, ref := range batchRefs(body) {
			alias, _, _ := strings.Cut(ref, ".")
			at, ok := chunkOf[alias]
			switch {
			case !ok:
				return nil, fmt.Errorf("batch %s: refers to %q, and no command before it has the key %q", cmd.key, ref, alias)
			case at != n:
				return nil, fmt.Errorf("batch %s: refers to %s, which goes in an earlier request (%d commands a request); a reference reaches only its own request", cmd.key, alias, MaxBatch)
			}
		}
		chunkOf[cmd.key] = n
		if n == len(chunks) {
			chunks = append(chunks, batchChunk{read: true, body: []byte{'['}})
		}
		ch := &chunks[n]
		if len(ch.keys) > 0 {
			ch.body = append(ch.body, ',')
		}
		m, _ := json.Marshal(cmd.method) // strings always marshal
		k, _ := json.Marshal(cmd.key)
		ch.body = fmt.Appendf(ch.body, `{"method":%s,"query":%s,"as":%s}`, m, body, k)
		ch.keys = append(ch.keys, cmd.key)
		ch.read = ch.read && cmd.read
	}
	for i := range chunks {
		chunks[i].body = append(chunks[i].body, ']')
	}
	return chunks, nil
}

// check refuses what the portal would refuse of any command: a bad or repeated key, a bad method
// name, a batch inside a batch. seen holds the keys before it.
func (cmd batchCmd) check(seen map[string]int) error {
	if cmd.err != nil {
		return cmd.err
	}
	if !reBatchKey.MatchString(cmd.key) {
		return fmt.Errorf("batch: command key %q: only letters, digits and _ are allowed", cmd.key)
	}
	if _, dup := seen[cmd.key]; dup {
		return fmt.Errorf("batch: command key %q is used twice", cmd.key)
	}
	if err := checkMethod(cmd.method); err != nil {
		return fmt.Errorf("batch %s: %w", cmd.key, err)
	}
	if strings.EqualFold(cmd.method, "batch") {
		return fmt.Errorf("batch %s: a batch cannot contain a batch", cmd.key)
	}
	return nil
}

// batchRefs lists the paths of the Ref and RefArray values in a command's params.
func batchRefs(params []byte) []string {
	var v any
	if json.Unmarshal(params, &v) != nil {
		return nil
	}
	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if len(t) == 1 {
				for k, x := range t {
					if s, ok := x.(string); ok && (k == "$ref" || k == "$refArray") {
						refs = append(refs, s)
						return
					}
				}
			}
			for _, x := range t {
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	return refs
}

// addV3 merges a REST 3.0 batch answer: its result is a list with one entry per command, in order.
func (r *BatchResult) addV3(raw json.RawMessage, keys []string) error {
	results, err := phpMap(raw)
	if err != nil {
		return fmt.Errorf("batch: the answer is not a REST 3.0 batch result: %w", err)
	}
	if len(results) != len(keys) {
		return fmt.Errorf("batch: the answer holds %d results for %d commands", len(results), len(keys))
	}
	for i, k := range keys {
		r.Results[k] = results[fmt.Sprint(i)]
	}
	return nil
}
