// Package examplecheck checks the generated client against the request examples of the official docs
// (upstream/b24-examples/requests.jsonl): each example's params are written into the method's generated
// params struct the way a Go user would (Fill), sent through the generated function to the fake portal,
// and what arrives is compared with the example leaf by leaf (Diff). Known failures are listed in a
// checked-in file so that a test fails only on a change (Run).
//
// The steps, for one example:
//
//  1. Fill: documented keys into fields (exact, case-sensitive json tag), other keys into the struct's
//     Extra map, literals adapted as a user would ("5" into an int field); placeholder values such as
//     "your_id_here" are left aside.
//  2. The generated function sends the struct to a b24test portal whose methods all answer null.
//  3. Diff compares the example (placeholders ignored) with the request body that arrived.
//
// Outcomes: intact, added (a key nobody set arrived: the worst case), changed (lost, renamed or changed
// values), unwritable (Fill failed: the example cannot be written with the struct), unknown method,
// call failed (the portal refused the call, e.g. a missing required parameter).
//
// A generated test per package calls Run with a map of its methods (built with Of) and the path of a
// failing file, one known failure a line: "<line> <method> <outcome>: <reason>" (see Failure). After a
// change of the generator, B24_EXAMPLES_WRITE=1 go test ./generated/... rewrites the entries of the
// tested methods from the current results.
package examplecheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/b24gen/b24gen/b24"
)

// ExamplesPath is the examples file, relative to the module root.
const ExamplesPath = "upstream/b24-examples/requests.jsonl"

// Example is one line of requests.jsonl.
type Example struct {
	Line   int             // 1-based line number in the file
	Method string          // as the docs spell it (case varies)
	Params json.RawMessage // an object, or an array for positional methods
	Doc    string          // the docs page it comes from
	Repo   string          // "en" or "ru"
}

// Load reads a requests.jsonl file. Blank lines are skipped (they still count for line numbers); any
// other line that is not an example is an error naming file:line.
func Load(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20) // lines carry inline base64 files
	var out []Example
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		ex, err := parseExample(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		ex.Line = n
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

func parseExample(line []byte) (Example, error) {
	var raw struct {
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
		Doc    string          `json:"doc"`
		Repo   string          `json:"repo"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&raw); err != nil {
		return Example{}, err
	}
	if dec.More() {
		return Example{}, errors.New("more than one JSON value on the line")
	}
	if raw.Method == "" {
		return Example{}, errors.New("no method")
	}
	if p := bytes.TrimSpace(raw.Params); len(p) == 0 || p[0] != '{' && p[0] != '[' {
		return Example{}, fmt.Errorf("%s: params must be a JSON object or array", raw.Method)
	}
	// Own the bytes: the scanner reuses its buffer.
	params := append(json.RawMessage(nil), raw.Params...)
	return Example{Method: raw.Method, Params: params, Doc: raw.Doc, Repo: raw.Repo}, nil
}

// Method is one generated method, type-erased so that a map can hold every method of a package.
type Method struct {
	New  func() any                                            // a new *XxxParams
	Call func(ctx context.Context, c *b24.Client, p any) error // calls the method with a value from New
}

// Of makes a Method from a generated package's constructor and a method expression:
//
//	examplecheck.Of(crm.New, (*crm.Service).DealAdd)
func Of[S, P, R any](newSvc func(*b24.Client) S, f func(S, context.Context, *P, ...b24.CallOption) (R, error)) Method {
	return Method{
		New: func() any { return new(P) },
		Call: func(ctx context.Context, c *b24.Client, p any) error {
			params, ok := p.(*P)
			if !ok {
				return fmt.Errorf("examplecheck: params are %T, want %T", p, (*P)(nil))
			}
			_, err := f(newSvc(c), ctx, params)
			return err
		},
	}
}

// ModuleRoot walks up from the working directory to the directory holding go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("examplecheck: no go.mod above the working directory")
		}
		dir = parent
	}
}
