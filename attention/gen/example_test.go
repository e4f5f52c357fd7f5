package gen_test

import (
	"fmt"

	"github.com/hsrviz/hsrviz/attention/gen"
)

func ExampleGenerate() {
	Q, K, V, err := gen.Generate(gen.Spec{Kind: gen.Decaying, N: 1000, M: 4, D: 64, Sigma: 1, Seed: 1})
	if err != nil {
		panic(err)
	}
	m, d := Q.Dims()
	n, _ := K.Dims()
	_, dv := V.Dims()
	fmt.Println(m, n, d, dv)
	// Output: 4 1000 64 64
}
