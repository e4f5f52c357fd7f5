# hsrviz: `make run` builds and serves the browser app; `make test` runs every test.
PORT ?= 8080
GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: run wasm desktop desktop-bin test test-unit bench bench-full clean measure-browser

run: wasm
	$(GO) run ./cmd/serve -dir web -addr 127.0.0.1:$(PORT)

wasm: web/hsrviz.wasm web/wasm_exec.js

web/hsrviz.wasm: FORCE
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o web/hsrviz.wasm ./cmd/wasm

web/wasm_exec.js: FORCE
	cp "$(GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js

desktop-bin:
	$(GO) build -o bin/hsrviz-desktop ./cmd/desktop

desktop: desktop-bin
	./bin/hsrviz-desktop

# Every test: vet (native and wasm), the pure packages, the Ebiten layer and the
# desktop app under a throwaway X display, and the browser app in headless Chromium.
test: wasm
	@command -v xvfb-run >/dev/null || { echo "make test: xvfb-run not found (apt-get install xvfb); see .ci/run" >&2; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./cmd/wasm/... ./viz/... ./hsr/... ./attention/...
	$(XVFB) $(GO) test -count=1 -timeout 20m ./...

# Pure packages only: no display, no browser.
test-unit:
	$(GO) test -count=1 ./hsr/... ./attention/...

# The browser budget, in headless Chromium: wasm size, time to first frame
# and the Go work per frame while dragging b at n = 2^14, d = 64, m = 64
# (FrameBudget); the interval between animation frames while dragging b for
# 6 s at the defaults and at n = 2^14, d = 64, m = 64 (FrameIntervals); the
# page's CPU over 10 idle seconds (IdleCPU); the load, split into download,
# compilation, Go's start and the first frame (FirstFrame). HSRVIZ_WEB=dir measures a web
# directory built already (another commit's, for before and after);
# HSRVIZ_TRACE=dir also writes Chromium traces of the drags there.
measure-browser: wasm
	@echo "web/hsrviz.wasm: $$(wc -c < web/hsrviz.wasm) bytes raw, $$(gzip -9 -c web/hsrviz.wasm | wc -c) bytes gzip -9"
	HSRVIZ_MEASURE=1 $(GO) test -count=1 -timeout 20m -run 'FrameBudget|FrameIntervals|IdleCPU|FirstFrame' -v ./e2e

bench:
	$(GO) run ./cmd/hsrbench

bench-full:
	$(GO) run ./cmd/hsrbench -full

clean:
	rm -rf bin web/hsrviz.wasm web/wasm_exec.js web/*.gz

FORCE:
