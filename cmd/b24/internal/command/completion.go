package command

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/b24gen/b24gen/clikit"
)

const completionLong = `Prints the script that lets bash, zsh, fish or PowerShell complete b24: commands, namespaces and
methods (crm.deal.<TAB>), the flags of a method and their values, OpenIntegrations functions by
their English and Russian names (b24 bitrix24 Получить<TAB>), and profile names (--profile,
b24 auth use).

  bash         source <(b24 completion bash)                          this shell
               b24 completion bash > ~/.local/share/bash-completion/completions/b24
                                                                      every new shell (needs bash-completion)
  zsh          b24 completion zsh > "${fpath[1]}/_b24"                 then start a new shell (needs compinit)
  fish         b24 completion fish > ~/.config/fish/completions/b24.fish
  powershell   b24 completion powershell | Out-String | Invoke-Expression
                                                                      add the line to $PROFILE to keep it

The scripts ask b24 itself (b24 __complete <words>), so they follow the methods of the installed b24.`

var shells = []string{"bash", "zsh", "fish", "powershell"}

func (r *runner) completionCommand() *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:       "completion bash|zsh|fish|powershell",
		Short:     "print the shell completion script",
		Long:      completionLong,
		ValidArgs: shells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(shells, args[0]) {
				return usagef("completion: name one shell: bash, zsh, fish or powershell (see 'b24 completion --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), r.env.Stdout
			var err error
			switch args[0] {
			case "bash":
				err = root.GenBashCompletionV2(w, !noDesc)
			case "zsh":
				if noDesc {
					err = root.GenZshCompletionNoDesc(w)
				} else {
					err = root.GenZshCompletion(w)
				}
			case "fish":
				err = root.GenFishCompletion(w, !noDesc)
			case "powershell":
				if noDesc {
					err = root.GenPowerShellCompletion(w)
				} else {
					err = root.GenPowerShellCompletionWithDesc(w)
				}
			}
			return wrap(err)
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "complete the words without their descriptions")
	return cmd
}

// builtinWords are the commands of b24 itself, offered with the methods.
var builtinWords = []struct{ name, desc string }{
	{"auth", "log in to portals under a name and switch between them"},
	{"batch", "run up to 50 commands in one request"},
	{"bitrix24", "an OpenIntegrations function by its EN or RU name"},
	{"call", "call any REST method"},
	{"completion", "print the shell completion script"},
	{"download", "save a file by its DOWNLOAD_URL or urlMachine"},
	{"help", "help about a command, method or namespace"},
	{"listen", "print the portal's events as they come"},
	{"mcp", "serve the methods to an AI assistant (Model Context Protocol)"},
	{"upload", "upload a file to Drive, streamed"},
}

// complete answers cobra's hidden completion request: the shell scripts run
// `b24 __complete <words...> <word being typed>` and read candidates, one a line ("word\tdescription"),
// and a last line ":<directive>". Like run(), it builds only the command the words name: the method
// words themselves come from the stubs, so completing one among 1,600 builds no command at all.
func (r *runner) complete(req string, args []string) int {
	var words []string // copied: completionTree respells the command word
	toComplete := ""
	if len(args) > 0 {
		words, toComplete = append(words, args[:len(args)-1]...), args[len(args)-1]
	}
	root := r.root()
	root.ValidArgsFunction = noCompletions
	pending := pendingFlag(words, toComplete)
	if len(pending) == 1 { // -o
		if f := root.PersistentFlags().ShorthandLookup(pending); f != nil {
			pending = f.Name
		}
	}
	switch pending {
	case "profile":
		root.RegisterFlagCompletionFunc("profile", r.completeProfileArg)
	case "output":
		completeFlagValues(root, pending, map[string][]string{"output": {formatJSON, formatJSONL, formatTable, formatCSV}})
	}
	if i := commandIndex(words); i < 0 {
		root.ValidArgsFunction = r.completeCommandWord
	} else {
		r.completionTree(root, words, i, pending)
	}
	root.SetArgs(append(append([]string{req}, words...), toComplete))
	root.SetContext(r.ctx)
	if err := root.Execute(); err != nil {
		return r.fail(&usageError{err.Error()})
	}
	return ExitOK
}

