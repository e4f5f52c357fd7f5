package attention

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/hsrviz/hsrviz/hsr"
)

// The sketch: certified low-precision copies of the keys that answer a
// half-space query <q, k> > c by streaming ~d/2 bytes per key instead of
// 8d, followed by exact float64 re-checks of the few candidates (the
// "vector approximation file" idea of high-dimensional search: where no
// tree can prune, scan a compressed approximation with a certified error
// bound and refine). Two filters run in turn, each certified on its own:
//
//   - stage 1 streams 4-bit codes of every key (d/2 bytes), its scale
//     (4 bytes) and a residual code (1 byte); at d = 64 and the paper's
//     threshold ~7% of the keys pass;
//   - stage 2 reads, for those keys only, one row of int8 codes (d bytes,
//     one cache line at d = 64) and keeps ~1.2× the reported keys;
//   - the survivors are re-scored with the float64 dot product of every
//     path (dot) and kept when dot > c.
//
// Per decode at n = 2^20, d = 64 that is 37 MiB streamed plus ~70000
// scattered 64-byte rows, against 68 MiB streamed by the int8 sketch it
// replaces (one stage, 1 byte per coordinate); the K and V rows of the
// survivors are read by either. Measurements: docs/performance.md.
//
// Codes. Key j has one scale s_j (float32, s_j·7.5 ≥ max_t |k_jt|).
// Stage 1 stores h_jt ∈ [0, 15] for the level κ_jt = 2h_jt − 15 (odd,
// |κ| ≤ 15): k_j ≈ (s_j/2)·κ_j, coordinate error ≤ s_j/2. Stage 2 stores
// c_jt ∈ [−120, 120]: k_j ≈ (s_j/16)·c_j, coordinate error ≤ s_j/32. The
// residuals are measured in steps of the key's own scale:
// u1_j = ‖k_j − (s_j/2)·κ_j‖/(s_j/2) ≤ sqrt(d), stored per key as a byte
// ucode_j with u1_j ≤ ucode_j·du (du = 1.01·sqrt(d)/255), and per chunk of
// 512 keys u2 ≥ ‖k_j − (s_j/16)·c_j‖/(s_j/16), with bounds on ‖κ_j‖,
// ‖c_j‖ and s_j. The residual grows with the scale, which varies from key
// to key, while the residual per step hardly does (≈ sqrt(d/3) for stage
// 1): at d = 64 a chunk bound on the residual itself let 17% of the keys
// through stage 1, a chunk bound per step 9.8%, the per-key byte 6.8%.
//
// The bound (stage 1; stage 2 is the same with c_j, s_j/16, the chunk's
// u2 and an int16 query). The query is q = σ·q̃ + e with integer codes q̃
// (int8 for stage 1, int16 for stage 2) and ‖e‖ ≤ e_q. With s' = s_j/2,
// κ = κ_j, ρ = k_j − s'·κ, D = Σ_t q̃_t·κ_t (an exact integer):
//
//	<q, k_j> = σ·s'·D + s'·<e, κ> + <q, ρ>
//	         ≤ σ·s'·D + s'·e_q·‖κ‖ + ‖q‖·s'·u1_j   (Cauchy–Schwarz, ‖ρ‖ = s'·u1_j)
//	         ≤ σ·s'·(D + A_j),  A_j = (e_q·κmax + ‖q‖·du·ucode_j)/σ,
//
// so <q, k_j> > c implies s_j·(D + A_j) > 2c/σ (s_j ≥ 0, σ > 0). The
// kernel tests the integer D' = 2^r·D + off + ucode_j·mult with
// off = ⌈2^r·e_q·κmax/σ⌉ and mult = ⌈2^r·‖q‖·du/σ⌉, so D' ≥ 2^r·(D + A_j)
// (r ≤ 8 sets the resolution of the rounding up, as large as keeps
// |D'| < 2^30), computing g_j = fl32(fl32(D')·s_j): two float32
// roundings, within 3·2⁻²⁴·|s_j·D'| + 2⁻¹⁴⁹ of s_j·D', and
// |s_j·D'| ≤ smax·(2^r·‖q̃‖·κmax + off + 255·mult) =: B. So with the
// float32 threshold T ≤ 2^r·2c/σ − 3·2⁻²⁴·B − 2⁻¹⁴⁸ (less a relative
// 1e-12 for the float64 arithmetic that computes it, rounded down to
// float32) every key with <q, k_j> > c has g_j > T. A key of scale 0 is
// the zero key: its g_j = 0, and <q, 0> > c means c < 0, where T < 0. A
// key passes to the exact check only if both stages pass it, and the exact
// check is the definition: no key with <q, k> > c is missed whatever the
// data; only the number of candidates depends on it. The tests check it
// at thresholds one ulp from real dot products, for each stage alone too.
//
// A chunk whose numbers leave the safe range (keys or queries huge or
// tiny, integer sums near int32's range) passes that stage whole: slower,
// never wrong. The stage-1 kernels: AVX2 VPMADDUBSW of the unsigned
// nibbles and the int8 query into 16-bit sums of at most 8 products
// (≤ 8·2·15·127 = 30480 < 2¹⁵), then 32-bit sums; AVX-512 VNNI (VPDPBUSD)
// straight into 32-bit sums where the CPU has it (1.6× fewer cycles per
// key in cache, ~20% per decode). Both prefetch the stream 2 KiB ahead in
// software (22% faster stage 1 at n = 2^20: the hardware prefetcher stops
// at every 4 KiB page). The AVX-512 kernel also writes the candidates'
// numbers itself (VPCOMPRESSD): a loop over the mask's bits mispredicted
// about a branch per panel, 6–9% of a decode.
//
// Layout: stage-1 codes in panels of 16 keys, [panel][8 dimensions][key
// 0..15][4 bytes], the low nibbles of key i's 4 bytes its dimensions
// 8p..8p+3 and the high nibbles 8p+4..8p+7, so one 64-byte load serves 16
// keys × 8 dimensions (AVX2: two 32-byte loads of 8 keys); stage-2 codes
// one row of d bytes rounded up to 16 per key (64 bytes at d = 64: one
// cache line, one miss per stage-1 candidate). Memory: n·(4·⌈d/8⌉ + 5) +
// n·⌈d/16⌉·16 bytes, 101 MiB at n = 2^20, d = 64 (on Linux in transparent
// huge pages where the kernel gives them: see grow).

