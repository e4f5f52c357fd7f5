package gen

// ColumnSigmas is the standard deviation of each column of the stream's
// rows when they are independent zero-mean Gaussians (every matrix of the
// Gaussian, Decaying and Massive kinds, and V and Q of Clustered), and nil
// when they are not (the keys of Clustered: a mixture around random
// centres). With it the distribution of a score given the query is exact:
// for keys with column spreads σ_t, <q, k> is N(0, Σ_t q_t²·σ_t²). The
// slice is a copy.
func (st *Stream) ColumnSigmas() []float64 {
	if st.centres != nil || st.scale == nil {
		return nil
	}
	return append([]float64(nil), st.scale...)
}
