package serve

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
