package e2e

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/io"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceCategories are what shows where a frame's time goes: the renderer's
// main thread (tasks, animation frames, input), the compositor, the GPU
// process (SwiftShader executing the WebGL commands) and viz (the display
// compositor).
var traceCategories = []string{
	"toplevel", "blink", "cc", "gpu", "viz", "benchmark", "input",
	"disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
	"disabled-by-default-gpu.service", "disabled-by-default-viz.quads",
}

// startTrace starts a Chromium trace of the page if $HSRVIZ_TRACE names a
// directory, and returns the function that stops it and writes
// $HSRVIZ_TRACE/name.json (load it in chrome://tracing or ui.perfetto.dev).
// Without $HSRVIZ_TRACE it does nothing.
func (p *page) startTrace(name string) (stop func()) {
	p.t.Helper()
	dir := os.Getenv("HSRVIZ_TRACE")
	if dir == "" {
		return func() {}
	}
	if _, err := chromedp.Call(p.ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReturnAsStream,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories},
	}); err != nil {
		p.t.Fatalf("starting the trace: %v", err)
	}
	return func() {
		p.t.Helper()
		done := make(chan tracing.EventTracingComplete, 1)
		evs := chromedp.Events(p.ctx, tracing.TracingComplete) // subscribed now, before End
		go func() {
			for ev, err := range evs {
				if err == nil {
					done <- ev
				}
				return
			}
		}()
		if _, err := chromedp.Call(p.ctx, tracing.End, cdp.Empty{}); err != nil {
			p.t.Fatalf("ending the trace: %v", err)
		}
		ev := <-done
		var out strings.Builder
		for {
			r, err := chromedp.Call(p.ctx, io.Read, io.ReadParams{Handle: ev.Stream, Size: 1 << 20})
			if err != nil {
				p.t.Fatalf("reading the trace: %v", err)
			}
			data := r.Data
			if r.Base64encoded {
				data, _ = base64.StdEncoding.DecodeString(string(r.Data))
			}
			out.Write(data)
			if r.EOF {
				break
			}
		}
		_, _ = chromedp.Call(p.ctx, io.Close, io.CloseParams{Handle: ev.Stream})
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			p.t.Fatal(err)
		}
		p.t.Logf("trace: %s (%d bytes)", path, out.Len())
	}
}
