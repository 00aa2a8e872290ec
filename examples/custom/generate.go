// Package custom shows the generator in a module of its own: the official spec built into the
// generator, three of its methods (-only), one method the official docs do not list
// (spec/vendor/vendor.report.get.yaml) and one overlay on an official method
// (spec/im/im.dialog.unread.yaml). The generator is pinned as a tool in go.mod; go generate ./...
// writes b24/ (the client packages and their b24test fixtures) and docs/.
package custom

//go:generate go tool generator -spec spec -only crm.item.get,crm.item.list,im.dialog.unread -out b24 -docs docs
