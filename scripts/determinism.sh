#!/bin/sh
# determinism.sh compares the engine between builds: it runs the hsr and
# attention tests as WebAssembly under Node (the browser's build, portable
# kernels; -short, since wasm is several times slower), then computes the
# digest of seeded runs natively (amd64: AVX2/FMA where the CPU has them)
# and has the wasm build compare its own digest with it: the same reported
# sets and counts, hsr's ids bit for bit, the numbers within 1e-12 relative
# (package attention, "Determinism across builds"). Needs node (nodejs).
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
wasmpath="$($GO env GOROOT)/lib/wasm"
command -v node >/dev/null || { echo "determinism.sh: node not found (apt-get install nodejs; scripts/deps.sh does it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "determinism: hsr and attention tests as GOOS=js GOARCH=wasm under Node (-short)"
PATH="$wasmpath:$PATH" GOOS=js GOARCH=wasm $GO test -short -count=1 ./hsr ./attention
echo "determinism: native digest, then the wasm build compares its own with it"
$GO test -count=1 -run '^TestDeterminismDigest$' ./attention -args -digest="$tmp/native.json"
if ! PATH="$wasmpath:$PATH" GOOS=js GOARCH=wasm $GO test -count=1 -v -run '^TestDeterminismDigest$' ./attention \
	-args -digest-compare="$tmp/native.json" >"$tmp/compare.log" 2>&1; then
	cat "$tmp/compare.log" >&2
	exit 1
fi
grep -E 'agrees|^ok' "$tmp/compare.log"