const (
	sketchPanel = 16  // keys per panel of the stage-1 codes
	sketchChunk = 512 // keys per chunk (bounds and thresholds)
	// sketchSegment is the keys one goroutine filters at a time when a row
	// is split over several (64 chunks: 32768 keys).
	sketchSegment = 64 * sketchChunk
)

// useSketch says whether engines and caches over the scan or the automatic
// index build a sketch: where the AVX2 kernels run (the portable kernels
// are correct everywhere but no faster than the float64 scan in wasm).
// Tests switch it on to run the portable kernels.
var useSketch = hasKernel

// useQKernel selects the assembly kernels (else the portable ones);
// useVNNI the AVX-512 stage-1 kernel over the AVX2 one.
var (
	useQKernel = hasKernel
	useVNNI    = hasVNNI
)

// sketchMinDim is the smallest d that gets a sketch. Below it the float64
// scan and the tree win: with the int8 sketch at n = 2^20 and the paper's
// threshold, 2.1 ms at d = 2 (scan 1.7, tree 0.9) and 4.1 ms at d = 4
// (scan 2.9, tree 3.6), but 1.7 ms at d = 8 (scan 5.9, tree 5.6). A key of
// few coordinates gains little from short codes, while every candidate's
// exact re-check is a cache miss the sequential scan does not pay.
var sketchMinDim = 8

type sketch struct {
	d      int
	pairs  int // 8-dimension blocks of the stage-1 codes: ⌈d/8⌉
	stride int // bytes per key of the stage-2 codes: d rounded up to 16
	n      int
	nib    []uint8   // stage 1: [panel][pair][key][4], see above
	codes  []int8    // stage 2: [key][stride]
	scale  []float32 // per key (whole panels): s_j
	ucode  []uint8   // per key (whole panels): u1_j ≤ ucode_j·du, see add
	du     float64   // stage 1's residual-per-step unit
	ch     []chunkBound
}

