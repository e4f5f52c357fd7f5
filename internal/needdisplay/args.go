package needdisplay

// HelpRequested says whether args (without the program name) ask for the
// usage as package flag understands it: -h, -help, --h or --help before a
// "--". Help needs no display, so the guard prints DesktopHelp itself
// rather than refusing to start (Ebiten would panic in its init before the
// command's main could print it).
func HelpRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}
