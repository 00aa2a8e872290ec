package command

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/b24gen/b24gen/clikit"
)

// textValue keeps an option's text for clikit to parse after cobra is done, so that every value
// error has the same form; Type shows the spec type in help (--chat dialog_id).
type textValue struct {
	typ  string
	text string
	set  bool
}

func (v *textValue) String() string { return v.text }
func (v *textValue) Type() string   { return v.typ }

// Set refuses a second, different value rather than keep only the last: the first would be lost
// unseen. (The same value again loses nothing; completion parses the flags twice.)
func (v *textValue) Set(s string) error {
	if v.set && s != v.text {
		if strings.HasPrefix(v.typ, "[]") {
			return usagef("given twice; a list goes in one option, as a JSON array like \"['a','b']\"")
		}
		return usagef("given twice")
	}
	v.text, v.set = s, true
	return nil
}

// options collects the option values as clikit wants them: flag → text, only the options given.
type options map[string]*textValue

func (o options) add(fs *pflag.FlagSet, flag, typ, usage string, required bool) {
	if usage == "" {
		usage = clikit.Describe(typ)
	}
	if required {
		usage += " (required)"
	}
	v := &textValue{typ: typ}
	o[flag] = v
	fs.Var(v, flag, usage)
}

func (o options) given() map[string]string {
	m := map[string]string{}
	for k, v := range o {
		if v.set {
			m[k] = v.text
		}
	}
	return m
}

// noArgs: options are written --name value; a bare word is a mistake worth naming.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q: options are written --name value (see 'b24 %s --help')", args[0], strings.TrimPrefix(cmd.CommandPath(), "b24 "))
	}
	return nil
}

