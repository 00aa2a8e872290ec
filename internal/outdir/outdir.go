// Package outdir brings a folder in line with files rendered in memory: only the files whose bytes
// differ are written and those the render did not produce are deleted, so that a run that changes
// nothing touches nothing. The generator's output folders and the docs site go through it.
package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Plan is what bringing the output folder in line with a render would do.
type Plan struct {
	New, Changed, Stale []string // slash paths under the output folder, sorted
	Unchanged           int
}

// Empty reports whether the folder already matches the render.
func (p *Plan) Empty() bool { return len(p.New)+len(p.Changed)+len(p.Stale) == 0 }

// Compare compares the rendered files with the output folder. owns limits the comparison to the files
// this run is responsible for (the generator's -out leaves a -docs folder inside it alone).
func Compare(outDir string, files map[string][]byte, owns func(string) bool) (*Plan, error) {
	p := &Plan{}
	for name, want := range files {
		if !owns(name) {
			continue
		}
		have, err := os.ReadFile(filepath.Join(outDir, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p.New = append(p.New, name)
		case err != nil:
			return nil, err
		case bytes.Equal(have, want):
			p.Unchanged++
		default:
			p.Changed = append(p.Changed, name)
		}
	}
	err := filepath.WalkDir(outDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == outDir {
				return filepath.SkipDir // nothing generated yet
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(outDir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if _, ok := files[rel]; !ok && owns(rel) {
			p.Stale = append(p.Stale, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(p.New)
	slices.Sort(p.Changed)
	slices.Sort(p.Stale)
	return p, nil
}

// Apply writes the new and changed files and deletes the stale ones, then removes folders left
// empty. It refuses an output folder that looks like a project root, where "stale" would mean
// somebody's sources.
func Apply(outDir string, files map[string][]byte, p *Plan) error {
	for _, marker := range []string{"go.mod", ".git"} {
		if _, err := os.Stat(filepath.Join(outDir, marker)); err == nil && len(p.Stale) > 0 {
			return fmt.Errorf("%s holds %s: refusing to delete files there; point the output at a folder of generated files", outDir, marker)
		}
	}
	for _, name := range append(slices.Clone(p.New), p.Changed...) {
		full := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, files[name], 0o644); err != nil {
			return err
		}
	}
	dirs := map[string]bool{}
	for _, name := range p.Stale {
		full := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := filepath.Dir(full); d != outDir && len(d) > len(outDir); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first, so a parent is tried after its children; a folder that is not empty stays.
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	slices.SortFunc(order, func(a, b string) int { return len(b) - len(a) })
	for _, d := range order {
		if entries, err := os.ReadDir(d); err == nil && len(entries) == 0 {
			os.Remove(d)
		}
	}
	return nil
}
