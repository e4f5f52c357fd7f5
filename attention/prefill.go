package attention

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Prefill is prompt prefilling: the m = n queries are the prompt's own
// positions, causal when p.Causal (the usual setting).
func Prefill(Q, K, V *mat.Dense, p Params) (*Result, error) {
	if err := checkShapes(Q, K, V, p); err != nil {
		return nil, err
	}
	m, _ := Q.Dims()
	n, _ := K.Dims()
	if m != n {
		return nil, fmt.Errorf("attention: prefill needs one query per key: Q has %d rows, K has %d", m, n)
	}
	return HSR(Q, K, V, p)
}