// chunkBound holds the bounds of one chunk of sketchChunk keys.
type chunkBound struct {
	smax   float64 // ≥ max s_j
	k1     float64 // stage 1: ≥ max ‖κ_j‖ (the residual is per key, ucode)
	k2, u2 float64 // stage 2: ≥ max ‖c_j‖, ≥ max ‖k_j − (s_j/16)·c_j‖/(s_j/16)
	bad    bool    // a key outside the safe range: the chunk passes whole
}

func newSketch(d int) *sketch {
	// A coordinate's residual is at most one half step (s_j/2) and so
	// u1_j ≤ sqrt(d); 255 units of du cover that with 1% to spare.
	return &sketch{d: d, pairs: (d + 7) / 8, stride: (d + 15) / 16 * 16, du: math.Sqrt(float64(d)) * 1.01 / 255}
}

// up returns x·(1 + 2⁻³⁰): an upper bound of a non-negative float64
// result whose relative rounding error is below 2⁻³⁰ — a square root of a
// sum of d squares (relative error ≤ (d+1)·2⁻⁵³, d < 2²² here: quantise
// refuses larger d), a product or a quotient.
func up(x float64) float64 { return x * (1 + 0x1p-30) }

// add appends key k (len d).
func (s *sketch) add(k []float64) {
	j := s.n
	s.n++
	if j%sketchPanel == 0 {
		s.nib = grow(s.nib, s.pairs*64)
		s.codes = grow(s.codes, sketchPanel*s.stride)
		s.scale = grow(s.scale, sketchPanel)
		s.ucode = grow(s.ucode, sketchPanel)
	}
	if j%sketchChunk == 0 {
		s.ch = append(s.ch, chunkBound{})
	}
	b := &s.ch[j/sketchChunk]
	var m float64
	for _, v := range k {
		m = max(m, math.Abs(v))
	}
	if m == 0 {
		return // scale 0: the zero key, exact whatever the codes
	}
	// Within [2⁻⁹⁰, 2¹⁰⁰] every float32 scale, step and product below
	// stays normal and finite.
	if m > 0x1p100 || m < 0x1p-90 {
		b.bad = true
		return
	}
	sc := float32(m / 7.5)
	for float64(sc)*7.5 < m {
		sc = math.Nextafter32(sc, float32(math.Inf(1)))
	}
	s.scale[j] = sc
	b.smax = max(b.smax, float64(sc))
	// Stage 1: h = ⌊k/s⌋ + 8 ∈ [0, 15] (|k/s| ≤ 7.5), level κ = 2h − 15,
	// value (s/2)·κ, exact in float64 (24 bits × 5 bits).
	st1 := float64(sc)
	half := st1 / 2
	base := (j/sketchPanel)*s.pairs*64 + (j%sketchPanel)*4
	var e1, kk1 float64
	for t, v := range k {
		h := math.Floor(v/st1) + 8
		h = max(0, min(15, h)) // only rounding of v/st1 at ±7.5 could leave [0, 15]
		s.nib[base+(t/8)*64+t%4] |= uint8(h) << (t % 8 / 4 * 4)
		kap := 2*h - 15
		r := v - half*kap
		e1 += r * r
		kk1 += kap * kap
	}
	// u1 carries up's 2⁻³⁰ margin, far above the rounding of uc·du, so
	// uc·du ≥ u1 in float64 means it in reals too.
	u1 := up(up(math.Sqrt(e1)) / half)
	uc := math.Ceil(u1 / s.du)
	for uc*s.du < u1 {
		uc++
	}
	if uc > 255 {
		b.bad = true // beyond sqrt(d)·1.01: cannot happen; safe anyway
		return
	}
	s.ucode[j] = uint8(uc)
	b.k1 = max(b.k1, up(math.Sqrt(kk1)))
	// Stage 2: c = round(k/(s/16)) ∈ [−120, 120], value (s/16)·c, exact.
	st2 := st1 / 16
	inv := 1 / st2 // |v·inv| ≤ 120·(1 + 2⁻⁵¹): rounds into [−120, 120]
	row := s.codes[j*s.stride : j*s.stride+s.d]
	var e2, kk2 float64
	for t, v := range k {
		c := math.RoundToEven(v * inv)
		row[t] = int8(c)
		r := v - st2*c
		e2 += r * r
		kk2 += c * c
	}
	b.u2 = max(b.u2, up(up(math.Sqrt(e2))/st2))
	b.k2 = max(b.k2, up(math.Sqrt(kk2)))
}

