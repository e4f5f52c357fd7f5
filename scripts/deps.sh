#!/bin/sh
# deps.sh installs what `make test` needs and this machine lacks, with
# apt-get (through sudo when not root), saying what it installs and why.
# Each need is checked by a file it provides, so a machine that has the tool
# some other way installs nothing. Run by `make test` before any test;
# harmless to run again (it does nothing when everything is there).
#
# Needs, one per line: a file that proves it is there, the Debian package
# that provides it, and why the tests need it.
set -eu

needs='
/usr/bin/chromium|chromium|the browser tests (e2e) drive the app in headless Chromium
/usr/bin/xvfb-run|xvfb|the Ebiten tests and the desktop app run under a virtual X display
/usr/bin/Xvfb|xvfb|the desktop tests start their own virtual X display
/usr/bin/xauth|xauth|xvfb-run needs xauth to open its display
/usr/bin/xdotool|xdotool|the desktop tests press keys in the app window
/usr/bin/import|imagemagick|the desktop tests take screenshots of the app window
/usr/include/GL/gl.h|libgl1-mesa-dev|building the desktop app (Ebiten links OpenGL)
/usr/include/X11/extensions/Xrandr.h|libxrandr-dev|building the desktop app (GLFW uses XRandR)
/usr/include/X11/Xcursor/Xcursor.h|libxcursor-dev|building the desktop app (GLFW uses Xcursor)
/usr/include/X11/extensions/Xinerama.h|libxinerama-dev|building the desktop app (GLFW uses Xinerama)
/usr/include/X11/extensions/XInput2.h|libxi-dev|building the desktop app (GLFW uses XInput2)
/usr/include/X11/extensions/xf86vmode.h|libxxf86vm-dev|building the desktop app (GLFW uses XF86VidMode)
/usr/bin/node|nodejs|the engine tests also run as WebAssembly under Node (GOOS=js)
/usr/bin/gcc|gcc|cgo: the desktop app and the race detector
/usr/bin/make|make|the tests are run by make targets
'

missing=""
IFS_SAVE=$IFS
IFS='
'
for line in $needs; do
	file=${line%%|*}
	rest=${line#*|}
	pkg=${rest%%|*}
	why=${rest#*|}
	if [ ! -e "$file" ]; then
		echo "deps: installing $pkg ($file is missing): $why"
		case " $missing " in
		*" $pkg "*) ;;
		*) missing="$missing $pkg" ;;
		esac
	fi
done
IFS=$IFS_SAVE

if [ -z "$missing" ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: apt-get not found: install these packages (or their equivalents) by hand:$missing" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps: not root and no sudo: as root, run: apt-get install -y$missing" >&2
		exit 1
	fi
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt-get on the machine holds the lock for a while: wait for it.
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -q"
echo "deps: apt-get update"
$APT update >/dev/null
# shellcheck disable=SC2086 # $missing is a list of package names
echo "deps: apt-get install$missing"
$APT install -y --no-install-recommends $missing >/dev/null
echo "deps: installed$missing"
