package viz

import (
	"math"

	"github.com/hsrviz/hsrviz/hsr"
)

// The geometry panel's coordinates. For d = 2 a key is drawn where it is.
// For d > 2 a key k is drawn at (<k, q̂>, <k, u>) with q̂ = q/‖q‖ and u the
// keys' first principal direction orthogonal to q: the horizontal axis is
// exactly the query direction, so the boundary {x : <q,x> = c} is the
// vertical line x = c/‖q‖ and every key is drawn on its true side.

// projection maps keys of dimension d to the panel's plane.
type projection struct {
	d      int
	exact  bool      // d == 2: identity
	qhat   []float64 // horizontal axis (d > 2)
	u      []float64 // vertical axis (d > 2)
	qnorm  float64
	q      []float64
	c      float64 // report <q,x> > c
	jitter bool    // d == 1: vertical axis is a deterministic spread for legibility
}

func newProjection(q []float64, c float64, cov []float64) projection {
	d := len(q)
	pr := projection{d: d, q: q, c: c, qnorm: math.Sqrt(dot(q, q))}
	switch {
	case d == 2:
		pr.exact = true
	case d == 1:
		pr.jitter = true
	default:
		pr.qhat = make([]float64, d)
		if pr.qnorm > 0 {
			for t := range q {
				pr.qhat[t] = q[t] / pr.qnorm
			}
		} else {
			pr.qhat[0] = 1
		}
		pr.u = principalOrthogonal(cov, pr.qhat)
	}
	return pr
}

// dot is the engine's dot product (hsr.Dot): the projection that decides
// which side of the line a key is drawn on rounds as the index does.
func dot(a, b []float64) float64 { return hsr.Dot(a, b) }

// principalOrthogonal is the top eigenvector of P·C·P, P = I − h·hᵀ, by
// power iteration from a fixed start (deterministic); if C has no spread
// orthogonal to h, any unit vector orthogonal to h.
func principalOrthogonal(cov, h []float64) []float64 {
	d := len(h)
	v := make([]float64, d)
	for t := range v {
		v[t] = 1 / math.Sqrt(float64(d)) * (1 + 0.01*float64(t))
	}
	orth := func(x []float64) {
		p := dot(x, h)
		for t := range x {
			x[t] -= p * h[t]
		}
	}
	norm := func(x []float64) bool {
		n := math.Sqrt(dot(x, x))
		if n == 0 || math.IsNaN(n) {
			return false
		}
		for t := range x {
			x[t] /= n
		}
		return true
	}
	orth(v)
	if !norm(v) {
		v[0], v[1] = -h[1], h[0]
		orth(v)
		norm(v)
	}
	w := make([]float64, d)
	for it := 0; it < 60; it++ {
		for t := 0; t < d; t++ {
			w[t] = dot(cov[t*d:(t+1)*d], v)
		}
		orth(w)
		if !norm(w) {
			break
		}
		copy(v, w)
	}
	return v
}

// xy is the drawn position of key k (id j, for the d = 1 jitter).
func (pr *projection) xy(k []float64, j int) (x, y float64) {
	switch {
	case pr.exact:
		return k[0], k[1]
	case pr.jitter:
		sgn := 1.0
		if pr.q[0] < 0 {
			sgn = -1
		}
		// golden-ratio spread in [−1, 1): a stable, even vertical scatter
		f := math.Mod(float64(j)*0.6180339887498949, 1)
		return sgn * k[0], 2*f - 1
	default:
		return dot(k, pr.qhat), dot(k, pr.u)
	}
}

// boundaryX is the horizontal position of the boundary (d ≠ 2).
func (pr *projection) boundaryX() float64 {
	if pr.qnorm == 0 {
		return math.NaN()
	}
	return pr.c / pr.qnorm
}

// side reports whether the drawn point (x, y) is in the reported half-plane,
// in the panel's own coordinates.
func (pr *projection) side(x, y float64) bool {
	switch {
	case pr.exact:
		return pr.q[0]*x+pr.q[1]*y > pr.c
	default:
		return pr.qnorm*x > pr.c
	}
}

// halfPlane returns (a0, a1, c) with the reported half-plane = {a0·x + a1·y > c}
// in the panel's coordinates.
func (pr *projection) halfPlane() (a0, a1, c float64) {
	if pr.exact {
		return pr.q[0], pr.q[1], pr.c
	}
	return pr.qnorm, 0, pr.c
}

// queryArrow is the drawn tip of the query vector.
func (pr *projection) queryArrow() (x, y float64) {
	if pr.exact {
		return pr.q[0], pr.q[1]
	}
	return pr.qnorm, 0
}

// clipHalfPlane clips the convex polygon (xs, ys) to {a0·x + a1·y ≥ c}
// (Sutherland–Hodgman against one line).
func clipHalfPlane(xs, ys []float64, a0, a1, c float64) ([]float64, []float64) {
	var ox, oy []float64
	n := len(xs)
	in := func(i int) bool { return a0*xs[i]+a1*ys[i] >= c }
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		ii, ij := in(i), in(j)
		if ii {
			ox, oy = append(ox, xs[i]), append(oy, ys[i])
		}
		if ii != ij {
			fi := a0*xs[i] + a1*ys[i] - c
			fj := a0*xs[j] + a1*ys[j] - c
			t := fi / (fi - fj)
			ox = append(ox, xs[i]+t*(xs[j]-xs[i]))
			oy = append(oy, ys[i]+t*(ys[j]-ys[i]))
		}
	}
	return ox, oy
}

// view maps data coordinates to screen pixels with equal scale on both axes
// (d = 2) or independent scales (projections, where the axes differ).
type view struct {
	x0, y0, x1, y1 float64 // data bounds
	px, py, pw, ph float32 // screen rect
	sx, sy         float64
}

func newView(x0, x1, y0, y1 float64, px, py, pw, ph float32, equal bool) view {
	if x1-x0 < 1e-12 {
		x0, x1 = x0-1, x1+1
	}
	if y1-y0 < 1e-12 {
		y0, y1 = y0-1, y1+1
	}
	v := view{x0: x0, x1: x1, y0: y0, y1: y1, px: px, py: py, pw: pw, ph: ph}
	v.sx = float64(pw) / (x1 - x0)
	v.sy = float64(ph) / (y1 - y0)
	if equal {
		s := math.Min(v.sx, v.sy)
		// grow the data bounds to fill the rect at the common scale
		cx, cy := (x0+x1)/2, (y0+y1)/2
		hw, hh := float64(pw)/s/2, float64(ph)/s/2
		v.x0, v.x1, v.y0, v.y1 = cx-hw, cx+hw, cy-hh, cy+hh
		v.sx, v.sy = s, s
	}
	return v
}

func (v view) X(x float64) float32 { return v.px + float32((x-v.x0)*v.sx) }
func (v view) Y(y float64) float32 { return v.py + v.ph - float32((y-v.y0)*v.sy) }
