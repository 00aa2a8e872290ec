package spec

import (
	"cmp"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Source is one spec folder: its files, and the name errors give it (a path, or "b24gen:spec" for
// the embedded official spec).
type Source struct {
	FS   fs.FS
	Name string
}

// source is a Source being loaded.
type source struct {
	fsys  fs.FS
	name  string                  // the folder as errors name it
	join  func(rel string) string // a file's path as errors show it
	index int                     // its place in the list: later sources overlay earlier ones
}

// Load reads the spec tree rooted at dir (see spec/README.md). On any problem it returns a nil
// Spec and an ErrorList with every problem found, sorted by file, line and column; positions
// use dir joined with the file's path, so they are clickable from where Load was called.
//
// Names starting with "." (editor and VCS files) are skipped everywhere. A namespace folder may
// be a symbolic link.
func Load(dir string) (*Spec, error) {
	return load([]*source{{
		fsys: os.DirFS(dir),
		name: dir,
		join: func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) },
	}})
}

// LoadSources loads the sources in order: a later one adds methods, structures, helpers and
// compound words, and overlays methods of earlier ones (a method file with "overlay: true", see
// spec/README.md). Errors name a file as the source's Name, "/" and the file's path inside it.
func LoadSources(srcs ...Source) (*Spec, error) {
	list := make([]*source, len(srcs))
	for i, s := range srcs {
		name := s.Name
		list[i] = &source{fsys: s.FS, name: cmp.Or(name, "."), index: i, join: func(rel string) string {
			if name == "" {
				return rel
			}
			return strings.TrimSuffix(name, "/") + "/" + rel
		}}
	}
	return load(list)
}

func load(srcs []*source) (*Spec, error) {
	var errs ErrorList
	var files []*file
	var nsNames []string
	for _, src := range srcs {
		fl, ns := walk(src, &errs)
		files = append(files, fl...)
		for _, n := range ns {
			if !slices.Contains(nsNames, n) {
				nsNames = append(nsNames, n)
			}
		}
	}
	slices.Sort(nsNames)

	// Files are independent until the overlays and the cross checks, so they are read and decoded
	// in parallel; each result lands at its own index, which keeps the outcome deterministic.
	// A method file waits for its overlays only if a later source has a file of its name (an
	// overlay is named after its method); any other file is parsed at once, as every file of a
	// single folder is, so that its YAML nodes need not wait for the rest.
	last := map[string]int{} // lower-case file name → the last source with such a file
	for _, f := range files {
		last[strings.ToLower(path.Base(f.rel))] = f.source
	}
	docs := make([]*parsed, len(files))
	parallel(len(files), func(i int) {
		f := files[i]
		src, err := fs.ReadFile(f.fsys, f.rel)
		if err != nil {
			f.errs.add(Pos{File: f.path}, "cannot read: %v", renamed(err, f.rel, f.path))
			docs[i] = &parsed{f: f}
			return
		}
		f.src = src
		p := decodeSafely(f)
		if p.root != nil {
			p.name, p.nameNode, p.ov = peekMethod(p.root)
			if p.ov == nil && (p.name == "" || last[strings.ToLower(p.name)+".yaml"] <= f.source) {
				p.early = true
				parseMethodSafely(p)
			}
		}
		docs[i] = p
	})

	units := overlay(docs)
	parallel(len(units), func(i int) { parseMethodSafely(units[i]) })

	// the results in file order: every file but the overlays merged into an earlier method
	var results []*parsed
	for _, p := range docs {
		if p.merged {
			errs = append(errs, p.f.errs...)
			errs = append(errs, p.late...)
			continue
		}
		results = append(results, p)
	}
	spec := crossCheck(results, nsNames, &errs)
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return spec, nil
}

