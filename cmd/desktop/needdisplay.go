//go:build linux || freebsd || netbsd || openbsd || dragonfly

package main

// Before Ebiten initializes: a missing display is a message, not a panic.
import _ "github.com/hsrviz/hsrviz/internal/needdisplay/guard"
