// Package b24gen is every Bitrix24 REST method, typed: a Go SDK (generated/<namespace>), a CLI
// (cmd/b24) and Markdown docs (generated/docs), all generated from the YAML spec in spec/.
//
// The generated tree is rebuilt from the spec with
//
//	go generate ./...
//
// which runs the generator (./generator) over spec/ into generated/. Never edit generated/ by hand:
// change the spec or the generator, and regenerate.
package b24gen

//go:generate go run ./generator -base none -spec spec -out generated -docs generated/docs -cli
