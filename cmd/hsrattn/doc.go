// Command hsrattn runs HSR-accelerated attention (package attention) on your
// own Q, K and V saved by NumPy, and writes the output and the statistics.
//
// Usage:
//
//	hsrattn -q Q.npy -k K.npy -v V.npy -out O.npy [-stats S.json]
//	        [-kind relu|softmax] [-alpha N] [-b B] [-tau T | -topr R | -gamma G]
//	        [-norm row|none|length] [-scale=true|false] [-causal]
//	        [-index tree|scan|auto] [-dense]
//
// Q is m×d (the queries), K is n×d (the keys), V is n×dv (the values). Any
// .npy file NumPy writes for a 2-D float or integer array is accepted: format
// versions 1.0 to 3.0, float16/32/64 and integers in either byte order, C or
// Fortran order (see package internal/npy). A 1-D array is read as one row,
// so a single query vector saved with numpy.save works as Q.
//
// For example, in Python:
//
//	import numpy as np
//	rng = np.random.default_rng(1)
//	np.save("Q.npy", rng.standard_normal((4, 16)))
//	np.save("K.npy", rng.standard_normal((1000, 16)))
//	np.save("V.npy", rng.standard_normal((1000, 8)))
//
// then, in a shell:
//
//	hsrattn -q Q.npy -k K.npy -v V.npy -out O.npy -stats S.json -b 1.5 -dense
//	hsrattn -q Q.npy -k K.npy -v V.npy -out O.npy -stats S.json -kind softmax -topr 32 -dense
//
// ReLU^α attention (-kind relu, the default) uses the weights
// max(s_ij − b, 0)^α with s_ij = <q_i, k_j>/sqrt(d) (-scale=false drops the
// 1/sqrt(d)); the HSR path is exact. Softmax (-kind softmax) keeps, per row,
// only the keys scoring at least τ (-tau) or the r best keys (-topr r, or
// -gamma γ for r = round(n^γ)), and reports a certified bound on the error of
// each row; with none of the three it is the plain dense softmax over every
// key (bound 0, no index), and the summary line says so. -dense also
// computes the dense reference and writes the measured error of each row
// beside the bound (for ReLU^α it compares the key sets row by row, so its
// memory stays O(n), not O(m·n)).
//
// Outputs: O.npy is the m×dv output (float64, C order, .npy version 1.0).
// S.json holds n, m, d, dv, the parameters, "reported" (per row, the number
// of keys used), "empty_rows" (the rows with no weight, whose output is 0),
// the work of the index queries, the measured timings in milliseconds, and for
// a thresholded softmax "threshold" and "error_bound" per row. With -dense it
// also holds "measured_error" per row (the max-abs difference between the HSR
// and the dense output rows) and, for ReLU^α, the dense key counts.
//
// Rules where the issue is silent:
//
//   - -causal needs m = n (prompt prefilling: query i is position i and sees
//     keys 0..i); any other m is refused rather than guessed.
//   - -b, -alpha and -norm apply to relu only, -tau, -topr and -gamma to
//     softmax only; giving one with the other kind is a usage error, never
//     silently ignored. -tau, -topr and -gamma exclude one another.
//   - -out and -stats may not be the same file, nor the same file (device
//     and inode, through any link) as an input or as the command's standard
//     input, output or error. An output must be a regular file, a new name
//     or a dangling link; a directory, pipe or device, a link whose target
//     cannot be examined, and a link through /proc or /dev/fd (/dev/stdout)
//     are refused: the output is renamed into place, which would replace
//     them. Files are replaced atomically: both are written to temporary
//     files (.hsrattn-*.tmp) in their directories, created before any work
//     starts, which checks that they are writable, and renamed into place
//     only when everything has succeeded; the files they replace are kept
//     until both renames have succeeded, so a failed second rename puts the
//     first output back as it was. On any error, or on SIGINT, SIGTERM,
//     SIGHUP or SIGQUIT, the temporary files are removed and nothing is
//     written.
//   - All three headers are read first: the shapes are checked, and the
//     memory the whole run needs is estimated (inputs as float64, the index,
//     the per-row results, the dense reference) and compared with the memory
//     available (MemAvailable, or the cgroup's limit); a run that cannot fit
//     is refused, naming both numbers, before any data is read.
//   - A score <q_i, k_j> that overflows float64 is refused naming the row
//     and the key (package attention), never turned into an empty row.
//
// Exit status: 0 on success, 1 when the inputs are refused or the work fails
// (the message on stderr names the file and the problem), 2 on a usage error.
package main
