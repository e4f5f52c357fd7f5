package serve

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newDir(t *testing.T, wasm []byte) string {
	t.Helper()
	dir := t.TempDir()
	if wasm != nil {
		if err := os.WriteFile(filepath.Join(dir, WasmName), wasm, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>x</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMissingWasm(t *testing.T) {
	_, err := Handler(newDir(t, nil))
	if err == nil || !strings.Contains(err.Error(), "make wasm") {
		t.Fatalf("got:%v want an error telling to run make wasm", err)
	}
	if _, err := Handler(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("a missing directory was accepted")
	}
}

func TestWasmGzipAndPlain(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm hsrviz "), 5000)
	h, err := Handler(newDir(t, wasm))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	// Plain: a client that does not accept gzip.
	req, _ := http.NewRequest("GET", ts.URL+"/"+WasmName, nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/wasm" {
		t.Errorf("plain Content-Type got:%q want:application/wasm", ct)
	}
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, wasm) {
		t.Errorf("plain body differs (encoding %q, %d bytes)", resp.Header.Get("Content-Encoding"), len(body))
	}

	// Gzip: the raw transport does not decompress, so we see the wire bytes.
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	wire, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get(RawLengthHeader) != "60000" {
		t.Fatalf("gzip headers: %v", resp.Header)
	}
	if len(wire) >= len(wasm) {
		t.Errorf("gzip not smaller: %d >= %d", len(wire), len(wasm))
	}
	zr, err := gzip.NewReader(bytes.NewReader(wire))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, wasm) {
		t.Error("gunzipped body differs from the wasm")
	}
	if raw, gz := Sizes(h); raw != len(wasm) || gz != len(wire) {
		t.Errorf("Sizes got:%d,%d want:%d,%d", raw, gz, len(wasm), len(wire))
	}

	// Other files come from the directory.
	resp, err = http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(idx), "<title>x</title>") {
		t.Errorf("index got:%q", idx)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		h    string
		want bool
	}{
		{"", false}, {"gzip", true}, {"br, gzip;q=0.5", true}, {"gzip;q=0", false},
		{"identity", false}, {"*", true}, {"GZIP", true},
	} {
		if got := acceptsGzip(c.h); got != c.want {
			t.Errorf("acceptsGzip(%q) got:%v want:%v", c.h, got, c.want)
		}
	}
}

// The page is cross-origin isolated: COOP and COEP on every response
// (the page, the wasm in both encodings, a missing file).
func TestCrossOriginIsolation(t *testing.T) {
	h, err := Handler(newDir(t, []byte("\x00asm")))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, c := range []struct{ path, enc string }{{"/", ""}, {"/index.html", ""}, {"/" + WasmName, "gzip"}, {"/" + WasmName, "identity"}, {"/nope.js", ""}} {
		req, _ := http.NewRequest("GET", ts.URL+c.path, nil)
		if c.enc != "" {
			req.Header.Set("Accept-Encoding", c.enc)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cross-Origin-Opener-Policy"); got != "same-origin" {
			t.Errorf("%s (%s): Cross-Origin-Opener-Policy %q", c.path, c.enc, got)
		}
		if got := resp.Header.Get("Cross-Origin-Embedder-Policy"); got != "require-corp" {
			t.Errorf("%s (%s): Cross-Origin-Embedder-Policy %q", c.path, c.enc, got)
		}
	}
}

// TestOnlyFilesInsideRoot: every method was served as GET, directories were
// listed, dotfiles served and symbolic links followed out of the root.
// Now: GET and HEAD only, 404 for a directory without index.html, for
// anything under a dot name and for a link leading out (to a file in
// another temporary directory; nothing outside them is named).
func TestOnlyFilesInsideRoot(t *testing.T) {
	dir := newDir(t, []byte("\x00asm"))
	outside := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "secret.txt"), "secret")
	write(filepath.Join(dir, "sub", "a.txt"), "a")
	write(filepath.Join(dir, "withindex", "index.html"), "<p>index")
	write(filepath.Join(dir, ".env"), "TOKEN=x")
	write(filepath.Join(dir, ".git", "config"), "[core]")
	write(filepath.Join(dir, "ok.txt"), "ok")
	for _, l := range [][2]string{
		{filepath.Join(outside, "secret.txt"), "out.txt"}, {outside, "outdir"}, {"ok.txt", "in.txt"}, {"../", "up"},
	} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, c := range []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/", 200, "<!doctype html>"},
		{"GET", "/ok.txt", 200, "ok"},
		{"HEAD", "/ok.txt", 200, ""},
		{"GET", "/in.txt", 200, "ok"}, // a link inside the root
		{"GET", "/withindex/", 200, "<p>index"},
		{"GET", "/sub/a.txt", 200, "a"},
		{"GET", "/sub/", 404, ""},
		{"GET", "/sub", 404, ""},
		{"GET", "/.env", 404, ""},
		{"GET", "/.git/config", 404, ""},
		{"GET", "/.git/", 404, ""},
		{"GET", "/sub/../.env", 404, ""},
		{"GET", "/out.txt", 404, ""},
		{"GET", "/outdir/secret.txt", 404, ""},
		{"GET", "/up/", 404, ""},
		{"POST", "/ok.txt", 405, ""},
		{"PUT", "/ok.txt", 405, ""},
		{"DELETE", "/ok.txt", 405, ""},
		{"OPTIONS", "/", 405, ""},
		{"POST", "/" + WasmName, 405, ""},
	} {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader("x"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || (c.code == 200 && !strings.Contains(string(body), c.body)) || strings.Contains(string(body), "secret") {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.path, resp.StatusCode, body, c.code, c.body)
		}
		if c.code == 405 && resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q", c.method, c.path, resp.Header.Get("Allow"))
		}
	}
}

// TestHalfSentRequestClosed: with no ReadHeaderTimeout, connections whose
// request never ends stayed open (200 of them for more than 46 s). The
// server closes them; the test shortens the timeout and waits for the
// connection to be closed (EOF), not for a time.
func TestHalfSentRequestClosed(t *testing.T) {
	h, err := Handler(newDir(t, []byte("\x00asm")))
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(h)
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("NewServer without limits: %+v", srv)
	}
	srv.ReadHeaderTimeout = 50 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	// A guard so that a regression fails instead of hanging.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the half-sent request was still open after a minute")
	}
}