// completionTree adds to root the one command words[i] names, spelled as cobra will find it.
func (r *runner) completionTree(root *cobra.Command, words []string, i int, pending string) {
	name := words[i]
	switch name {
	case "help":
		// root has no subcommand here, so cobra hands it every word: "help" and the one typed.
		root.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) != 1 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return r.completeCommandWord(cmd, nil, toComplete)
		}
	case "auth":
		auth := r.authCommand()
		for _, c := range auth.Commands() {
			if c.ValidArgsFunction == nil {
				c.ValidArgsFunction = noCompletions
			}
		}
		root.AddCommand(auth)
	case "completion":
		root.AddCommand(r.completionCommand())
	case "mcp":
		cmd := r.mcpCommand()
		cmd.ValidArgsFunction = noCompletions
		completeFlagValues(cmd, pending, map[string][]string{"tools": {mcpToolsSearch, mcpToolsAll}})
		root.AddCommand(cmd)
	case "batch":
		cmd := r.batchCommand()
		cmd.ValidArgsFunction = noCompletions
		root.AddCommand(cmd)
	case "call":
		cmd := r.callCommand()
		cmd.ValidArgsFunction = r.completeCallArgs
		root.AddCommand(cmd)
	case "bitrix24":
		b := &cobra.Command{Use: "bitrix24", Run: func(*cobra.Command, []string) {}}
		root.AddCommand(b)
		j := commandIndex(words[i+1:])
		if j < 0 {
			b.ValidArgsFunction = r.completeOPI
			return
		}
		b.ValidArgsFunction = noCompletions
		f, ok := r.env.Catalog.findOPI(words[i+1+j])
		if !ok {
			return
		}
		words[i+1+j] = f.EN
		cmd := r.opiCommand(f)
		cmd.ValidArgsFunction = completeFlagNames
		values := map[string][]string{}
		for _, o := range f.Options {
			if c := clikit.Choices(o.Type); c != nil {
				values[o.Flag] = c
			}
		}
		completeFlagValues(cmd, pending, values)
		b.AddCommand(cmd)
	default:
		stub, ok := r.env.Catalog.findStub(name)
		if !ok {
			return // a namespace or a typo: nothing to offer
		}
		m, ok := r.env.Catalog.method(stub)
		if !ok {
			return
		}
		words[i] = m.Name
		cmd := r.methodCommand(m)
		cmd.ValidArgsFunction = completeFlagNames
		completeFlagValues(cmd, pending, paramValues(m))
		root.AddCommand(cmd)
	}
}

