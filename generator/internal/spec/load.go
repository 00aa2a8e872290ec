package spec

import (
	"cmp"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Load reads the spec tree rooted at dir (see spec/README.md). On any problem it returns a nil
// Spec and an ErrorList with every problem found, sorted by file, line and column; positions
// use dir joined with the file's path, so they are clickable from where Load was called.
//
// Names starting with "." (editor and VCS files) are skipped everywhere.
func Load(dir string) (*Spec, error) {
	var errs ErrorList
	files, nsNames := walk(dir, &errs)

	// Files are independent until the cross checks, so they are read and decoded in parallel;
	// each result lands at its own index, which keeps the outcome deterministic.
	results := make([]*parsed, len(files))
	workers := min(runtime.GOMAXPROCS(0), len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := files[i]
				src, err := os.ReadFile(f.path)
				if err != nil {
					f.errs.add(Pos{File: f.path}, "cannot read: %v", err)
					results[i] = &parsed{f: f}
					continue
				}
				f.src = src
				results[i] = parseSafely(f)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	spec := crossCheck(results, nsNames, &errs)
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return spec, nil
}

// walk lists the files to decode, sorted by path, and the namespace folders.
func walk(dir string, errs *ErrorList) ([]*file, []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		errs.add(Pos{File: dir}, "cannot read the spec folder: %v", err)
		return nil, nil
	}
	var files []*file
	var namespaces []string
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(dir, name)
		if strings.HasPrefix(name, ".") {
			continue
		}
		if !isDir(full, e) {
			if name == WordsFile {
				files = append(files, &file{path: full, rel: name})
				continue
			}
			if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" {
				errs.add(Pos{File: full}, "a YAML file at the root of the spec: method files go in <namespace>/<method>.yaml")
			}
			continue // README.md and the like
		}
		if !reNamespace.MatchString(name) {
			errs.add(Pos{File: full}, "invalid namespace folder %q: %s", name, ruleNamespace)
			continue
		}
		inner, err := os.ReadDir(full)
		if err != nil {
			errs.add(Pos{File: full}, "cannot read the namespace folder: %v", err)
			continue
		}
		namespaces = append(namespaces, name)
		for _, ie := range inner {
			iname := ie.Name()
			ifull := filepath.Join(full, iname)
			switch {
			case strings.HasPrefix(iname, "."):
			case isDir(ifull, ie):
				errs.add(Pos{File: ifull}, "a folder inside namespace %q: a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml", name)
			case iname == typesFile || iname == helpersFile ||
				(strings.HasSuffix(iname, ".yaml") && !strings.HasPrefix(iname, "_") && len(iname) > len(".yaml")):
				files = append(files, &file{path: ifull, rel: path.Join(name, iname), ns: name})
			default:
				errs.add(Pos{File: ifull}, "unexpected file %q: a namespace folder holds only <method>.yaml, _types.yaml and _helpers.yaml", iname)
			}
		}
	}
	return files, namespaces
}

// isDir follows symbolic links, so that a linked namespace folder works like a real one.
func isDir(full string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink != 0 {
		st, err := os.Stat(full)
		return err == nil && st.IsDir()
	}
	return e.IsDir()
}

// crossCheck assembles the Spec and runs the checks that need more than one file: structure
// references, methods defined twice and OPI names used twice. results are in path order, so the
// first of two clashing definitions is the one earlier in the tree and the error goes to the later.
func crossCheck(results []*parsed, nsNames []string, errs *ErrorList) *Spec {
	byNS := map[string]*Namespace{}
	spec := &Spec{}
	for _, name := range nsNames {
		ns := &Namespace{Name: name}
		byNS[name] = ns
	}
	structs := map[string]map[string]bool{} // namespace → structure names
	results = slices.DeleteFunc(slices.Clone(results), func(r *parsed) bool {
		if r.f.rel != WordsFile {
			return false
		}
		*errs = append(*errs, r.f.errs...)
		spec.Compounds = r.words
		return true
	})
	for _, r := range results {
		ns := byNS[r.f.ns]
		ns.Types = append(ns.Types, r.types...)
		if structs[r.f.ns] == nil {
			structs[r.f.ns] = map[string]bool{}
		}
		for _, s := range r.types {
			structs[r.f.ns][s.Name] = true
		}
	}

	methods := map[string]*Method{}
	names := map[string]opiName{}
	for _, r := range results {
		*errs = append(*errs, r.f.errs...)
		ns := byNS[r.f.ns]
		if m := r.method; m != nil {
			ns.Methods = append(ns.Methods, m)
			if m.Name != "" {
				key := strings.ToLower(m.Name)
				if prev := methods[key]; prev != nil {
					errs.add(m.Pos, "method %q is defined twice (Bitrix24 method names are case-insensitive): also %q at %s", m.Name, prev.Name, prev.Pos)
				} else {
					methods[key] = m
				}
			}
		}
		ns.Helpers = append(ns.Helpers, r.helpers...)
		for _, ref := range r.refs {
			if structs[r.f.ns][ref.name] {
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

// parseSafely turns a panic inside the YAML library into an error of that file, so that one
// odd file cannot take the generator down without saying which file it was.
func parseSafely(f *file) (p *parsed) {
	defer func() {
		if r := recover(); r != nil {
			f.errs.add(Pos{File: f.path, Line: 1, Col: 1}, "cannot decode this file (YAML library failure: %v)", r)
			p = &parsed{f: f}
		}
	}()
	return parseFile(f)
}
