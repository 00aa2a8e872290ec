package main

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"sync"

	"github.com/b24gen/b24gen/generator/internal/docs"
	"github.com/b24gen/b24gen/generator/internal/golang"
	"github.com/b24gen/b24gen/generator/internal/mcp"
	"github.com/b24gen/b24gen/generator/internal/model"
	"github.com/b24gen/b24gen/generator/internal/openapi"
	"github.com/b24gen/b24gen/generator/internal/spec"
)

// Options say what one run renders.
type Options struct {
	Sources []spec.Source // the official spec, then the folders that add to it
	Root    string        // import path of the output folder
	Only    []string      // globs of methods and namespaces (crm.item.*, im); none: every method
	CLI     bool          // the CLI bindings (package cli, which imports clikit)
	Docs    bool          // the Markdown pages (paths under docs/)
}

// Render loads the spec and renders the output in memory: paths are relative to the output folder,
// slash-separated. It writes nothing.
func Render(o Options) (map[string][]byte, *model.Model, error) {
	s, err := spec.LoadSources(o.Sources...)
	if err != nil {
		return nil, nil, err
	}
	if len(o.Only) > 0 {
		if s, err = only(s, o.Only); err != nil {
			return nil, nil, err
		}
	}
	m, err := model.Build(s, o.Root)
	if err != nil {
		return nil, nil, err
	}
	out, err := renderModel(m, o)
	return out, m, err
}

// onlyError is a glob of -only that is wrong or names nothing: the user's mistake.
type onlyError struct{ msg string }

func (e *onlyError) Error() string { return e.msg }

// only keeps the methods a glob of globs names (path.Match on the wire name, or a namespace's name)
// and those the later folders define or overlay (a module's own), and the namespaces left with a
// method; a glob that names nothing is an error, as a typo would be.
func only(s *spec.Spec, globs []string) (*spec.Spec, error) {
	used := make([]bool, len(globs))
	out := &spec.Spec{Compounds: s.Compounds}
	for _, ns := range s.Namespaces {
		var methods []*spec.Method
		for _, m := range ns.Methods {
			keep := m.Folder != ""
			for i, g := range globs {
				if ok, _ := path.Match(g, m.Name); ok || g == ns.Name {
					used[i], keep = true, true
				}
			}
			if keep {
				methods = append(methods, m)
			}
		}
		if len(methods) > 0 {
			kept := *ns
			kept.Methods, kept.Helpers = methods, nil // OPI's helpers are the CLI's, not a subset's
			out.Namespaces = append(out.Namespaces, &kept)
		}
	}
	for i, g := range globs {
		if _, err := path.Match(g, ""); err != nil {
			return nil, &onlyError{fmt.Sprintf("-only %s: %v", g, err)}
		}
		if !used[i] {
			return nil, &onlyError{fmt.Sprintf("-only %s: no method or namespace of the spec matches it", g)}
		}
	}
	return out, nil
}

// renderModel runs the emitters side by side, each into its own map; the maps are merged after,
// so the result does not depend on the order they finish in.
func renderModel(m *model.Model, o Options) (map[string][]byte, error) {
	var jobs []func(golang.Files) error
	for _, ns := range m.Namespaces {
		jobs = append(jobs, func(out golang.Files) error { return golang.Client(ns, out) })
	}
	jobs = append(jobs, func(out golang.Files) error { return golang.Fixtures(m, out) })
	jobs = append(jobs, func(out golang.Files) error { return golang.Events(m, out) })
	if m.Own {
		// the conformance tests use the module's internal packages
		jobs = append(jobs, func(out golang.Files) error { return golang.Conformance(m, out) })
		// the tool catalog of b24 mcp, which only this repository's CLI serves
		jobs = append(jobs, func(out golang.Files) error { return mcp.Render(m, out) })
		// the OpenAPI document of every method (openapi/bitrix24.json and .yaml)
		jobs = append(jobs, func(out golang.Files) error { return openapi.Render(m, out) })
	}
	if o.CLI {
		jobs = append(jobs, func(out golang.Files) error { return golang.CLI(m, out, nil) })
	}
	if o.Docs {
		jobs = append(jobs, func(out golang.Files) error { return docs.Render(m, out) })
	}
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
