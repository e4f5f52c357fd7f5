// Command serve serves the browser app (web/) on a local address:
//
//	go run ./cmd/serve -dir web -addr 127.0.0.1:8080
//
// The port can also come from $PORT. It refuses to start, with a message
// saying why, when web/hsrviz.wasm is missing (run `make wasm`) or the port
// is taken.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"syscall"

	"github.com/hsrviz/hsrviz/internal/serve"
)

func main() {
	defAddr := "127.0.0.1:8080"
	if p := os.Getenv("PORT"); p != "" {
		defAddr = "127.0.0.1:" + p
	}
	dir := flag.String("dir", "web", "directory to serve (must hold hsrviz.wasm)")
	addr := flag.String("addr", defAddr, "listen address host:port ($PORT sets the port)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "hsrviz: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	h, err := serve.Handler(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			fmt.Fprintf(os.Stderr, "hsrviz: %s is already in use; stop the other server or choose another port (make run PORT=8081)\n", *addr)
		} else {
			fmt.Fprintf(os.Stderr, "hsrviz: cannot listen on %s: %v\n", *addr, err)
		}
		os.Exit(1)
	}
	raw, gz := serve.Sizes(h)
	fmt.Printf("hsrviz: serving %s/ at http://%s/  (wasm %.1f MB, %.1f MB gzip; Ctrl-C stops)\n",
		*dir, ln.Addr(), float64(raw)/1e6, float64(gz)/1e6)
	if err := serve.NewServer(h).Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz:", err)
		os.Exit(1)
	}
}
