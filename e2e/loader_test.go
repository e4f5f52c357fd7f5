package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLoaderPaths loads the app the three ways web/index.html can:
// the wasm compiled in the worker started in <head> (the usual way), on
// the page when the browser has no Worker, and on the page after the
// worker failed. Each must draw its first frame and count the bytes.
func TestBrowserLoaderPaths(t *testing.T) {
	for _, c := range []struct{ name, script, via string }{
		{"worker", "", "worker"},
		{"no-worker", `window.Worker = undefined;`, "page"},
		// A Worker whose script fails at once (as a blocked blob: URL would).
		{"worker-fails", `window.Worker = function () {
			const w = { onmessage: null, onerror: null, terminate() {}, postMessage() {} };
			setTimeout(() => w.onerror({ message: "refused for the test", preventDefault() {} }), 0);
			return w;
		};`, "page"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openPageScript(t, "", false, 1, c.script)
			s := p.snapshot()
			if s.Error != "" {
				t.Errorf("the app shows an error: %s", s.Error)
			}
			l, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
				Via           string  `json:"via"`
				Error         string  `json:"error"`
				WasmBytes     float64 `json:"wasmBytes"`
				WasmTotal     float64 `json:"wasmTotal"`
				TransferBytes float64 `json:"transferBytes"`
				First         float64 `json:"first"`
				HTTPStatus    float64 `json:"httpStatus"`
				Reused        bool    `json:"reused"`
				Canvases      float64 `json:"canvases"`
				Preserve      bool    `json:"preserve"`
			}](`({via: hsrvizLoad.via, error: hsrvizLoad.error, wasmBytes: hsrvizLoad.wasmBytes, wasmTotal: hsrvizLoad.wasmTotal,
				transferBytes: hsrvizLoad.transferBytes, first: window.hsrvizFirstFrameMs || -1, httpStatus: hsrvizLoad.httpStatus,
				reused: hsrvizLoad.canvasReused, canvases: document.querySelectorAll("canvas").length,
				preserve: document.querySelector("canvas").getContext("webgl2").getContextAttributes().preserveDrawingBuffer})`))
			if err != nil {
				t.Fatal(err)
			}
			if l.Via != c.via || l.Error != "" {
				t.Errorf("loaded via %q (error %q), want via %q", l.Via, l.Error, c.via)
			}
			if l.WasmBytes <= 0 || l.WasmBytes != l.WasmTotal || l.TransferBytes <= 0 || l.TransferBytes >= l.WasmBytes {
				t.Errorf("bytes: %v of %v, %v on the wire; want all of them, gzipped on the wire", l.WasmBytes, l.WasmTotal, l.TransferBytes)
			}
			if l.HTTPStatus != 200 {
				t.Errorf("hsrvizLoad.httpStatus %v, want 200", l.HTTPStatus)
			}
			// The app draws with the context of the page's WebGL2 check
			// (index.html's webgl2): one canvas, with the page's attributes.
			if !l.Reused || l.Canvases != 1 || !l.Preserve {
				t.Errorf("the app's canvas: reused the check's %v, %v canvases in the page, preserveDrawingBuffer %v; want true, 1, true", l.Reused, l.Canvases, l.Preserve)
			}
			if l.First <= 0 {
				t.Errorf("no first frame (hsrvizFirstFrameMs %v)", l.First)
			}
			p.checkConsoleClean()
		})
	}
}