// qsketch is a query quantised for both stages.
type qsketch struct {
	q8   []int8  // stage 1 codes, 8·pairs, zero padded
	q16  []int16 // stage 2 codes, stride, zero padded
	sig1 float64 // q ≈ sig1·q8
	sig2 float64 // q ≈ sig2·q16
	eq1  float64 // ≥ ‖q − sig1·q8‖
	eq2  float64 // ≥ ‖q − sig2·q16‖
	cn1  float64 // ≥ ‖q8‖
	cn2  float64 // ≥ ‖q16‖
	qn   float64 // ≥ ‖q‖
	sum8 int64   // Σ q8
}

// stageBounds are one chunk's kernel arguments for one query (ok false:
// the stage passes the chunk whole).
type stageBounds struct {
	a1       f4args // stage 1
	off2     int32  // stage 2: ⌈A⌉
	t2       float32
	ok1, ok2 bool
}

// f4args are stage 1's kernel arguments: D = (Σ q8·h << shift) + off +
// ucode·mult, passing when fl32(fl32(D)·s_j) > t.
type f4args struct {
	off, mult int32
	shift     uint32
	t         float32
}

// quantise fills qs for q; false when q is zero or out of the safe range,
// or d so large that the codes would leave int32 sums too little room
// (the caller then uses the index).
func (s *sketch) quantise(q []float64, qs *qsketch) bool {
	var m float64
	for _, v := range q {
		m = max(m, math.Abs(v))
	}
	if !(m > 0x1p-90 && m < 0x1p100) {
		return false
	}
	// Stage 2: |D| ≤ stride·120·qmax, plus ⌈A⌉ ≤ ~stride·qmax (see
	// stageArgs), must fit in int32; stage 1 is far inside at such d.
	qmax := min(32767, (1<<31-1)/(128*s.stride))
	if qmax < 64 {
		return false
	}
	if cap(qs.q8) < 8*s.pairs {
		qs.q8 = make([]int8, 8*s.pairs)
	}
	if cap(qs.q16) < s.stride {
		qs.q16 = make([]int16, s.stride)
	}
	qs.q8, qs.q16 = qs.q8[:8*s.pairs], qs.q16[:s.stride]
	clear(qs.q8)
	clear(qs.q16)
	qs.sig1, qs.sig2 = m/127, m/float64(qmax)
	var e1, e2, c1, c2, qn float64
	var sum int64
	for t, v := range q {
		a := max(-127, min(127, math.RoundToEven(v/qs.sig1)))
		b := max(-float64(qmax), min(float64(qmax), math.RoundToEven(v/qs.sig2)))
		qs.q8[t], qs.q16[t] = int8(a), int16(b)
		sum += int64(a)
		r1, r2 := v-qs.sig1*a, v-qs.sig2*b
		e1, e2 = e1+r1*r1, e2+r2*r2
		c1, c2 = c1+a*a, c2+b*b
		qn += v * v
	}
	qs.sum8 = sum
	qs.qn = up(math.Sqrt(qn))
	// the residuals r are computed with a rounding of at most 2⁻⁵³·|v|:
	// 1e-15·‖q‖ covers their sum.
	qs.eq1 = up(math.Sqrt(e1)) + 1e-15*qs.qn
	qs.eq2 = up(math.Sqrt(e2)) + 1e-15*qs.qn
	qs.cn1, qs.cn2 = up(math.Sqrt(c1)), up(math.Sqrt(c2))
	return true
}

