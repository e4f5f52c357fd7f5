//go:build !linux

package needdisplay

// Args returns nil where the command line cannot be read without package
// os: -h then needs a display there, as before.
func Args() []string { return nil }
