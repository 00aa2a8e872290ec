#!/usr/bin/env bash
# Build-time budgets: `go build ./...` from a cold cache, and compiling a program that imports only
# generated/<pkg> when that package (alone) is not in the cache yet. Prints wall seconds.
set -euo pipefail
pkg=${1:-im}
root=$(pwd)
cache=$(mktemp -d)
trap 'rm -rf "$cache" "$prog"' EXIT
prog=$(mktemp -d)

s=$(date +%s%N)
GOCACHE=$cache go build ./...
e=$(date +%s%N)
echo "go build ./... (cold cache): $(( (e - s) / 1000000 )) ms"

# A cache that holds the standard library and the runtime b24, but not generated/$pkg.
cache2=$(mktemp -d)
GOCACHE=$cache2 go build ./b24
cat > "$prog/go.mod" <<MOD
module example.com/one
go 1.26
require github.com/b24gen/b24gen v0.0.0
replace github.com/b24gen/b24gen => $root
MOD
cp go.sum "$prog/go.sum"
cat > "$prog/main.go" <<MAIN
package main

import (
	"fmt"

	"github.com/b24gen/b24gen/generated/$pkg"
)

func main() { fmt.Println($pkg.New(nil) != nil) }
MAIN
s=$(date +%s%N)
(cd "$prog" && GOCACHE=$cache2 GOFLAGS=-mod=mod GOPROXY=off go build -o /dev/null .)
e=$(date +%s%N)
rm -rf "$cache2"
echo "program importing generated/$pkg (package not cached): $(( (e - s) / 1000000 )) ms"
