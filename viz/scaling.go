package viz

import (
	"math"

	"github.com/hsrviz/hsrviz/hsr"
)

// The scaling series: reported keys and work per query vs n, on prefixes of
// the current keys (2^8, 2^9, … up to n), one index build or one query per
// unit of work, so that the page never freezes.

type scalingKey struct {
	data, q int
	paperB  bool
	b       float64
	kind    string
	gamma   float64
	index   string
}

type scalePoint struct {
	n              int
	reported, dots float64 // per query, mean over the queries
	nodes          float64
	queries        int
}

type scalingJob struct {
	key           scalingKey
	sizes         []int
	mq            int // queries per size
	next, qi      int
	acc           scalePoint
	points        []scalePoint
	complete      bool
	slopeReported float64
	slopeDots     float64
	interReported float64 // intercept of the fit (log10)
	interDots     float64
}

// maxScalingQueries is the number of queries averaged per size.
const maxScalingQueries = 16

func scalingSizes(n int) []int {
	var s []int
	for k := 256; k < n; k *= 2 {
		s = append(s, k)
	}
	return append(s, n)
}

// scaleIndex is the cache of prefix indexes of the current dataset.
type scaleIndex struct {
	scan *hsr.Scan
	tree hsr.Index
	auto hsr.Index
}

func (a *App) stepScaling() bool {
	sj := a.scaling
	if sj == nil || sj.complete {
		return false
	}
	ds := a.data
	nn := sj.sizes[sj.next]
	var ix hsr.Index
	var pts []float64
	if nn == ds.n {
		ix = ds.index(sj.key.index)
		pts = ds.K
	} else {
		si := a.scaleIdx[nn]
		if si == nil {
			si = &scaleIndex{scan: hsr.NewScan(ds.d, ds.K[:nn*ds.d])}
			a.indexBuilds++
			a.scaleIdx[nn] = si
			return true
		}
		pts = si.scan.Points()
		want := sj.key.index
		if want != "scan" && si.tree == nil && buildIndexes != nil {
			si.tree, si.auto = buildIndexes(ds.d, pts)
			a.indexBuilds++
			return true
		}
		switch {
		case want == "tree" && si.tree != nil:
			ix = si.tree
		case want == "auto" && si.auto != nil:
			ix = si.auto
		default:
			ix = si.scan
		}
	}
	d := ds.d
	q := a.q[sj.qi*d : (sj.qi+1)*d]
	var c float64
	if sj.key.kind == "softmax" {
		c = topRThreshold(ix, pts, d, q, TopR(nn, sj.key.gamma))
	} else {
		b := sj.key.b
		if sj.key.paperB {
			b = PaperThreshold(nn, ds.key.sigma)
		}
		c = math.Sqrt(float64(d)) * b
	}
	st := ix.Query(q, c, func(int) bool { return true })
	sj.acc.reported += float64(st.Reported)
	sj.acc.dots += float64(st.DotProducts)
	sj.acc.nodes += float64(st.NodesVisited)
	sj.acc.queries++
	sj.qi++
	if sj.qi == sj.mq {
		p := sj.acc
		p.n = nn
		p.reported /= float64(p.queries)
		p.dots /= float64(p.queries)
		p.nodes /= float64(p.queries)
		sj.points = append(sj.points, p)
		sj.acc = scalePoint{}
		sj.qi = 0
		sj.next++
		if sj.next == len(sj.sizes) {
			sj.complete = true
			sj.slopeReported, sj.interReported = fitLogLog(sj.points, func(p scalePoint) float64 { return p.reported })
			sj.slopeDots, sj.interDots = fitLogLog(sj.points, func(p scalePoint) float64 { return p.dots })
		}
	}
	return true
}

// fitLogLog is the least-squares slope and intercept of log10 y against
// log10 n over the points with y > 0 (NaN when fewer than two).
func fitLogLog(pts []scalePoint, y func(scalePoint) float64) (slope, intercept float64) {
	var sx, sy, sxx, sxy, k float64
	for _, p := range pts {
		v := y(p)
		if v <= 0 {
			continue
		}
		x, yy := math.Log10(float64(p.n)), math.Log10(v)
		sx += x
		sy += yy
		sxx += x * x
		sxy += x * yy
		k++
	}
	if k < 2 {
		return math.NaN(), math.NaN()
	}
	den := k*sxx - sx*sx
	if den == 0 {
		return math.NaN(), math.NaN()
	}
	slope = (k*sxy - sx*sy) / den
	return slope, (sy - slope*sx) / k
}
