// Package needdisplay says, before Ebiten starts, why no window can be opened.
//
// Ebiten opens GLFW (X11 on Linux and the BSDs) in a package init and panics
// with a stack trace when it cannot. Its subpackage guard, imported (blank) by
// cmd/desktop, runs Problem in its own init and exits with a clear message;
// or, when the command line asks for help (read by Args, on Linux), prints
// DesktopHelp, the desktop's usage (kept equal to its flags' by a test in
// cmd/desktop/internal/cli), and exits 0: help needs no display.
// Both depend on syscall only: Go initializes ready packages in import-path
// order ("github.com/hsrviz/..." sorts before "os", which Ebiten's ui package
// needs), so they run before Ebiten's. Cost: one getenv and at most one stat.
package needdisplay

import "syscall"

// socketDir is where local X servers put their sockets (a variable for tests).
var socketDir = "/tmp/.X11-unix"

// Problem says what is wrong with the display setting, or "" if a window can
// probably be opened. Only local displays (":N" or "unix:N") are checked for
// their socket; remote ones (ssh forwarding, "host:N") are left to X itself.
func Problem() string {
	d, ok := syscall.Getenv("DISPLAY")
	if !ok || d == "" {
		return "no display: DISPLAY is not set (X11 is needed to open a window)."
	}
	host, num := d, ""
	for i := len(d) - 1; i >= 0; i-- {
		if d[i] == ':' {
			host, num = d[:i], d[i+1:]
			break
		}
	}
	for i := 0; i < len(num); i++ { // drop ".screen"
		if num[i] == '.' {
			num = num[:i]
			break
		}
	}
	if (host != "" && host != "unix") || num == "" {
		return ""
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return ""
		}
	}
	var st syscall.Stat_t
	if syscall.Stat(socketDir+"/X"+num, &st) != nil {
		return "no display: DISPLAY=" + d + " but there is no X server socket " + socketDir + "/X" + num + "."
	}
	return ""
}
