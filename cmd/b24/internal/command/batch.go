package command

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24"
)

const batchLong = `Runs up to 50 commands in one request of the batch method, in the order given.

  b24 batch user='user.get?ID=1' dept='department.get?ID=$result[user][0][UF_DEPARTMENT][0]'
  b24 batch --halt deal='crm.deal.add?fields[TITLE]=New+deal' get='crm.deal.get?id=$result[deal]'

Each command is key='method?query': the key names it in the answer and in references; the query
is PHP's form syntax (fields[TITLE]=x, select[]=ID), URL-encoded as in a URL. A later command may
use an earlier result: $result[key][FIELD], $result[key][0][ID], $next[key], $total[key].
Quote the commands: the shell would take & and $ for itself.

The whole answer is printed. A command that fails does not stop the others (unless --halt) and is
in result_error; then b24 names the failed commands on stderr and exits 1.`

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
