# Regenerates the NumPy fixtures of hsrattn's tests: inputs in mixed layouts
# and the expected outputs computed by NumPy (an oracle independent of Go).
# The Go tests do not need NumPy. Run: cd cmd/hsrattn/testdata && python3 gen.py
import numpy as np
from numpy.lib import format as fmt

rng = np.random.default_rng(20241010)
m, n, d, dv = 6, 50, 8, 3
Q = rng.integers(-40, 41, size=(m, d)) / 8.0      # exact in float32
K = rng.integers(-5, 6, size=(n, d))              # small integers
V = rng.standard_normal((n, dv))

def save(name, arr, version):
    with open(name, 'wb') as f:
        fmt.write_array(f, arr, version=version)

save('q_v3_bef4_F.npy', np.asfortranarray(Q.astype('>f4')), (3, 0))
save('k_v2_lei2_C.npy', np.ascontiguousarray(K.astype('<i2')), (2, 0))
save('v_v1_lef8_C.npy', V, (1, 0))

S = (Q @ K.T) / np.sqrt(d)
b, alpha = 0.75, 2
A = np.maximum(S - b, 0.0) ** alpha
den = A.sum(axis=1, keepdims=True)
O = np.where(den > 0, (A @ V) / np.where(den > 0, den, 1), 0.0)
save('want_relu2_b0.75.npy', O, (1, 0))
np.savetxt('want_relu2_b0.75_counts.txt', (A > 0).sum(axis=1), fmt='%d')

E = np.exp(S - S.max(axis=1, keepdims=True))
save('want_softmax_dense.npy', (E @ V) / E.sum(axis=1, keepdims=True), (1, 0))
