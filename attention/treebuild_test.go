package attention

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/hsr"
)

// TestWithTreeSameRows: the automatic and tree engines made from a tree
// built in steps (TreeBuilder, WithTree) compute the same rows, work
// counted alike, as those WithIndex builds in one call.
func TestWithTreeSameRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, d := range []int{2, 6} {
		n, dv := 20000, 3
		K, V := mat.NewDense(n, d, nil), mat.NewDense(n, dv, nil)
		for i := 0; i < n; i++ {
			for t := 0; t < d; t++ {
				K.Set(i, t, rng.NormFloat64())
			}
			for t := 0; t < dv; t++ {
				V.Set(i, t, rng.NormFloat64())
			}
		}
		scan, err := NewEngineWith(K, V, IndexScan, EngineOptions{IndexOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		want, err := scan.WithIndex(IndexAuto)
		if err != nil {
			t.Fatal(err)
		}
		b := scan.TreeBuilder()
		for !b.Step(50 * time.Microsecond) {
		}
		got, err := scan.WithTree(b.Tree())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.Index().(*hsr.Auto); !ok {
			t.Fatalf("WithTree's index is %T, want *hsr.Auto", got.Index())
		}
		gotTree, _ := got.WithIndex(IndexTree)
		wantTree, _ := want.WithIndex(IndexTree)
		if gotTree.Index() != hsr.Index(b.Tree()) {
			t.Error("the tree engine does not share WithTree's tree")
		}
		for i := 0; i < 20; i++ {
			q := make([]float64, d)
			for t := range q {
				q[t] = rng.NormFloat64()
			}
			for _, p := range []Params{{Kind: ReLU, Alpha: 2, B: 0.5 + 0.1*float64(i)}, {Kind: Softmax, TopR: 30}} {
				for _, es := range [][2]*Engine{{got, want}, {gotTree, wantTree}} {
					og, ow := make([]float64, dv), make([]float64, dv)
					rg, err1 := es[0].Row(q, i, p, og)
					rw, err2 := es[1].Row(q, i, p, ow)
					if err1 != nil || err2 != nil {
						t.Fatal(err1, err2)
					}
					// %v prints every float exactly (shortest round trip), NaN alike
					if fmt.Sprintf("%+v %v", rg, og) != fmt.Sprintf("%+v %v", rw, ow) {
						t.Fatalf("d=%d query %d %+v: rows differ", d, i, p)
					}
				}
			}
		}
		if _, err := scan.WithTree(hsr.NewTree(d, nil, hsr.TreeOptions{})); err == nil {
			t.Error("WithTree took a tree over other keys")
		}
	}
}
