package serve

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// WasmName is the file the page loads; Handler refuses to start without it.
const WasmName = "hsrviz.wasm"

// RawLengthHeader carries the uncompressed size of a gzip-served file, so the
// page can show download progress in real bytes (Content-Length is then the
// compressed size, and fetch streams decompressed bytes).
const RawLengthHeader = "X-Raw-Length"

func init() {
	// Some systems' mime tables lack .wasm; browsers refuse
	// WebAssembly.instantiateStreaming without the right type.
	_ = mime.AddExtensionType(".wasm", "application/wasm")
}

// Handler serves dir. It reads dir/hsrviz.wasm once and keeps a gzip copy
// in memory; requests that accept gzip get that copy. The wasm is read at
// start so a missing build is reported before anyone opens the page.
func Handler(dir string) (http.Handler, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("serve: %s is not a directory", dir)
	}
	wasmPath := filepath.Join(dir, WasmName)
	raw, err := os.ReadFile(wasmPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("serve: %s is missing: run `make wasm` first", wasmPath)
	}
	if err != nil {
		return nil, fmt.Errorf("serve: reading %s: %v", wasmPath, err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return nil, fmt.Errorf("serve: compressing %s: %v", wasmPath, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("serve: compressing %s: %v", wasmPath, err)
	}
	return &handler{
		files:   http.FileServer(http.Dir(dir)),
		wasm:    raw,
		wasmGz:  gz.Bytes(),
		modTime: time.Now(),
	}, nil
}

type handler struct {
	files        http.Handler
	wasm, wasmGz []byte
	modTime      time.Time
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Always fresh: a rebuilt wasm must not meet a cached index.html.
	w.Header().Set("Cache-Control", "no-cache")
	// Cross-origin isolation: Chromium then gives performance.now() (Go's
	// clock in the wasm) 5 µs steps instead of 100 µs, which the app's
	// timings need. Every asset of the page is same-origin, which
	// require-corp allows without a Cross-Origin-Resource-Policy.
	w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
	w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
	if path.Clean(r.URL.Path) != "/"+WasmName {
		h.files.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Set("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set(RawLengthHeader, strconv.Itoa(len(h.wasm)))
		w.Header().Set("Content-Length", strconv.Itoa(len(h.wasmGz)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(h.wasmGz)
		}
		return
	}
	http.ServeContent(w, r, WasmName, h.modTime, bytes.NewReader(h.wasm))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (present and not with q=0).
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// Sizes returns the raw and gzip sizes of the served wasm, in bytes.
func Sizes(h http.Handler) (raw, gz int) {
	if hh, ok := h.(*handler); ok {
		return len(hh.wasm), len(hh.wasmGz)
	}
	return 0, 0
}