// parallel runs do(0) ... do(n-1) on as many goroutines as there are processors.
func parallel(n int, do func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// walk lists the files of one source to decode, sorted by path, and its namespace folders.
func walk(src *source, errs *ErrorList) ([]*file, []string) {
	if src.fsys == nil {
		errs.add(Pos{File: src.name}, "cannot read the spec folder: no file system given")
		return nil, nil
	}
	entries, err := readDir(src.fsys, ".")
	if err != nil {
		errs.add(Pos{File: src.name}, "cannot read the spec folder: %v", renamed(err, ".", src.name))
		return nil, nil
	}
	var files []*file
	var namespaces []string
	newFile := func(rel, ns string) *file {
		f := &file{path: src.join(rel), rel: rel, ns: ns, fsys: src.fsys, source: src.index}
		if src.index > 0 {
			f.folder = src.name
		}
		return f
	}
	for _, e := range entries {
		name := e.Name()
		full := src.join(name)
		if strings.HasPrefix(name, ".") {
			continue
		}
		if !isDir(src.fsys, name, e) {
			if name == WordsFile {
				files = append(files, newFile(name, ""))
				continue
			}
			if ext := strings.ToLower(path.Ext(name)); ext == ".yaml" || ext == ".yml" {
				errs.add(Pos{File: full}, "a YAML file at the root of the spec: method files go in <namespace>/<method>.yaml")
			}
			continue // README.md and the like
		}
		if name == EventsDir {
			files = append(files, eventFiles(src, newFile, errs)...)
			continue
		}
		if !reNamespace.MatchString(name) {
			errs.add(Pos{File: full}, "invalid namespace folder %q: %s", name, ruleNamespace)
			continue
		}
		inner, err := readDir(src.fsys, name)
		if err != nil {
			errs.add(Pos{File: full}, "cannot read the namespace folder: %v", renamed(err, name, full))
			continue
		}
		namespaces = append(namespaces, name)
		for _, ie := range inner {
			iname := ie.Name()
			irel := path.Join(name, iname)
			ifull := src.join(irel)
			switch {
			case strings.HasPrefix(iname, "."):
			case isDir(src.fsys, irel, ie):
				errs.add(Pos{File: ifull}, "a folder inside namespace %q: a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml", name)
			case iname == typesFile || iname == helpersFile ||
				(strings.HasSuffix(iname, ".yaml") && !strings.HasPrefix(iname, "_") && len(iname) > len(".yaml")):
				files = append(files, newFile(irel, name))
			default:
				errs.add(Pos{File: ifull}, "unexpected file %q: a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml", iname)
			}
		}
	}
	return files, namespaces
}

// eventFiles lists the files of the events folder: <event>.yaml only.
func eventFiles(src *source, newFile func(rel, ns string) *file, errs *ErrorList) []*file {
	entries, err := readDir(src.fsys, EventsDir)
	if err != nil {
		errs.add(Pos{File: src.join(EventsDir)}, "cannot read the events folder: %v", renamed(err, EventsDir, src.join(EventsDir)))
		return nil
	}
	var files []*file
	for _, e := range entries {
		rel := path.Join(EventsDir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case !isDir(src.fsys, rel, e) && strings.HasSuffix(e.Name(), ".yaml") && len(e.Name()) > len(".yaml"):
			files = append(files, newFile(rel, ""))
		default:
			errs.add(Pos{File: src.join(rel)}, "unexpected %q: the events folder holds only <event>.yaml files", e.Name())
		}
	}
	return files
}

// renamed shows a file system error about rel with the path errors show: the file system only
// knows the path inside the source.
func renamed(err error, rel, shown string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == rel {
		cp := *pe
		cp.Path = shown
		return &cp
	}
	return err
}

// readDir lists a folder sorted by name, whatever the file system's own order.
func readDir(fsys fs.FS, name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(fsys, name)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return cmp.Compare(a.Name(), b.Name()) })
	return entries, err
}

// isDir follows symbolic links, so that a linked namespace folder works like a real one.
func isDir(fsys fs.FS, rel string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink != 0 {
		st, err := fs.Stat(fsys, rel)
		return err == nil && st.IsDir()
	}
	return e.IsDir()
}

// definition is a method as the sources read so far define it.
type definition struct {
	p    *parsed // the defining file, whose root grows with each overlay
	name string
	at   Pos // its "method" value in the defining file
}

