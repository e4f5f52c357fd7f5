// Package attention computes ReLU^α and softmax attention, densely (the
// reference) and accelerated by half-space reporting (package hsr), for
// generation decoding (a KV cache that grows token by token) and prompt
// prefilling (m = n queries, causal mask). It implements
// shared/SPEC.md; see the end of this comment for every choice SPEC leaves
// open.
//
// Notation: Q is m×d, K is n×d, V is n×dv (gonum *mat.Dense, row-major),
// s_ij = <q_i, k_j>/sqrt(d) (Params.Unscaled drops the 1/sqrt(d)).
//
// # Paths and their cost
//
//   - Dense: every score through Dgemm in 128×512 tiles, then weights×V
//     through Dgemm: O(m·n·(d+dv)) (half of it with the causal mask: tiles
//     above the diagonal are skipped). The reference and the baseline.
//   - HSR / Engine.Row: per row one half-space query
//     Query(q_i, c) with c = sqrt(d)·b (ReLU^α) or sqrt(d)·τ (softmax),
//     then O(|S_i|·(d+dv)) to re-score the reported keys exactly and sum
//     their values. The query costs O(n·d) on the scan, and what the tree
//     achieves on the data's geometry (see package hsr).
//   - Softmax top-r: τ_i is the r-th largest score. When the index offers
//     TopR (the tree) it finds it, then one query just below τ_i; otherwise
//     (scan, or a causal row that sees only a prefix) one pass over the
//     visible keys, O(n·d), and a quickselect, O(n) expected.
//   - Cache: Append is O(d+dv) plus the index's Insert; Attend is one row.
//   - Prefill: see prefill.go.
//
// # Exactness of the ReLU^α path
//
// The index is queried with c lowered by a tiny safety margin (1e-10·‖q‖·
// max‖k‖ plus a few ulps of c); every reported key is re-scored with
// a float64 dot product (AVX2 FMA where available, else hsr.Dot) and s = dot/sqrt(d), and keeps weight max(s − b, 0)^α. So no key
// with a positive weight is missed whatever the index's own rounding, and a
// key that rounds onto the boundary just gets weight 0 and is left out of
// Row.Keys. Row.Keys is therefore the set {j : computed a_ij > 0}; the
// dense path computes its scores by Dgemm, whose rounding differs in the
// last bits, so the two sets can only differ for a key whose score is
// within a few ulps of b, where the weight is ~1e-16·|s| (see the tests).
//
// # Choices where SPEC is silent
//
//   - An all-zero ReLU^α row outputs 0 under every norm (Row.Empty); with
//     NormLength the divisor is the number of keys the row can see (i+1
//     under the causal mask).
//   - Softmax ignores Norm. An empty kept set (τ above every score)
//     outputs 0 with Row.Empty and ErrorBound 2‖V‖_∞.
//   - The certified bound reported is 2‖V‖_∞·T/(Z_S+T) with
//     T = (n_i − |S_i|)·exp(τ_i) and Z_S = Σ_{S_i} exp(s_ij), computed as
//     exp(τ_i − max) etc. It is ≤ SPEC's 2‖V‖_∞·T/Z_S and equally certified
//     (Z_tail/(Z_S+Z_tail) grows with Z_tail ≤ T), and never exceeds
//     2‖V‖_∞. n_i counts the keys the row can see; ‖V‖_∞ is over all of V.
//   - Top-r with ties keeps every key scoring ≥ τ_i, so |S_i| ≥ r; with
//     distinct scores exactly r (all visible keys when r ≥ n_i).
//   - Weights that overflow float64 (huge α·scores) are an error, never
//     Inf or NaN in the output.
//   - HSR with Causal on a general Q: row i sees keys 0..i.
//   - Params.CountsOnly drops per-row key lists from batch results.
package attention