// methodLong is the text above the flags in `b24 <method> --help`: the summaries (EN, then RU; many
// imported methods have none), the deprecation, and the facts of the method.
func methodLong(m *clikit.Method) string {
	var b strings.Builder
	for _, s := range []string{m.SummaryEN, m.SummaryRU} {
		if s = oneLine(s); s != "" {
			b.WriteString(s + "\n")
		}
	}
	if b.Len() == 0 {
		b.WriteString(m.Name + "\n")
	}
	b.WriteString("\n")
	if m.Deprecated {
		b.WriteString("DEPRECATED: " + deprecation(m) + ".\n")
	}
	if m.Kind != "" {
		b.WriteString("Kind: " + m.Kind + "\n")
	}
	if m.Positional && len(m.Params) > 0 {
		flags := make([]string, len(m.Params))
		for i, p := range m.Params {
			flags[i] = "--" + p.Flag
		}
		b.WriteString("Sent as a JSON array, in this order: " + strings.Join(flags, ", ") + "\n")
	}
	for _, p := range m.Params {
		if len(p.Keys) > 0 {
			b.WriteString(fold(objectKeys(p), 100))
		}
	}
	if m.Docs != "" {
		b.WriteString("Docs: " + m.Docs + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// objectKeys is the help line that names the keys an object option documents.
func objectKeys(p clikit.Param) string {
	s := "Keys of --" + p.Flag + ": " + strings.Join(p.Keys, ", ")
	if slices.ContainsFunc(p.Keys, func(k string) bool { return strings.HasSuffix(k, "*") }) {
		s += " (* required)"
	}
	switch p.Free {
	case clikit.FreeUF:
		s += "; also user fields UF_*"
	case clikit.FreeAny:
		s += "; other keys are passed as they are"
	}
	return s + "."
}

// fold breaks s at spaces into lines of at most width characters, the next ones indented.
func fold(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(s) {
		switch {
		case i == 0:
		case line+1+len([]rune(w)) > width:
			b.WriteString("\n  ")
			line = 2
		default:
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len([]rune(w))
	}
	return b.String() + "\n"
}

// methodCommand builds the command of one method, flags typed by the spec.
func (r *runner) methodCommand(m *clikit.Method) *cobra.Command {
	long := methodLong(m)
	opts := options{}
	var all, resumable bool
	var after int64
	var cursor string
	cmd := &cobra.Command{
		Use:   m.Name,
		Short: m.SummaryEN,
		Long:  long,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := r.parser()
			if err != nil {
				return &runError{err}
			}
			params, err := p.MethodParams(m, opts.given())
			if err != nil {
				return &runError{err}
			}
			r.warnDeprecated(m)
			if all {
				return wrap(r.export(m, params, after, cursor))
			}
			for _, f := range []string{"after", "after-cursor"} {
				if resumable && cmd.Flags().Changed(f) {
					return usagef("--%s goes with --all (see 'b24 %s --help')", f, m.Name)
				}
			}
			return wrap(r.call(m.WireName(), params, kindOpts(m)...))
		},
	}
	if m.List != nil {
		pace := "up to 2,500 a request"
		if m.List.API3 {
			pace = fmt.Sprintf("%d a request", m.List.PageSize())
		}
		cmd.Flags().BoolVar(&all, "all", false, "every row, "+pace+", one JSON object a line (progress on stderr when it is a terminal)")
		// a method's own option of that name wins
		own := func(name string) bool {
			return slices.ContainsFunc(m.Params, func(p clikit.Param) bool { return p.Flag == name })
		}
		switch {
		case m.List.Cursor != "" && !own("after-cursor"):
			resumable = true
			cmd.Flags().StringVar(&cursor, "after-cursor", "", "with --all: start from this cursor, as JSON (to resume an export that stopped)")
		case m.List.Cursor == "" && m.List.ID != "" && !own("after"):
			resumable = true
			cmd.Flags().Int64Var(&after, "after", 0, "with --all: start after the row with this ID (to resume an export that stopped)")
		}
	}
	cmd.Flags().SortFlags = false
	for _, prm := range m.Params {
		usage := prm.Usage
		if len(prm.Enum) > 0 {
			usage = strings.TrimSpace(usage + " (one of " + strings.Join(prm.Enum, ", ") + ")")
		}
		if prm.Names {
			usage = strings.TrimSpace(usage + " (field names: ID,TITLE or ['ID','TITLE'])")
		}
		if prm.Documented {
			if usage == "" {
				usage = clikit.Describe(prm.Type)
			}
			usage += " (required by the docs; sent without it, the portal answers)"
		}
		opts.add(cmd.Flags(), prm.Flag, prm.Type, usage, prm.Required)
	}
	return cmd
}

func deprecation(m *clikit.Method) string {
	if m.Successor != "" {
		return fmt.Sprintf("%s is deprecated; use %s instead", m.Name, m.Successor)
	}
	return m.Name + " is deprecated"
}

func wrap(err error) error {
	if err == nil {
		return nil
	}
	return &runError{err}
}

// opiCommand builds the command of one OpenIntegrations function with OPI's option names.
func (r *runner) opiCommand(f *clikit.OPIFunc) *cobra.Command {
	long := f.EN + " / " + f.RU
	if len(f.Aliases) > 0 {
		long += " (also " + strings.Join(f.Aliases, ", ") + ")"
	}
	if about, ok := builtinAbout[f.EN]; ok {
		long += "\n" + about.help
	} else if f.Method != "" {
		long += "\nCalls " + f.Method + ". Structures are JSON (single quotes allowed) or a path to a .json file;\n" +
			"arrays are ['a','b'] or one value; files are a local path or an http(s) URL; booleans true or false."
	} else {
		long += "\nA helper: prints the structure it builds, sends nothing."
	}
	opts := options{}
	cmd := &cobra.Command{
		Use:     f.EN,
		Aliases: append([]string{f.RU}, f.Aliases...),
		Short:   long,
		Long:    long,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := r.parser()
			if err != nil {
				return &runError{err}
			}
			if builtinRuns[f.EN] != nil {
				return wrap(r.runBuiltin(f, opts.given()))
			}
			if f.Method == "" {
				out, err := p.Helper(f, opts.given())
				if err != nil {
					return &runError{err}
				}
				pr, err := r.printer()
				if err != nil {
					return &runError{err}
				}
				return wrap(r.printAnswer(pr, "", out, false, nil))
			}
			if f.Uploads() {
				return wrap(r.opiUpload(f, opts.given()))
			}
			params, err := p.OPIParams(f, opts.given())
			if err != nil {
				return &runError{err}
			}
			return wrap(r.call(f.Method, params, r.lookupKind(f.Method)...))
		},
	}
	cmd.Flags().SortFlags = false
	for _, o := range f.Options {
		typ, usage := o.Type, o.Usage
		if o.Spread {
			typ = clikit.Object
			switch {
			case usage != "":
			case o.Keys != nil:
				usage = "a JSON object; its keys " + strings.Join(o.Keys, ", ") + " go to the top level of the request, others are ignored"
			default:
				usage = "a JSON object whose keys go to the top level of the request"
			}
		}
		if usage == "" && (o.Invert || o.Default != "") {
			usage = clikit.Describe(typ)
		}
		if o.Invert {
			usage += "; true sends " + o.Wire + " false"
		}
		if o.Default != "" {
			usage += " (default " + o.Default + ")"
		}
		opts.add(cmd.Flags(), o.Flag, typ, usage, o.Required)
	}
	return cmd
}