// overlay groups the method files by method, in the order of the sources, merges each overlay
// into the method it changes and returns the methods left to parse: the defining files (their
// roots merged with their overlays), and the files that cannot take part (a method defined twice,
// a method file without a name), parsed on their own so that their other problems show too.
// An overlay that was merged is marked so; one that could not be is left out with its error.
func overlay(docs []*parsed) []*parsed {
	var units []*parsed
	unit := func(p *parsed) {
		if p.root != nil && p.method == nil {
			units = append(units, p)
		}
	}
	known := map[string]*definition{} // lower-case method name → definition
	var inSource map[string]*definition
	source := -1
	for _, p := range docs {
		if p.root == nil && !p.early {
			continue // not a method file, or one that did not decode
		}
		if p.f.source != source {
			source, inSource = p.f.source, map[string]*definition{}
		}
		name, nameNode, ov := p.name, p.nameNode, p.ov
		if name == "" {
			unit(p)
			continue
		}
		key := strings.ToLower(name)
		if strings.HasSuffix(path.Base(p.f.rel), TwinSuffix+".yaml") {
			key += TwinSuffix // the 3.0 twin of a 2.0 name is another method
		}
		at := p.f.pos(nameNode)
		if prev := inSource[key]; prev != nil {
			p.late.add(at, "method %q is defined twice (Bitrix24 method names are case-insensitive): also %q at %s", name, prev.name, prev.at)
			unit(p)
			continue
		}
		base := known[key]
		switch {
		case ov != nil && base == nil:
			p.merged = true // nothing to merge into: the error is all there is to say
			p.late.add(p.f.pos(ov), "\"overlay: true\" but no earlier folder defines method %s", name)
		case ov != nil && base.name != name:
			p.merged = true
			p.late.add(at, "method %q is spelled %q at %s: an overlay spells the name as the earlier folder does", name, base.name, base.at)
		case ov != nil && base.p.early:
			// parsed already: no file of this source is named after the method
			p.merged = true
			p.late.add(at, "method %q must be in a file named after it: %s.yaml, not %s", name, name, path.Base(p.f.rel))
		case ov != nil:
			p.merged = true
			inSource[key] = base
			base.p.merge(p)
		case base != nil:
			p.late.add(at, "method %q is defined twice: also at %s; to change the earlier definition, mark this file \"overlay: true\"", name, base.at)
			unit(p)
		default:
			d := &definition{p: p, name: name, at: at}
			known[key], inSource[key] = d, d
			unit(p)
		}
	}
	return units
}

// peekMethod finds what a method file names before it is parsed: its method and, when it says
// "overlay: true", that value.
func peekMethod(root *yaml.Node) (name string, nameNode, overlay *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		return "", nil, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			continue
		}
		switch {
		case k.Value == "method" && nameNode == nil && v.ShortTag() == "!!str" && v.Value != "":
			name, nameNode = v.Value, v
		case k.Value == "overlay" && overlay == nil && v.ShortTag() == "!!bool" && strings.EqualFold(v.Value, "true"):
			overlay = v
		}
	}
	return name, nameNode, overlay
}

// merge lays the overlay file o over the method p: o's keys replace p's, but for "params",
// which merge by name. Every node of o is recorded as o's, so that problems found in the merged
// method point into the file that wrote them.
func (p *parsed) merge(o *parsed) {
	f := p.f
	p.folder = o.f.folder
	if f.origin == nil {
		f.origin = map[*yaml.Node]*file{}
	}
	var mark func(n *yaml.Node)
	mark = func(n *yaml.Node) {
		f.origin[n] = o.f
		for _, c := range n.Content {
			mark(c)
		}
	}
	mark(o.root)
	if k, _ := (&fields{pairs: o.root.Content}).lookup("spec"); k == nil {
		f.errf(o.root, "missing key %q in method file", "spec")
	}
	p.root = f.mergeMapping(p.root, o.root, true)
}

// derived is a new node standing for n in a merged method: it belongs to n's file.
func (f *file) derived(n *yaml.Node, content []*yaml.Node) *yaml.Node {
	d := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Style: n.Style, Line: n.Line, Column: n.Column, Content: content}
	if g := f.origin[n]; g != nil {
		f.origin[d] = g
	}
	return d
}

