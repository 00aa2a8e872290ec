// Package calltest runs the tables of the generated calls tests (generated/conformance/<ns>_gen_test.go)
// against the fake portal, so that the generated files hold only their tables.
package calltest

import (
	"encoding/json"
	"iter"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// Call is one method called through its Go function with its required parameters.
type Call struct {
	Method string
	// Required are the required parameters: the wire name (the index for positional methods) and the
	// JSON value that must arrive.
	Required [][2]string
	Call     func() error
}

// List is one list method walked through its All function: Count walks it (see Count).
type List struct {
	Method string // a twin's REST 3.0 list with its @3 suffix, as the fake portal's rows name it
	Count  func() (int, error)
}

// Count walks a list method's rows, typed or raw, and returns how many came before the first error.
func Count[T any](rows iter.Seq2[T, error]) (int, error) {
	n := 0
	for _, err := range rows {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// portal starts a fake portal and a client of it. The client does not pace: the fake portal has no
// rate limit, and hundreds of calls would otherwise wait for the cloud's pace.
func portal(t *testing.T) (*b24test.Server, *b24.Client) {
	t.Helper()
	s := b24test.New()
	t.Cleanup(s.Close)
	c, err := b24.New(s.WebhookURL(), "", b24.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// Calls makes each call of the table that calls builds over a client of a fake portal and checks
// the request that arrived: exactly one, under the method's name, with every required parameter
// under its wire name and with its JSON value. The portal answers with the spec's example, so a
// call without error also proves that the example decodes into the method's result type; a method
// without an example gets null, which decodes into every result type (the portal's default answer,
// true or [], is no answer those methods are known to give). Every call is checked even when one
// fails, so that one run lists every broken method.
func Calls(t *testing.T, calls func(*b24.Client) []Call) {
	t.Helper()
	s, c := portal(t)
	table := calls(c)
	for _, tc := range table {
		if fx, _ := fixtures.Lookup(tc.Method); fx.Example == "" || s.Stateful(tc.Method) {
			s.Handle(tc.Method, func(b24test.Call) (any, *b24.APIError) { return nil, nil })
		}
	}
	for _, tc := range table {
		n := len(s.Calls())
		err := tc.Call()
		calls := s.Calls()
		if len(calls) != n+1 {
			t.Errorf("%s: %d calls arrived, want 1 (error: %v)", tc.Method, len(calls)-n, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.Method, err)
		}
		got := calls[n]
		if got.Method != tc.Method {
			t.Errorf("called %s, %s arrived", tc.Method, got.Method)
		}
		for _, r := range tc.Required {
			v, ok := got.Params[r[0]]
			if !ok {
				t.Errorf("%s: required parameter %s did not arrive: %v", tc.Method, r[0], got.Params)
				continue
			}
			if b, _ := json.Marshal(v); string(b) != r[1] {
				t.Errorf("%s: %s arrived as %s, want %s", tc.Method, r[0], b, r[1])
			}
		}
	}
}

// All walks each list method of the table that lists builds over a client of a fake portal, which
// pages the example's rows as the portal would: every row must come back exactly once (b24.All
// fails on a repeated ID, the count catches a lost row).
func All(t *testing.T, lists func(*b24.Client) []List) {
	t.Helper()
	s, c := portal(t)
	for _, tc := range lists(c) {
		want := s.ListRows(tc.Method)
		if want < 0 {
			t.Errorf("%s: the fake portal has no example rows for it", tc.Method)
			continue
		}
		n, err := tc.Count()
		if err != nil {
			t.Errorf("%s: %v", tc.Method, err)
		}
		if n != want {
			t.Errorf("%s: %d rows, want %d", tc.Method, n, want)
		}
	}
}
