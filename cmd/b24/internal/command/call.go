package command

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/clikit"
)

const callLong = `Calls any REST method, also one the spec does not describe.

  b24 call crm.lead.get id=5
  b24 call tasks.task.add fields.TITLE='New task' fields.RESPONSIBLE_ID=1
  b24 call crm.lead.list --json "{'filter':{'>ID':10},'select':['ID','TITLE']}"

key=value: a value that is JSON (single quotes allowed) is sent as JSON, so id=5 sends the
number 5, flag=true a boolean and fields={'TITLE':'x'} an object; anything else is sent as a
string (to force a string that looks like JSON, quote it: id="'5'"). A dotted key builds nested
objects: fields.TITLE=x sends {"fields":{"TITLE":"x"}}.
--json gives the whole body as a JSON object or a path to a .json file; key=value pairs are
applied over it.`

func (r *runner) callCommand() *cobra.Command {
	var body string
	cmd := &cobra.Command{
		Use:   "call <method> [key=value ...]",
		Short: "call any REST method",
		Long:  callLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("call: expected a method name, e.g. b24 call server.time")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validMethod(args[0]) {
				return &runError{usagef("call: %q is not a method name: only letters, digits, '.', '_' and '-'", args[0])}
			}
			p, err := r.parser()
			if err != nil {
				return &runError{err}
			}
			params := map[string]any{}
			if cmd.Flags().Changed("json") {
				obj, err := p.Object(body)
				if err != nil {
					return &runError{&clikit.ValueError{Flag: "json", Msg: err.Error()}}
				}
				params = obj
			}
			for _, kv := range args[1:] {
				if err := setPair(params, kv); err != nil {
					return &runError{err}
				}
			}
			return wrap(r.call(args[0], params, r.lookupKind(args[0])...))
		},
	}
	if _, ok := r.env.Catalog.isNamespace("call"); ok {
		// Bitrix24 has a namespace of this name; its methods are commands of their own.
		cmd.Long += "\n\nThe methods of Bitrix24's call namespace (call.followup.get, ...) are commands of their own:\n" +
			"b24 help call lists them."
	}
	cmd.Flags().StringVar(&body, "json", "", "the whole request body: a JSON object (single quotes allowed) or a path to a .json file")
	return cmd
}

// setPair applies one key=value argument to params.
func setPair(params map[string]any, kv string) error {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return usagef("call: expected key=value, got %q", kv)
	}
	path := strings.Split(key, ".")
	for _, p := range path {
		if p == "" {
			return usagef("call: %q: empty part in the key", key)
		}
	}
	var v any = val
	if strings.TrimSpace(val) != "" {
		if j, err := clikit.ParseJSON(val); err == nil {
			v = j
		}
	}
	node := params
	for i, p := range path[:len(path)-1] {
		switch next := node[p].(type) {
		case map[string]any:
			node = next
		case nil:
			m := map[string]any{}
			node[p] = m
			node = m
		default:
			return usagef("call: %q: %s is already set to a value, not an object", key, strings.Join(path[:i+1], "."))
		}
	}
	node[path[len(path)-1]] = v
	return nil
}

func validMethod(m string) bool {
	for _, c := range m {
		if !(c == '.' || c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return m != ""
}