// mergeMapping returns base with the keys of over: a key of both takes over's key and value, in
// base's place; a key of over only is added at the end. A key over repeats is added again, for
// the parser to report. With top set, "params" lists of both merge by name.
func (f *file) mergeMapping(base, over *yaml.Node, top bool) *yaml.Node {
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return over
	}
	out := f.derived(base, slices.Clone(base.Content))
	done := map[string]bool{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		j := -1
		if k.Kind == yaml.ScalarNode && !done[k.Value] {
			done[k.Value] = true
			for x := 0; x+1 < len(out.Content); x += 2 {
				if bk := out.Content[x]; bk.Kind == yaml.ScalarNode && bk.Value == k.Value {
					j = x
					break
				}
			}
		}
		if j < 0 {
			out.Content = append(out.Content, k, v)
			continue
		}
		if top && k.Value == "params" {
			v = f.mergeParams(out.Content[j+1], v)
		}
		out.Content[j], out.Content[j+1] = k, v
	}
	return out
}

// mergeParams merges the params of an overlay into the base's by wire name: a param of both is
// merged key by key, a new one is added at the end. A name that differs from a base param's only
// in case, "_" and "-" would change a wire name without saying so, and is an error.
func (f *file) mergeParams(base, over *yaml.Node) *yaml.Node {
	if base.Kind != yaml.SequenceNode || over.Kind != yaml.SequenceNode {
		return over
	}
	out := f.derived(base, slices.Clone(base.Content))
	exact := map[string]int{}
	loose := map[string]int{}
	for i, it := range base.Content {
		if name, _ := paramName(it); name != "" {
			if _, ok := exact[name]; !ok {
				exact[name] = i
			}
			if _, ok := loose[looseName(name)]; !ok {
				loose[looseName(name)] = i
			}
		}
	}
	done := map[string]bool{}
	for _, it := range over.Content {
		name, nameNode := paramName(it)
		if name == "" || done[name] {
			out.Content = append(out.Content, it) // for the parser to report
			continue
		}
		done[name] = true
		if i, ok := exact[name]; ok {
			out.Content[i] = f.mergeMapping(out.Content[i], it, false)
			continue
		}
		if i, ok := loose[looseName(name)]; ok {
			b := base.Content[i]
			baseName, _ := paramName(b)
			f.errf(nameNode, "param %q would change the wire name %s of %s: write the name as the base spells it", name, baseName, f.pos(b))
			continue
		}
		out.Content = append(out.Content, it)
	}
	return out
}

// paramName is the "name" of a param mapping, "" when it has none that is a string.
func paramName(n *yaml.Node) (string, *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return "", nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Kind == yaml.ScalarNode && k.Value == "name" {
			if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "" {
				return v.Value, v
			}
			return "", nil
		}
	}
	return "", nil
}

