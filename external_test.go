package b24gen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExternalModule builds a separate Go module that imports the generated im package the way a user
// would, runs it against the fake portal, and proves that the parameters are checked at compile time.
func TestExternalModule(t *testing.T) {
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	goSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/unreadbot\n\ngo 1.26\n\nrequire github.com/b24gen/b24gen v0.0.0\n\nreplace github.com/b24gen/b24gen => "+root+"\n")
	write("go.sum", string(goSum))
	write("main.go", `package main

import (
	"context"
	"fmt"
	"os"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/im"
)

func main() {
	portal := b24test.New()
	defer portal.Close()
	client, err := b24.New(portal.WebhookURL(), "")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := im.New(client).DialogUnread(context.Background(), &im.DialogUnreadParams{
		DialogID:  b24.ChatDialog(872),
		MessageID: 15660,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var unread bool = bool(res.Result)
	call := portal.Calls()[0]
	fmt.Println(unread, call.Method, call.Params["DIALOG_ID"], call.Params["MESSAGE_ID"])
}
`)
	run := func(args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// Everything the program needs is in this repository or already in the module cache.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("run", ".")
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(out), "true im.dialog.unread chat872 15660"; got != want {
		t.Fatalf("program printed %q, want %q", got, want)
	}

	// A message ID is an integer: passing a string must not compile.
	write("wrong.go", `package main

import "github.com/b24gen/b24gen/generated/im"

var _ = im.DialogUnreadParams{MessageID: "15660"}
`)
	out, err = run("build", "-o", os.DevNull, ".")
	if err == nil || !strings.Contains(out, "wrong.go") || !strings.Contains(out, "cannot use \"15660\"") {
		t.Fatalf("a string MessageID compiled or failed for another reason: %v\n%s", err, out)
	}
}