// stageArgs returns the integer terms and the float32 threshold of one
// stage for the kernel's test fl32(fl32(D')·s_j) > t with
// D' = 2^sh·D + off + code_j·mult ≥ 2^sh·(D + A_j) (see the bound above),
// A_j = (eq·kk + qn·(u + du·code_j))/sig: cf = c/f where f·s_j is the
// stage's step (f = 1/2, 1/16: cf is exact); sig, eq, cn, qn the query's
// scale, error bound, code norm and norm; smax, kk, u, du the chunk's
// bounds on s_j, on the code norm and on the residual per step (a chunk
// bound u, or per key: du per unit of code_j). 2^sh, sh ≤ maxShift, is
// the resolution of the integer terms (the bound is rounded up to a
// multiple of 2^−sh instead of 1). False: the chunk passes the stage whole.
func stageArgs(cf, sig, eq, cn, qn, smax, kk, u, du float64, maxShift int) (off int64, mult int32, sh uint32, t float32, ok bool) {
	a0 := up(up(eq*kk+qn*u) / sig)
	a1 := up(up(qn*du) / sig)
	dmax := up(cn*kk) + a0 + 255*a1 + 2 // ≥ |D + A_j| + rounding up
	if !(dmax < 1<<30) {
		return 0, 0, 0, 0, false
	}
	for int(sh) < maxShift && dmax*float64(uint64(2)<<sh) < 1<<30 {
		sh++
	}
	m := float64(uint64(1) << sh)
	o, mu := math.Ceil(a0*m), math.Ceil(a1*m)
	dm := up(cn*kk)*m + o + 255*mu // ≥ |D'|: < 2^31, exact in int32
	b := up(smax * dm)             // ≥ |s_j·D'|
	u0 := cf / sig * m
	tt := u0 - 3*0x1p-24*b*(1+1e-6) - 0x1p-148 - 1e-12*(math.Abs(u0)+b)
	if !(math.Abs(tt) < 1e37 && b < 1e37 && dm < 1<<31-1) {
		return 0, 0, 0, 0, false
	}
	t = float32(tt)
	if float64(t) > tt {
		t = math.Nextafter32(t, float32(math.Inf(-1)))
	}
	return int64(o), int32(mu), sh, t, true
}

// bounds returns the kernel arguments of chunk ch for the query <q, k> > c.
func (s *sketch) bounds(qs *qsketch, c float64, ch int) stageBounds {
	b := &s.ch[ch]
	var r stageBounds
	if b.bad {
		return r
	}
	if o, mu, sh, t, ok := stageArgs(2*c, qs.sig1, qs.eq1, qs.cn1, qs.qn, b.smax, b.k1, 0, s.du, 8); ok {
		// D = Σ q8·(2h − 15) = 2·Σ q8·h − 15·Σ q8; the kernel sums q8·h
		// and shifts it by sh+1. Its int32 steps wrap, and D' fits in
		// int32 (checked): the result is exact modulo 2³² and so exact,
		// and so is off's wrap here.
		r.a1 = f4args{off: int32(o - 15*qs.sum8<<sh), mult: mu, shift: sh + 1, t: t}
		r.ok1 = true
	}
	if o, _, _, t, ok := stageArgs(16*c, qs.sig2, qs.eq2, qs.cn2, qs.qn, b.smax, b.k2, b.u2, 0, 0); ok {
		r.off2, r.t2, r.ok2 = int32(o), t, true
	}
	return r
}

