package main

import (
	"errors"
	"maps"
	"strings"
	"sync"

	"github.com/b24gen/b24gen/generator/internal/docs"
	"github.com/b24gen/b24gen/generator/internal/golang"
	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/spec"
)

// Render loads the spec tree and renders the whole generated tree in memory: paths are relative to
// the output folder, slash-separated. It writes nothing.
func Render(specDir string) (map[string][]byte, *model.Model, error) {
	s, err := spec.Load(specDir)
	if err != nil {
		return nil, nil, err
	}
	m, err := model.Build(s)
	if err != nil {
		return nil, nil, err
	}
	out, err := renderModel(m)
	return out, m, err
}

// renderModel runs the emitters side by side, each into its own map; the maps are merged after,
// so the result does not depend on the order they finish in.
func renderModel(m *model.Model) (map[string][]byte, error) {
	var jobs []func(golang.Files) error
	for _, ns := range m.Namespaces {
		jobs = append(jobs, func(out golang.Files) error { return golang.Client(ns, out) })
	}
	jobs = append(jobs,
		func(out golang.Files) error { return golang.CLI(m, out, nil) },
		func(out golang.Files) error { return golang.Fixtures(m, out) },
		func(out golang.Files) error { return golang.Conformance(m, out) },
		func(out golang.Files) error { return docs.Render(m, out) },
	)
	outs := make([]golang.Files, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		outs[i] = golang.Files{}
		wg.Go(func() { errs[i] = job(outs[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := map[string][]byte{}
	for _, o := range outs {
		maps.Copy(all, o)
	}
	return all, nil
}

// scope is the part of the output tree a run owns: everything, or with -only the files of one
// namespace plus the shared catalogs and indexes, which always list the whole spec.
func scope(only, pkg string) func(path string) bool {
	if only == "" {
		return func(string) bool { return true }
	}
	shared := map[string]bool{
		"cli/cli.gen.go": true, "fixtures/fixtures.gen.go": true, "conformance/conformance_gen_test.go": true,
		"docs/en/README.md": true, "docs/ru/README.md": true,
	}
	prefixes := []string{pkg + "/", "docs/en/" + only + "/", "docs/ru/" + only + "/"}
	return func(path string) bool {
		if shared[path] || path == "cli/"+pkg+".gen.go" {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(path, p) {
				return true
			}
		}
		return false
	}
}
