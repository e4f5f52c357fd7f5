package viz

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// The scaling series: keys used and work per query row vs n, on prefixes of
// the current keys (2^8, 2^9, … up to n: gen's keys are a stream, so a
// prefix is exactly the key set of that size), each with its own engines,
// the rows computed by attention.Engine.Row at that size's threshold. One
// engine build or one row per unit of work, so that the page never
// freezes.

type scalingKey struct {
	data, q int
	paperB  bool
	b       float64
	kind    attention.Kind
	gamma   float64
	index   hsr.IndexKind
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
	out           []float64
}

// maxScalingQueries is the number of queries averaged per size. It is the
// same m as the rows' (the Numbers panel) whenever m ≤ 32.
const maxScalingQueries = 32

func scalingSizes(n int) []int {
	var s []int
	for k := 256; k < n; k *= 2 {
		s = append(s, k)
	}
	return append(s, n)
}

// scaleEngines is the cache of the prefix engines of the current dataset.
type scaleEngines [3]*attention.Engine

// stepScaling runs one unit of the scaling series.
func (a *App) stepScaling() error {
	sj := a.scaling
	if sj == nil || sj.complete {
		return nil
	}
	ds := a.data
	nn := sj.sizes[sj.next]
	want := sj.key.index
	var e *attention.Engine
	if nn == ds.n {
		e = ds.engine(want)
	} else {
		se := a.scaleIdx[nn]
		if se == nil {
			se = &scaleEngines{}
			s, err := attention.NewEngineWith(mat.NewDense(nn, ds.d, ds.K[:nn*ds.d]),
				mat.NewDense(nn, ds.dv, ds.V[:nn*ds.dv]), hsr.IndexScan, engineOptions)
			if err != nil {
				return err
			}
			se[hsr.IndexScan] = s
			a.scaleIdx[nn] = se
			a.indexBuilds++
			return nil
		}
		if se[want] == nil {
			if err := buildTreeEngines((*[3]*attention.Engine)(se)); err != nil {
				return err
			}
			a.indexBuilds++
			return nil
		}
		e = se[want]
	}
	d := ds.d
	q := a.q[sj.qi*d : (sj.qi+1)*d]
	ap := a.scalingParams(nn)
	if len(sj.out) != ds.dv {
		sj.out = make([]float64, ds.dv)
	}
	row, err := e.Row(q, sj.qi, ap, sj.out)
	if err != nil {
		return err
	}
	sj.acc.reported += float64(row.Count)
	sj.acc.dots += float64(row.Stats.DotProducts)
	sj.acc.nodes += float64(row.Stats.NodesVisited)
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
			sj.slopeReported, sj.interReported = sj.fit(func(p scalePoint) float64 { return p.reported })
			sj.slopeDots, sj.interDots = sj.fit(func(p scalePoint) float64 { return p.dots })
		}
	}
	return nil
}

// scalingParams is the attention at size nn: the paper's threshold for nn
// keys when b follows it, top r = nn^γ for softmax.
func (a *App) scalingParams(nn int) attention.Params {
	p := a.p
	p.N = nn
	if a.scaling.key.paperB {
		p.B = p.paperB()
	}
	return p.attention()
}

// fit is attention.FitPowerLaw over the series' points.
func (sj *scalingJob) fit(y func(scalePoint) float64) (slope, intercept float64) {
	xs := make([]float64, len(sj.points))
	ys := make([]float64, len(sj.points))
	for i, p := range sj.points {
		xs[i], ys[i] = float64(p.n), y(p)
	}
	return attention.FitPowerLaw(xs, ys)
}

// noSlope says why the series has no fitted slope ("" when it has one): a
// slope needs two sizes with something to fit.
func (sj *scalingJob) noSlope() string {
	if len(sj.sizes) < 2 {
		return fmt.Sprintf("n = %s is one size: a slope needs two (raise n above 256)", fmtInt(sj.sizes[len(sj.sizes)-1]))
	}
	used := 0
	for _, p := range sj.points {
		if p.reported > 0 {
			used++
		}
	}
	if used < 2 {
		return "no keys reported at two sizes: no slope (lower b)"
	}
	return ""
}