// stage1 writes mask[x] (bit i: key sketchPanel·(p0+x)+i) for np panels
// from panel p0 (see f4args).
func (s *sketch) stage1(qs *qsketch, p0, np int, a *f4args, mask []uint16) {
	pb := s.pairs * 64
	nib := s.nib[p0*pb : (p0+np)*pb]
	scale := s.scale[p0*sketchPanel : (p0+np)*sketchPanel]
	uc := s.ucode[p0*sketchPanel : (p0+np)*sketchPanel]
	switch {
	case useVNNI:
		var ids [sketchChunk + sketchPanel]int32 // not read: stage1Ids reads them
		for x := 0; x < np; x += sketchChunk / sketchPanel {
			k := min(np-x, sketchChunk/sketchPanel)
			qfilter4VNNI(k, s.pairs, &qs.q8[0], &nib[x*pb], &scale[x*sketchPanel], &uc[x*sketchPanel], a, &mask[x], &ids[0], 0)
		}
	case useQKernel:
		qfilter4Asm(np, s.pairs, &qs.q8[0], &nib[0], &scale[0], &uc[0], a, &mask[0])
	default:
		qfilter4Go(np, s.pairs, qs.q8, nib, scale, uc, a, mask)
	}
}

// stage1Ids is stage1 for the keys [c0, c0 + 16·np) (c0 = 16·p0) that
// also writes the numbers of the keys that pass, ascending, to ids and
// returns how many; ids needs room for 16·np + 16 entries. The AVX-512
// kernel writes them itself (VPCOMPRESSD); the others' masks are read
// here.
func (s *sketch) stage1Ids(qs *qsketch, c0, np int, a *f4args, mask []uint16, ids []int32) int {
	if useVNNI {
		p0 := c0 / sketchPanel
		pb := s.pairs * 64
		_ = ids[sketchPanel*np+sketchPanel-1]
		return qfilter4VNNI(np, s.pairs, &qs.q8[0], &s.nib[p0*pb], &s.scale[c0], &s.ucode[c0], a, &mask[0], &ids[0], c0)
	}
	s.stage1(qs, c0/sketchPanel, np, a, mask[:np])
	return maskIds(mask[:np], c0, ids)
}

// maskIds writes c0 + 16·y + i for every bit i of mask[y], ascending, to
// ids and returns how many.
func maskIds(mask []uint16, c0 int, ids []int32) int {
	n := 0
	for y, mb := range mask {
		for mb != 0 {
			ids[n] = int32(c0 + y*sketchPanel + bits.TrailingZeros16(mb))
			n++
			mb &= mb - 1
		}
	}
	return n
}

// qfilter4Go is the portable stage-1 kernel (the assembly's contract):
// for each key D = (Σ q·h << a.shift) + a.off + ucode·a.mult exactly in
// int32 (wrapping), then fl32(fl32(D)·scale) > a.t.
func qfilter4Go(np, pairs int, q []int8, nib []uint8, scale []float32, ucode []uint8, a *f4args, mask []uint16) {
	for x := 0; x < np; x++ {
		var m uint16
		for i := 0; i < sketchPanel; i++ {
			var acc int32
			for p := 0; p < pairs; p++ {
				o := (x*pairs+p)*64 + i*4
				for u := 0; u < 4; u++ {
					b := nib[o+u]
					acc += int32(q[8*p+u])*int32(b&15) + int32(q[8*p+4+u])*int32(b>>4)
				}
			}
			k := x*sketchPanel + i
			dd := acc<<a.shift + a.off + int32(ucode[k])*a.mult
			if float32(float32(dd)*scale[k]) > a.t {
				m |= 1 << i
			}
		}
		mask[x] = m
	}
}

// stage2 keeps, of the candidate keys ids (ascending), those with
// fl32(fl32(Σ q16·c + off)·s_j) > t, in place; it returns how many.
func (s *sketch) stage2(qs *qsketch, ids []int32, off int32, t float32) int {
	if len(ids) == 0 {
		return 0
	}
	if useQKernel {
		return qcheckAsm(len(ids), &ids[0], &s.codes[0], s.stride, &qs.q16[0], &s.scale[0], off, t)
	}
	return qcheckGo(ids, s.codes, s.stride, qs.q16, s.scale, off, t)
}

// qcheckGo is the portable stage-2 kernel (the assembly's contract).
func qcheckGo(ids []int32, codes []int8, stride int, q []int16, scale []float32, off int32, t float32) int {
	k := 0
	for _, j := range ids {
		row := codes[int(j)*stride : int(j+1)*stride]
		var acc int32
		for x, c := range row {
			acc += int32(q[x]) * int32(c)
		}
		if float32(float32(acc+off)*scale[j]) > t {
			ids[k] = j
			k++
		}
	}
	return k
}

