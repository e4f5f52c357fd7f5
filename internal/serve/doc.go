// Package serve is the static file server of the browser app: it serves a
// directory (web/) with .wasm as application/wasm and the big hsrviz.wasm
// gzip-compressed once at start (about 4× smaller on the wire), so cmd/serve
// and the browser tests serve the page the same way. Cost: one gzip -9 pass
// over the wasm at startup (~1 s for 13 MB), then plain file serving.
// Every response carries Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp, so the page is cross-origin
// isolated and its clock has 5 µs rather than 100 µs steps in Chromium.
//
// It serves files and nothing else: GET and HEAD only (405 otherwise), no
// directory listings, no dotfiles or dot directories, nothing outside the
// directory (an os.Root: neither ".." nor a symbolic link leads out), and
// NewServer's timeouts bound what a slow or half-sent request can hold.
package serve