func noCompletions(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// pendingFlag is the flag whose value is being typed ("--type <TAB>", "--type=O<TAB>", "-o <TAB>"):
// its name, or its shorthand letter; "" if none.
func pendingFlag(words []string, toComplete string) string {
	if strings.HasPrefix(toComplete, "--") && strings.Contains(toComplete, "=") {
		name, _, _ := strings.Cut(toComplete[2:], "=")
		return name
	}
	n := len(words)
	switch {
	case n == 0 || strings.Contains(words[n-1], "="):
	case strings.HasPrefix(words[n-1], "--"):
		return words[n-1][2:]
	case len(words[n-1]) == 2 && words[n-1][0] == '-':
		return words[n-1][1:]
	}
	return ""
}

// completeFlagValues offers the values of the flag being typed, when they are a closed set.
// Only that flag gets a completion function: cobra keeps them in a process-wide map.
func completeFlagValues(cmd *cobra.Command, pending string, values map[string][]string) {
	vs, ok := values[pending]
	if !ok || cmd.Flag(pending) == nil {
		return
	}
	cmd.RegisterFlagCompletionFunc(pending, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range vs {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// paramValues are the closed sets of a method's options: enums and booleans.
func paramValues(m *clikit.Method) map[string][]string {
	values := map[string][]string{}
	for _, p := range m.Params {
		switch {
		case len(p.Enum) > 0:
			values[p.Flag] = p.Enum
		case clikit.Choices(p.Type) != nil:
			values[p.Flag] = clikit.Choices(p.Type)
		}
	}
	return values
}

// completeFlagNames: a method takes options only, so after it (and after each option's value) the
// next word is one of its options not given yet.
func completeFlagNames(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Changed || f.Name == "help" {
			return
		}
		if name := "--" + f.Name; strings.HasPrefix(name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(name, f.Usage))
		}
	})
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeCommandWord offers b24's commands and the methods: the next part of a method name at a
// time (crm. → crm.deal., crm.lead., ...; crm.deal. → crm.deal.add, ...), so that a list stays
// short. A part that holds a single method is that method.
func (r *runner) completeCommandWord(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	if !strings.Contains(toComplete, ".") {
		for _, b := range builtinWords {
			if strings.HasPrefix(b.name, toComplete) {
				out = append(out, cobra.CompletionWithDesc(b.name, b.desc))
			}
		}
	}
	methods, dir := methodWords(r.env.Catalog.stubs(), toComplete)
	return append(out, methods...), dir
}

// methodWords are the method candidates of a prefix (see completeCommandWord).
func methodWords(stubs []clikit.Stub, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
	type part struct {
		name  string // the part, ending in '.'
		n     int    // methods under it
		first clikit.Stub
	}
	byName := map[string]*part{}
	var out []cobra.Completion
	var list []any // methods and parts in stub order
	for _, s := range stubs {
		if !strings.HasPrefix(s.Name, prefix) {
			continue
		}
		k := strings.IndexByte(s.Name[len(prefix):], '.')
		if k < 0 {
			list = append(list, s)
			continue
		}
		name := s.Name[:len(prefix)+k+1]
		p := byName[name]
		if p == nil {
			p = &part{name: name, first: s}
			byName[name] = p
			list = append(list, p)
		}
		p.n++
	}
	dir := cobra.ShellCompDirectiveNoFileComp
	for _, x := range list {
		switch x := x.(type) {
		case clikit.Stub:
			out = append(out, cobra.CompletionWithDesc(x.Name, oneLine(x.Summary)))
		case *part:
			if x.n == 1 {
				out = append(out, cobra.CompletionWithDesc(x.first.Name, oneLine(x.first.Summary)))
				continue
			}
			out = append(out, cobra.CompletionWithDesc(x.name, fmt.Sprintf("%d methods", x.n)))
			// The shell must not end a part with a space: the user goes on typing the method.
			dir |= cobra.ShellCompDirectiveNoSpace
		}
	}
	return out, dir
}

// completeOPI offers the OpenIntegrations functions by EN and RU name (and alias), ignoring case
// as findOPI does.
func (r *runner) completeOPI(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	prefix := strings.ToLower(toComplete)
	var out []cobra.Completion
	for _, f := range r.env.Catalog.opi() {
		calls := f.Method
		if calls == "" {
			calls = "helper"
		}
		add := func(name, other string) {
			if strings.HasPrefix(strings.ToLower(name), prefix) {
				out = append(out, cobra.CompletionWithDesc(name, other+" ("+calls+")"))
			}
		}
		add(f.EN, f.RU)
		add(f.RU, f.EN)
		for _, a := range f.Aliases {
			add(a, f.EN)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeCallArgs: b24 call <method> key=value: the method, then its documented fields as "KEY=".
func (r *runner) completeCallArgs(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return methodWords(r.env.Catalog.stubs(), toComplete)
	}
	stub, ok := r.env.Catalog.findStub(args[0])
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	m, ok := r.env.Catalog.method(stub)
	if !ok || m.Positional {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, p := range m.Params {
		if w := p.Wire + "="; strings.HasPrefix(w, toComplete) {
			out = append(out, cobra.CompletionWithDesc(w, p.Usage))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeProfileArg offers the profile names (--profile, auth use, auth logout). A file it may not
// read offers none: completion has no place for the error, the next command shows it.
func (r *runner) completeProfileArg(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	st, err := r.store()
	if err != nil || len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	f, err := st.Load()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, name := range f.Names() {
		if strings.HasPrefix(name, toComplete) {
			p := f.Profiles[name]
			out = append(out, cobra.CompletionWithDesc(name, p.Kind+", "+p.Host()))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