// looseName is a wire name with case, "_" and "-" ignored: DIALOG_ID and dialogId meet there.
func looseName(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// crossCheck assembles the Spec and runs the checks that need more than one file: structure
// references, structures defined by two sources, compounds split two ways and OPI names used
// twice. results are in source and path order, so the first of two clashing definitions is the
// one earlier and the error goes to the later.
func crossCheck(results []*parsed, nsNames []string, errs *ErrorList) *Spec {
	byNS := map[string]*Namespace{}
	spec := &Spec{}
	for _, name := range nsNames {
		ns := &Namespace{Name: name}
		byNS[name] = ns
	}
	type structAt struct {
		pos    Pos
		source int
	}
	structs := map[string]map[string]structAt{} // namespace → structure names
	wordsAt := map[string]Pos{}
	events := map[string]*Event{} // lower-case wire name → the event
	results = slices.DeleteFunc(slices.Clone(results), func(r *parsed) bool {
		if path.Dir(r.f.rel) == EventsDir {
			*errs = append(*errs, r.f.errs...)
			for _, ref := range r.refs {
				errs.add(ref.pos, "an event's data cannot name a structure (%s): write its fields", ref.name)
			}
			if e := r.event; e != nil && e.Wire != "" {
				if prev := events[strings.ToLower(e.Wire)]; prev != nil {
					errs.add(e.Pos, "event %s is defined twice: also at %s", e.Wire, prev.Pos)
				} else {
					events[strings.ToLower(e.Wire)] = e
					spec.Events = append(spec.Events, e)
				}
			}
			return true
		}
		if r.f.rel != WordsFile {
			return false
		}
		*errs = append(*errs, r.f.errs...)
		*errs = append(*errs, r.late...)
		if spec.Compounds == nil {
			spec.Compounds = r.words
			for name := range r.words {
				wordsAt[name] = r.wordsAt[name]
			}
			return true
		}
		for _, name := range slices.Sorted(maps.Keys(r.words)) {
			words := r.words[name]
			if prev, ok := spec.Compounds[name]; ok {
				if !slices.Equal(prev, words) {
					errs.add(r.wordsAt[name], "compound %q is split as %q here but as %q at %s: a later folder cannot split it otherwise", name, strings.Join(words, " "), strings.Join(prev, " "), wordsAt[name])
				}
				continue
			}
			spec.Compounds[name] = words
			wordsAt[name] = r.wordsAt[name]
		}
		return true
	})
	slices.SortFunc(spec.Events, func(a, b *Event) int { return cmp.Compare(strings.ToLower(a.Wire), strings.ToLower(b.Wire)) })
	for _, r := range results {
		ns := byNS[r.f.ns]
		ns.Types = append(ns.Types, r.types...)
		if structs[r.f.ns] == nil {
			structs[r.f.ns] = map[string]structAt{}
		}
		for _, s := range r.types {
			prev, ok := structs[r.f.ns][s.Name]
			switch {
			case !ok:
				structs[r.f.ns][s.Name] = structAt{pos: s.Pos, source: r.f.source}
			case prev.source != r.f.source && s.Name != "":
				errs.add(s.Pos, "type %q is defined twice: also at %s (a later folder cannot change a structure: give this one another name)", s.Name, prev.pos)
			}
		}
	}

	names := map[string]opiName{}
	for _, r := range results {
		*errs = append(*errs, r.f.errs...)
		*errs = append(*errs, r.late...)
		ns := byNS[r.f.ns]
		if m := r.method; m != nil {
			ns.Methods = append(ns.Methods, m)
		}
		ns.Helpers = append(ns.Helpers, r.helpers...)
		for _, ref := range r.refs {
			if _, ok := structs[r.f.ns][ref.name]; ok {
				continue
			}
			if ref.what == "helper result" {
				errs.add(ref.pos, "helper result %q is not a structure of %s/%s", ref.name, r.f.ns, typesFile)
			} else {
				errs.add(ref.pos, "unknown type %q: no structure %s in %s/%s", ref.name, ref.name, r.f.ns, typesFile)
			}
		}
		for _, n := range r.names {
			key := strings.ToLower(n.name)
			prev, ok := names[key]
			switch {
			case !ok:
				names[key] = n
			case prev.owner != n.owner:
				errs.add(n.pos, "OPI name %q is used twice (OPI names are case-insensitive): also %q at %s", n.name, prev.name, prev.pos)
			}
		}
	}

	for _, name := range nsNames {
		ns := byNS[name]
		if len(ns.Methods)+len(ns.Types)+len(ns.Helpers) == 0 {
			continue // an empty folder contributes nothing
		}
		slices.SortStableFunc(ns.Methods, func(a, b *Method) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(ns.Types, func(a, b *Struct) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(ns.Helpers, func(a, b *Helper) int { return cmp.Compare(a.EN, b.EN) })
		spec.Namespaces = append(spec.Namespaces, ns)
	}
	return spec
}

// decodeSafely decodes one file (see decodeFile), turning a panic inside the YAML library into
// an error of that file, so that one odd file cannot take the generator down without saying
// which file it was.
func decodeSafely(f *file) (p *parsed) {
	defer func() {
		if r := recover(); r != nil {
			f.errs.add(Pos{File: f.path, Line: 1, Col: 1}, "cannot decode this file (YAML library failure: %v)", r)
			p = &parsed{f: f}
		}
	}()
	return decodeFile(f)
}

// parseMethodSafely parses a method decoded (and merged) before, as decodeSafely does.
func parseMethodSafely(p *parsed) {
	defer func() {
		if r := recover(); r != nil {
			p.f.errs.add(Pos{File: p.f.path, Line: 1, Col: 1}, "cannot decode this file (YAML library failure: %v)", r)
			p.method, p.root = nil, nil
		}
	}()
	p.parseMethod(p.root)
	p.root = nil // done with: its nodes can go
}
