package viz

import (
	"math"

	"github.com/hsrviz/hsrviz/hsr"
)

// The engine's indexes. One hsr.Auto is built per key set: it embeds its
// Tree, which answers queries as the plain tree (one build serves both).
func init() {
	buildIndexes = func(d int, pts []float64) (tree, auto hsr.Index) {
		au := hsr.NewAuto(d, pts, hsr.TreeOptions{})
		return au.Tree, au
	}
	topRFn = func(ix hsr.Index, q []float64, r int) (float64, bool) {
		if tr, ok := ix.(hsr.TopRer); ok {
			tau, _ := tr.TopR(q, r)
			return math.Nextafter(tau, math.Inf(-1)), true
		}
		return 0, false
	}
}
