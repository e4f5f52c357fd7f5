// Command wasmbuild builds the browser app (cmd/wasm) into a .wasm file as
// `make wasm` does: see package internal/wasmbuild.
//
//	go run ./internal/cmd/wasmbuild -o web/hsrviz.wasm
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hsrviz/hsrviz/internal/wasmbuild"
)

func main() {
	out := flag.String("o", "web/hsrviz.wasm", "the .wasm to write")
	goTool := flag.String("go", "go", "the go command")
	flag.Parse()
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmbuild:", err)
		os.Exit(1)
	}
	_, err = wasmbuild.Build(wasmbuild.Options{Go: *goTool, Root: root, Out: *out,
		Log: func(s string) { fmt.Fprintln(os.Stderr, s) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
