package command

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
	"github.com/b24gen/b24gen/internal/phpform"
)

const batchLong = `Runs up to 50 commands in one request of the batch method, in the order given.

  b24 batch user='user.get?ID=1' dept='department.get?ID=$result[user][0][UF_DEPARTMENT][0]'
  b24 batch --halt deal='crm.deal.add?fields[TITLE]=New+deal' get='crm.deal.get?id=$result[deal]'

Each command is key='method?query': the key names it in the answer and in references; the query
is PHP's form syntax (fields[TITLE]=x, select[]=ID), URL-encoded as in a URL. A later command may
use an earlier result: $result[key][FIELD], $result[key][0][ID], $next[key], $total[key].
Quote the commands: the shell would take & and $ for itself.

The whole answer is printed. A command that fails does not stop the others (unless --halt) and is
in result_error; then b24 names the failed commands on stderr and exits 1.

When every command is a REST 3.0 method, the batch goes to 3.0's batch method:

  b24 batch open='tasks.task.list@3 {"filter": [["status", "=", 2]], "select": ["id"]}' \
    same='tasks.task.list@3 {"filter": [["id", "in", {"$refArray": "open.id"}]]}'

Each command is key='method {JSON object}' (or key='method?query' as above). A later command takes
an earlier one's item or items: {"$ref": "key.item.field"}, {"$refArray": "key.field"}. The portal
runs a 3.0 batch all or nothing: one command that fails fails the whole request (--halt changes
nothing), and the commands before it may have run. The results are printed by key.`

var reBatchKey = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func (r *runner) batchCommand() *cobra.Command {
	var halt bool
	cmd := &cobra.Command{
		Use:   "batch [--halt] key='method?query' ...",
		Short: "run up to 50 commands in one request",
		Long:  batchLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("batch: expected commands like user='user.get?ID=1'")
			}
			if len(args) > b24.MaxBatch {
				return usagef("batch: %d commands; the portal runs at most %d in one request", len(args), b24.MaxBatch)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if b, ok, err := r.batchV3(args); ok || err != nil {
				if err != nil {
					return err
				}
				return r.runBatchV3(b, args)
			}
			body, keys, err := batchBody(args, halt)
			if err != nil {
				return &runError{err}
			}
			resp, err := r.callResponse("batch", json.RawMessage(body))
			if err != nil {
				return wrap(err)
			}
			res, err := b24.ParseBatchResult(resp.Result, keys)
			if err != nil {
				return &runError{err}
			}
			if err := batchFailures(res); err != nil {
				return &runError{r.batchHints(err, res, args)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&halt, "halt", false, "stop at the first command that fails; the later ones do not run")
	return cmd
}

// batchBody is {"halt":0|1,"cmd":{key:"method?query",...}} with the keys in the order given, the order
// the portal runs them in; keys are those keys.
func batchBody(args []string, halt bool) (body []byte, keys []string, err error) {
	seen := map[string]bool{}
	body = fmt.Appendf(nil, `{"halt":%d,"cmd":{`, map[bool]int{false: 0, true: 1}[halt])
	for i, a := range args {
		key, line, ok := strings.Cut(a, "=")
		if !ok || !reBatchKey.MatchString(key) {
			return nil, nil, usagef("batch: %q: expected key='method?query' with a key of letters, digits and _", a)
		}
		if seen[key] {
			return nil, nil, usagef("batch: the key %q is used twice", key)
		}
		seen[key] = true
		keys = append(keys, key)
		method, _, _ := strings.Cut(line, "?")
		if !validMethod(method) {
			return nil, nil, usagef("batch: %s: %q is not a method name", key, method)
		}
		if i > 0 {
			body = append(body, ',')
		}
		k, _ := json.Marshal(key) // strings always marshal
		v, _ := json.Marshal(line)
		body = append(append(append(body, k...), ':'), v...)
	}
	return append(body, "}}"...), keys, nil
}

// batchV3 reads the commands as a REST 3.0 batch when every method is a 3.0 one (ok); a batch
// that mixes the generations is a usage error.
func (r *runner) batchV3(args []string) (b *b24.Batch, ok bool, err error) {
	b = &b24.Batch{}
	var v2 string
	for _, a := range args {
		key, line, _ := strings.Cut(a, "=")
		method, query, json3 := strings.Cut(strings.TrimSpace(line), " ")
		if !json3 {
			method, query, _ = strings.Cut(line, "?")
		}
		s, found := r.env.Catalog.findStub(method)
		var m *clikit.Method
		if found {
			m, _ = r.env.Catalog.method(s)
		}
		if m == nil || !m.API3 {
			v2 = key
			continue
		}
		params, err := batchParams(query, json3)
		if err != nil {
			return nil, false, usagef("batch: %s: %v", key, err)
		}
		b24.AddCmd[json.RawMessage](b, key, m.WireName(), params, kindOpts(m)...)
	}
	switch {
	case b.Len() == 0:
		return nil, false, nil
	case v2 != "":
		return nil, false, usagef("batch: %s is not a REST 3.0 method and the others are: a batch holds one generation, so run two", v2)
	}
	return b, true, nil
}

// batchParams reads a 3.0 command's params: a JSON object, or a query in PHP's form syntax.
func batchParams(query string, isJSON bool) (map[string]any, error) {
	if isJSON {
		var p map[string]any
		if err := json.Unmarshal([]byte(query), &p); err != nil || p == nil {
			return nil, fmt.Errorf("the params after the method must be a JSON object: %s", query)
		}
		return p, nil
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("the query: %v", err)
	}
	p, _ := phpform.Listify(phpform.Decode(v)).(map[string]any)
	return p, nil
}

// runBatchV3 sends a REST 3.0 batch and prints {"result": {key: result, …}} in the order given.
func (r *runner) runBatchV3(b *b24.Batch, args []string) error {
	p, err := r.printer()
	if err != nil {
		return err
	}
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	res, err := client.Batch(r.ctx, b, r.limited(nil)...)
	if err != nil {
		return wrap(err)
	}
	out := []byte(`{"result":{`)
	for i, a := range args {
		key, _, _ := strings.Cut(a, "=")
		if i > 0 {
			out = append(out, ',')
		}
		k, _ := json.Marshal(key) // strings always marshal
		v := res.Results[key]
		if len(v) == 0 {
			v = json.RawMessage("null")
		}
		out = append(append(append(out, k...), ':'), v...)
	}
	return r.printAnswer(p, "batch", append(out, "}}"...), true, nil)
}

// batchFailures names the commands that failed, or is nil when none did.
func batchFailures(res *b24.BatchResult) error {
	if len(res.Errors) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(res.Errors))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + res.Errors[k].Code
		if d := res.Errors[k].Description; d != "" {
			parts[i] += " (" + d + ")"
		}
	}
	return fmt.Errorf("batch: %d command(s) failed: %s", len(keys), strings.Join(parts, "; "))
}
