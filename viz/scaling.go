package viz

import (
	"fmt"
	"math"

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
	tau     TauMode // softmax: top r (slope γ) or every score ≥ b
}

type scalePoint struct {
	n              int
	reported, dots float64 // per query, mean over the queries
	nodes          float64
	work           float64 // the work model (numbers.go): search + attention, multiply-adds
	queries        int
}

type scalingJob struct {
	key           scalingKey
	sizes         []int
	mq            int // queries per size
	next, qi      int
	stepper       *attention.RowStepper // query qi's row in progress
	acc           scalePoint
	points        []scalePoint
	complete      bool
	slopeReported float64
	slopeDots     float64
	slopeWork     float64
	interReported float64 // intercept of the fit (log10)
	interDots     float64
	interWork     float64
	out           []float64
}

// maxScalingQueries caps the queries averaged per size: MaxM, so the series
// averages the same m queries as the Numbers panel's mean (one definition:
// the mean over the m queries; at n' = n the series' point is that mean).
const maxScalingQueries = MaxM

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
		ap := a.scalingParams(nn)
		if jb := a.rows; sj.qi == 0 && jb != nil && jb.complete && jb.key == a.rowsKey() && jb.m == sj.mq &&
			ap.B == jb.ap.B && ap.Kind == jb.ap.Kind && ap.TopR == jb.ap.TopR && ap.Index == jb.ap.Index {
			// At n' = n the rows job ran the same engine rows (same
			// queries, threshold, kind and index; α changes no count):
			// its counts are this point, in one unit.
			for i := range jb.rows {
				r := &jb.rows[i]
				sj.addRow(r.count, r.row.Stats, ds.d, ds.dv)
			}
			sj.qi = sj.mq
			sj.endPoint(nn)
			return nil
		}
		e = ds.engine(want)
	} else {
		se := a.scaleIdx[nn]
		if se == nil {
			// a slice of the prefix's scan engine per unit (kept with the
			// dataset, as the prefix trees below)
			if ds.scaleScans == nil {
				ds.scaleScans = map[int]*attention.EngineBuilder{}
			}
			eb := ds.scaleScans[nn]
			s, err := stepScanEngine(&eb, ds.K, ds.V, nn, ds.d, ds.dv)
			ds.scaleScans[nn] = eb
			if err != nil || s == nil {
				return err
			}
			delete(ds.scaleScans, nn)
			se = &scaleEngines{}
			se[hsr.IndexScan] = s
			a.scaleIdx[nn] = se
			a.indexBuilds++
			return nil
		}
		if se[want] == nil {
			// a slice of the prefix's tree per unit (kept with the
			// dataset: a new series of the same keys goes on with it)
			if ds.scaleTrees == nil {
				ds.scaleTrees = map[int]*hsr.TreeBuilder{}
			}
			tb := ds.scaleTrees[nn]
			done, err := stepTreeEngines((*[3]*attention.Engine)(se), &tb)
			ds.scaleTrees[nn] = tb
			if err != nil || !done {
				return err
			}
			delete(ds.scaleTrees, nn)
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
	row, done, err := stepRow(&sj.stepper, e, q, sj.qi, ap, sj.out)
	if err != nil || !done {
		return err
	}
	sj.addRow(row.Count, row.Stats, d, ds.dv)
	sj.qi++
	if sj.qi == sj.mq {
		sj.endPoint(nn)
	}
	return nil
}

// addRow adds one query row's count and work to the point in progress.
func (sj *scalingJob) addRow(count int, st hsr.Stats, d, dv int) {
	sj.acc.reported += float64(count)
	sj.acc.dots += float64(st.DotProducts)
	sj.acc.nodes += float64(st.NodesVisited)
	sj.acc.work += searchWork(st, d) + attnWork(count, d, dv)
	sj.acc.queries++
}

// endPoint closes the point of size nn (its mq queries are in) and, after
// the last size, fits the slopes.
func (sj *scalingJob) endPoint(nn int) {
	p := sj.acc
	p.n = nn
	p.reported /= float64(p.queries)
	p.dots /= float64(p.queries)
	p.nodes /= float64(p.queries)
	p.work /= float64(p.queries)
	sj.points = append(sj.points, p)
	sj.acc = scalePoint{}
	sj.qi = 0
	sj.next++
	if sj.next == len(sj.sizes) {
		sj.complete = true
		sj.slopeReported, sj.interReported = sj.fit(func(p scalePoint) float64 { return p.reported })
		sj.slopeDots, sj.interDots = sj.fit(func(p scalePoint) float64 { return p.dots })
		sj.slopeWork, sj.interWork = sj.fit(func(p scalePoint) float64 { return p.work })
	}
}

// scalingParams is the attention at size nn: the paper's threshold for nn
// keys with the measured spread (App.paperBAt) when b follows it, top
// r = nn^γ for softmax.
func (a *App) scalingParams(nn int) attention.Params {
	p := a.p
	p.N = nn
	if a.scaling.key.paperB {
		p.B = a.paperBAt(nn)
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

// theorySlope is the slope the theory gives the reported count against n
// in the series' setting: 4/5 at the paper's threshold (the bound n^(4/5)
// on the mean), 1 at a fixed b (the count is n·P(score > b)), γ for the
// softmax's top r = n^γ.
func (sj *scalingJob) theorySlope() float64 {
	switch {
	case sj.key.kind == attention.Softmax && sj.key.tau == TauTopR:
		return sj.key.gamma
	case sj.key.paperB:
		return 0.8
	}
	return 1
}

// theoryLabel names the theory line of the scaling panel.
func (sj *scalingJob) theoryLabel() string {
	switch {
	case sj.key.kind == attention.Softmax && sj.key.tau == TauTopR:
		return "theory: r = n^γ, slope γ = " + fmtNum(sj.key.gamma)
	case sj.key.paperB:
		return "theory: n^(4/5) at the paper's b, slope 4/5"
	}
	return "theory: n·P(s > b) at a fixed b, slope 1"
}

// anchor is the point the theory line goes through: the geometric mean of
// the measured (n', mean reported) points with something reported, so the
// line is drawn through the data and compares slopes, not levels. ok is
// false when nothing was reported.
func (sj *scalingJob) anchor() (x, y float64, ok bool) {
	var lx, ly float64
	k := 0
	for _, p := range sj.points {
		if p.reported > 0 {
			lx += math.Log(float64(p.n))
			ly += math.Log(p.reported)
			k++
		}
	}
	if k == 0 {
		return 0, 0, false
	}
	return math.Exp(lx / float64(k)), math.Exp(ly / float64(k)), true
}
