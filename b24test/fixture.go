package b24test

import (
	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/generated/fixtures"
)

// Fixture is what the server knows of one method: how to check a call of it and what to answer.
// The official spec's methods are built in; WithFixtures adds a module's own (the fixtures package
// cmd/b24gen generates next to a module's client packages).
type Fixture struct {
	Name     string         // wire name
	Kind     string         // "read" or "write"
	API3     bool           // a REST 3.0 method: served at /rest/api/ only
	Required []string       // wire names of the required parameters
	Example  string         // the whole example envelope as JSON, "" when the spec has none
	List     *b24.ListShape // list methods: where the rows are and how they are walked
}

// WithFixtures makes the server know the methods lookup finds, before those of the official spec:
// it answers them with their examples and checks their required parameters, as it does for the
// official ones. lookup finds a method by wire name, case-insensitively.
func WithFixtures(lookup func(method string) (Fixture, bool)) Option {
	return func(s *Server) { s.lookup = lookup }
}

// fixture is the fixture of the method a call names: of its REST 3.0 twin ("<name>@3") for a 3.0
// call when the name has one, else of the name.
func (s *Server) fixture(method string, api3 bool) (Fixture, bool) {
	if api3 {
		if fx, ok := s.fixtureOf(method + "@3"); ok {
			return fx, true
		}
	}
	return s.fixtureOf(method)
}

// fixtureOf is the fixture of key: the caller's (WithFixtures), else the official spec's.
func (s *Server) fixtureOf(method string) (Fixture, bool) {
	if s.lookup != nil {
		if fx, ok := s.lookup(method); ok {
			return fx, true
		}
	}
	fx, ok := fixtures.Lookup(method)
	return Fixture(fx), ok
}