// filterRange answers the query for keys [lo, hi) (lo a multiple of
// sketchChunk) into r: every key j with exact <q, k_j> > c, ascending,
// with its float64 dot product (dot, as every path). With relu != nil the
// keys are weighed at once and summed into r.part and r.sum as finish
// would (segment order, see sumSegments), r.dots then holding the weights
// and r.ids only keys of positive weight.
//
// The chunks go through a software pipeline so that each cache miss has a
// chunk's streaming time to arrive. At step x: stage 1 streams chunk x
// and its candidates' stage-2 rows are prefetched; chunk x−1's candidates
// are checked by stage 2 and the K and V rows of its survivors
// prefetched; chunk x−2's survivors are re-scored exactly (in key order:
// the sums are those of a plain ascending pass). Prefetching V only for
// the keys found to have a weight, a step later, saves the ~15% of the
// survivors' V rows that are not needed, but measured 8% slower per
// decode than asking for both rows together.
func (st *store) filterRange(qs *qsketch, q []float64, c float64, lo, hi int, r *segResult, relu *Params) {
	s := st.sk
	d, dv := st.d, st.dv
	ids, dots := r.ids[:0], r.dots[:0]
	var part []float64
	var scale float64
	if relu != nil {
		if cap(r.part) < dv {
			r.part = make([]float64, dv)
		}
		part = r.part[:dv]
		clear(part)
		r.sum = 0
		scale = relu.scale(d)
	}
	const ring = 3
	var mask [sketchChunk / sketchPanel]uint16
	var cand [ring][sketchChunk + sketchPanel]int32
	var nc [ring]int
	var bd [ring]stageBounds
	cands := 0
	nch := (hi - lo + sketchChunk - 1) / sketchChunk
	for x := 0; x < nch+2; x++ {
		if x < nch {
			c0 := lo + x*sketchChunk
			c1 := min(hi, c0+sketchChunk)
			np := (c1 - c0 + sketchPanel - 1) / sketchPanel
			b := s.bounds(qs, c, c0/sketchChunk)
			bd[x%ring] = b
			l := &cand[x%ring]
			n := 0
			if b.ok1 {
				n = s.stage1Ids(qs, c0, np, &b.a1, mask[:], l[:])
			} else {
				for j := c0; j < c1; j++ {
					l[n] = int32(j)
					n++
				}
			}
			// The last panel may hold keys past hi (zero keys, or keys
			// past a causal prefix): the ids are ascending.
			for n > 0 && int(l[n-1]) >= c1 {
				n--
			}
			nc[x%ring] = n
			if b.ok2 && n > 0 {
				prefetchRows(n, &l[0], unsafe.Pointer(&s.codes[0]), s.stride, s.stride)
			}
		}
		if y := x - 1; y >= 0 && y < nch {
			l := cand[y%ring][:nc[y%ring]]
			if b := bd[y%ring]; b.ok2 {
				l = l[:s.stage2(qs, l, b.off2, b.t2)]
			}
			nc[y%ring] = len(l)
			if len(l) > 0 {
				prefetchRows(len(l), &l[0], unsafe.Pointer(&st.keys[0]), 8*d, 8*d)
				prefetchRows(len(l), &l[0], unsafe.Pointer(&st.vals[0]), 8*dv, 8*dv)
			}
		}
		if y := x - 2; y >= 0 {
			l := cand[y%ring][:nc[y%ring]]
			cands += len(l)
			for _, j32 := range l {
				j := int(j32)
				dt := dot(q, st.keys[j*d:(j+1)*d])
				if !(dt > c) {
					continue
				}
				if relu != nil {
					a := reluWeight(dt, scale, relu.B, relu.Alpha, !relu.Unscaled)
					if a == 0 {
						continue
					}
					dt = a
					r.sum += a
					axpy(a, st.vals[j*dv:(j+1)*dv], part)
				}
				ids = append(ids, j)
				dots = append(dots, dt)
			}
		}
	}
	r.ids, r.dots, r.cands = ids, dots, cands
}

