package gen

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hsrviz/hsrviz/internal/fingerprint"
)

// Streaming in blocks of any size gives Generate's matrices bit for bit.
func TestStreamMatchesGenerate(t *testing.T) {
	rb := rand.New(rand.NewPCG(5, 5))
	for _, k := range Kinds() {
		s := Spec{Kind: k, N: 777, M: 33, D: 5, DV: 3, Sigma: 0.7, Seed: 42}
		Q, K, V, err := Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			which Matrix
			want  []float64
		}{{MatrixK, K.RawMatrix().Data}, {MatrixQ, Q.RawMatrix().Data}, {MatrixV, V.RawMatrix().Data}} {
			st, err := NewStream(s, c.which)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, len(c.want))
			pos := 0
			for st.Done() < st.Rows() {
				rows := 1 + rb.IntN(100)
				w := st.Fill(got[pos:min(len(got), pos+rows*st.Cols()+rb.IntN(st.Cols()))])
				pos += w * st.Cols()
				if w == 0 && pos < len(got) && len(got)-pos >= st.Cols() {
					// a block shorter than one row writes nothing: fine, try again
					continue
				}
			}
			if pos != len(got) {
				t.Fatalf("%v %v: streamed %d values, want %d", k, c.which, pos, len(got))
			}
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(c.want[i]) {
					t.Fatalf("%v %v: entry %d got:%v want:%v", k, c.which, i, got[i], c.want[i])
				}
			}
			if st.Fill(make([]float64, 10*st.Cols())) != 0 {
				t.Errorf("%v %v: rows past the end", k, c.which)
			}
		}
	}
	if _, err := NewStream(Spec{Kind: Gaussian, N: 0, D: 2, Sigma: 1}, MatrixK); err == nil {
		t.Error("NewStream with N = 0: no error")
	}
	if _, err := NewStream(Spec{Kind: Gaussian, N: 4, D: 2, Sigma: 1}, Matrix(7)); err == nil {
		t.Error("NewStream of an unknown matrix: no error")
	}
}

// The keys are pinned: the same (kind, n, d, σ, seed) gives the same K on
// every platform and in every later version (a link to the visualizer,
// a benchmark figure and a test all name data by these parameters).
func TestKeysPinned(t *testing.T) {
	for _, c := range []struct {
		kind Kind
		want string
	}{
		{Gaussian, "55e683149b6dae214493efee80a7609a2891520e458153f850331752c2177183"},
		{Decaying, "acac89916f92f6c7d98c2c9a9a5eddb1037c03f23e59692b27e605c3fdee1b3e"},
		{Massive, "a4b75c1c2ac7e6a947537fdeb40d39a8bd6942921f0090795598bfc3a42872a5"},
		{Clustered, "71a300be68fc2be3731e292a441d74b2dfc3b3cc285d01dc57985c556abaadb4"},
	} {
		_, K, _, err := Generate(Spec{Kind: c.kind, N: 4096, D: 8, DV: 1, Sigma: 1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := fingerprint.Of(K.RawMatrix().Data); got != c.want {
			t.Errorf("%v keys: hash got:%s want:%s", c.kind, got, c.want)
		}
	}
}
