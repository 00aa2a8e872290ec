package b24gen

import "embed"

// Spec is the official spec, spec/ of this module as it was when the generator was built: the
// generator starts from it when it runs in another module, whose own spec folders add to it.
//
//go:embed all:spec
var Spec embed.FS