// filter answers the half-space query <q, k> > c over the first lim keys
// through the sketch, one segment of sketchSegment keys at a time, using
// up to par goroutines; the segments' results are in w.seg[:nseg] (see
// filterRange for relu). False when q cannot be quantised.
func (st *store) filter(q []float64, c float64, lim, par int, w *work, relu *Params) (stats hsr.Stats, nseg int, ok bool) {
	if !st.sk.quantise(q, &w.q) {
		return hsr.Stats{}, 0, false
	}
	nseg = (lim + sketchSegment - 1) / sketchSegment
	for len(w.seg) < nseg {
		w.seg = append(w.seg, segResult{})
	}
	var next atomic.Int64
	run := func() {
		for {
			g := int(next.Add(1)) - 1
			if g >= nseg {
				return
			}
			st.filterRange(&w.q, q, c, g*sketchSegment, min(lim, (g+1)*sketchSegment), &w.seg[g], relu)
		}
	}
	var wg sync.WaitGroup
	for range min(par, nseg) - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); run() }()
	}
	run()
	wg.Wait()
	cands := 0
	for _, r := range w.seg[:nseg] {
		cands += r.cands
	}
	nch := (lim + sketchChunk - 1) / sketchChunk
	return hsr.Stats{NodesVisited: nch, LeavesScanned: nch, DotProducts: lim + cands, Reported: cands}, nseg, true
}

// segResult is one segment's share of a sketch filter.
type segResult struct {
	ids   []int
	dots  []float64
	cands int
	part  []float64 // ReLU: Σ a_j v_j over the segment's keys, ascending
	sum   float64   // ReLU: Σ a_j
}

// chooser decides, for the automatic index, whether a query goes to the
// tree (hsr.Auto: tree, or float64 scan where the tree loses) or to the
// sketch. It compares work in hsr's units (one float64 dot product of a
// point): the tree's is read off each tree query's Stats (Stats.Work: hsr's
// own weight per node entered plus its dot products); the sketch's is estimated as
// sketchCost(d) per key filtered plus 3 per reported key (its exact
// re-check is a cache miss).
// Queries start on the tree; once a tree query costs more than the sketch
// would have, queries go to the sketch and the tree is probed again after
// 64 queries, then 128, … up to 4096 while the sketch stays cheaper (so a
// probe costs at most a few percent over many queries). The choice changes
// only the work, never the row: both report a superset of the keys with a
// positive weight, re-scored exactly.
type chooser struct {
	useSketch atomic.Bool
	since     atomic.Int64 // sketch queries since the last probe
	every     atomic.Int64 // probe period
}

// sketchCost is the sketch's filter cost per key in units of one float64
// point dot product, whose time hsr's calibration puts at ~0.3 ns per
// coordinate and at least ~1 ns: stage 1 streams 4·⌈d/8⌉ + 5 bytes per
// key (~0.036 ns a byte) plus ~0.3 ns per key of kernel and mask work:
// 0.085 at d = 64 (0.14 for the one-stage int8 sketch before it). The
// scattered rows (stage 2, exact re-check) are in observe's term per
// reported key, which was not re-measured for the two stages.
func sketchCost(d int) float64 {
	return (0.036*float64(4*((d+7)/8)+5) + 0.3) / max(1, 0.3*float64(d))
}

// sketch says whether this query goes to the sketch (false: to the tree,
// either as the current choice or as a probe).
func (c *chooser) sketch() bool {
	if !c.useSketch.Load() {
		return false
	}
	if c.since.Add(1) >= c.every.Load() {
		c.since.Store(0)
		return false
	}
	return true
}

// observe records a tree query's work.
func (c *chooser) observe(st hsr.Stats, lim, reported, d int) {
	tree := st.Work(d)
	sk := sketchCost(d)*float64(lim) + 3*float64(reported)
	if tree > sk {
		c.every.Store(min(4096, max(64, 2*c.every.Load())))
		c.useSketch.Store(true)
		return
	}
	c.every.Store(0)
	c.useSketch.Store(false)
}
