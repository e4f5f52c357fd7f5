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
	// os.Root: no path, symbolic link or ".." reaches outside dir.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serve: %v", err)
	}
	fsys := root.FS()
	return &handler{
		fsys:    fsys,
		files:   http.FileServerFS(fsys),
		wasm:    raw,
		wasmGz:  gz.Bytes(),
		modTime: time.Now(),
	}, nil
}

type handler struct {
	fsys         fs.FS
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
	// A static site: reading only. Any other method was served as GET.
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: this server only serves files (GET, HEAD)", http.StatusMethodNotAllowed)
		return
	}
	if path.Clean("/"+r.URL.Path) != "/"+WasmName {
		if !h.servable(r.URL.Path) {
			http.NotFound(w, r)
			return
		}
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

// servable says whether the file server may answer for urlPath: not a
// dotfile or anything under a dot directory (.git, .env), nothing outside
// the root (os.Root refuses links and ".." that leave it), and not a
// directory without an index.html (no listings).
func (h *handler) servable(urlPath string) bool {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "."
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return false
		}
	}
	st, err := fs.Stat(h.fsys, name)
	if err != nil {
		return false
	}
	if st.IsDir() {
		st, err := fs.Stat(h.fsys, path.Join(name, "index.html"))
		return err == nil && st.Mode().IsRegular()
	}
	return st.Mode().IsRegular()
}

// Timeouts of NewServer: a client has ReadHeaderTimeout to send its request
// headers, and an idle keep-alive connection is closed after IdleTimeout,
// so half-sent requests cannot hold connections open (200 of them stayed
// open for more than 46 s without). No write timeout: the wasm is 13 MB,
// and a slow link must be able to fetch it.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// NewServer returns the http.Server that serves h with the timeouts above.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
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
