// Package e2e holds the end-to-end tests of the visualizer in a real
// browser (headless Chromium driven by chromedp, WebGL2 through SwiftShader)
// and in a real window (the desktop build under its own Xvfb display).
//
// They build the wasm and the desktop binary once (about a minute cold,
// seconds with a warm build cache), then check what a user sees: the page
// loads without console errors, the panels are drawn, and the numbers and
// the picture change as the engine (viz.App run natively in the test, the
// oracle) says they must, after a JS API call, a real key press and a real
// slider drag. A missing browser, Xvfb, xdotool or ImageMagick is a test
// failure that says what to install, never a skip.
//
// Screenshots go to $HSRVIZ_SHOTS (or a temporary directory, logged).
package e2e
