# hsrviz: `make run` builds and serves the browser app; `make test` runs every test.
PORT ?= 8080
GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: run wasm desktop desktop-bin lesson-shots deps test test-unit test-race test-wasm test-purego soak fuzz bench bench-full clean measure-browser

run: wasm
	$(GO) run ./cmd/serve -dir web -addr 127.0.0.1:$(PORT)

wasm: web/hsrviz.wasm web/wasm_exec.js

# GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w", against Ebiten
# with its built-in shaders rendered and compiled ahead of time
# (internal/wasmbuild: 4.3 → 2.7 MB gzip); the browser tests build the same way.
web/hsrviz.wasm: FORCE
	$(GO) run ./internal/cmd/wasmbuild -go "$(GO)" -o web/hsrviz.wasm

web/wasm_exec.js: FORCE
	cp "$(GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js

desktop-bin:
	$(GO) build -o bin/hsrviz-desktop ./cmd/desktop

desktop: desktop-bin
	./bin/hsrviz-desktop

# The README's lesson screenshots, by the desktop app's own -screenshot
# (under a throwaway X display): LESSON_SHOTS lists chapter ids.
LESSON_SHOTS ?= halfspace tree limits
lesson-shots: desktop-bin
	mkdir -p docs/img
	for c in $(LESSON_SHOTS); do $(XVFB) ./bin/hsrviz-desktop -lesson $$c -width 1280 -height 800 -screenshot docs/img/lesson-$$c.png || exit 1; done

# What the tests need and the machine lacks (Chromium, Xvfb, the X11/GL
# headers, Node, ...), installed with apt-get; says what and why.
deps:
	@sh scripts/deps.sh

# Every test: vet (native and wasm), the pure packages, the Ebiten layer and the
# desktop app under a throwaway X display, and the browser app in headless Chromium.
# deps comes first: on a fresh machine it installs what the rest needs.
test: deps
	@$(MAKE) --no-print-directory wasm
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./cmd/wasm/... ./viz/... ./hsr/... ./attention/...
	$(XVFB) $(GO) test -count=1 -timeout 20m ./...

# Pure packages only: no display, no browser.
test-unit:
	$(GO) test -count=1 ./hsr/... ./attention/...

# The race detector over the engine and the visualizer, in -short form (the
# Ebiten layer needs a display).
test-race: deps
	$(XVFB) $(GO) test -race -short -count=1 ./hsr/... ./attention/... ./viz/...

# The engine as WebAssembly under Node, and its numbers against the native
# build's (scripts/determinism.sh).
test-wasm: deps
	GO=$(GO) sh scripts/determinism.sh

# The portable kernels (what the wasm build and other CPUs run) on this
# amd64 machine too: the purego tag leaves the assembly out.
test-purego:
	$(GO) test -tags purego -short -count=1 ./hsr/... ./attention/...

# A minute of seeded hostile input against the browser app (e2e
# TestBrowserSoak); SOAK seconds.
SOAK ?= 60
soak: wasm
	HSRVIZ_SOAK=$(SOAK) $(GO) test -count=1 -run Soak -v ./e2e

# Every fuzz target for FUZZTIME each (scripts/fuzz.sh).
FUZZTIME ?= 15s
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) sh scripts/fuzz.sh

# The browser budget, in headless Chromium: wasm size, time to first frame
# and the Go work per frame while dragging b at n = 2^14, d = 64, m = 64
# (FrameBudget); the interval between animation frames while dragging b for
# 6 s at the defaults and at n = 2^14, d = 64, m = 64 (FrameIntervals), with
# the pixels presented per frame; what a bare WebGL2 canvas of the same size
# costs per frame, the floor under those intervals (CanvasFloor); the
# page's CPU over 10 idle seconds (IdleCPU); the load, split into download,
# compilation, Go's start and the first frame (FirstFrame); the frame intervals and the time until
# every panel is current after switching to n = 2^20 at d = 2 and d = 4 (LargeN). HSRVIZ_WEB=dir measures a web
# directory built already (another commit's, for before and after);
# HSRVIZ_TRACE=dir also writes Chromium traces of the drags there.
measure-browser: wasm
	@echo "web/hsrviz.wasm: $$(wc -c < web/hsrviz.wasm) bytes raw, $$(gzip -9 -c web/hsrviz.wasm | wc -c) bytes gzip -9"
	HSRVIZ_MEASURE=1 $(GO) test -count=1 -timeout 40m -run 'FrameBudget|FrameIntervals|CanvasFloor|IdleCPU|FirstFrame|LargeN' -v ./e2e

bench:
	$(GO) run ./cmd/hsrbench

bench-full:
	$(GO) run ./cmd/hsrbench -full

clean:
	rm -rf bin web/hsrviz.wasm web/wasm_exec.js web/*.gz

FORCE:
