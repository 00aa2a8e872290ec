// Command b24 calls Bitrix24 REST methods: every method of the spec as `b24 <method> --flag value`,
// the OpenIntegrations functions as `b24 bitrix24 <name>`, and any method as `b24 call`.
// See `b24 --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/b24gen/b24gen/cmd/b24/internal/command"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	fi, err := os.Stderr.Stat()
	fo, errOut := os.Stdout.Stat()
	code := command.Run(ctx, os.Args[1:], command.Env{
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
		Catalog: catalog(),
		Stdin:   os.Stdin,
		// profiles.json lives in <config dir>/b24 (B24_CONFIG_DIR overrides it)
		ConfigDir:      os.UserConfigDir,
		Terminal:       err == nil && fi.Mode()&os.ModeCharDevice != 0,
		StdoutTerminal: errOut == nil && fo.Mode()&os.ModeCharDevice != 0,
	})
	stop()
	os.Exit(code)
}
