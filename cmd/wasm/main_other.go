//go:build !js

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "cmd/wasm is the browser build: run `make wasm` (GOOS=js GOARCH=wasm) and `make run`; for a window use cmd/desktop")
	os.Exit(2)
}
