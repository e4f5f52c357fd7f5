// Package guard, imported for its side effect, exits with a clear message
// before Ebiten initializes when there is no display (see package needdisplay).
package guard

import (
	"syscall"

	"github.com/hsrviz/hsrviz/internal/needdisplay"
)

func init() {
	if msg := needdisplay.Problem(); msg != "" {
		if needdisplay.HelpRequested(needdisplay.Args()) {
			syscall.Write(2, []byte(needdisplay.DesktopHelp))
			syscall.Exit(0)
		}
		syscall.Write(2, []byte("hsrviz-desktop: "+msg+"\n"+
			"Run it in a desktop session, or under a virtual screen: xvfb-run -a go run ./cmd/desktop\n"+
			"(The browser app needs no display: make run)\n"))
		syscall.Exit(1)
	}
}
