# Regenerates the NumPy-written fixtures used by npy_test.go (an independent
# writer: the Go tests do not need NumPy). Run with a Python that has NumPy:
#   cd internal/npy/testdata && python3 gen.py
# Values: A[i, j] = 10*i + j - 7 (+ 0.5 for float types), shape (3, 5); the
# unsigned and bool files use A[i, j] = 10*i + j and (i + j) % 2.
import numpy as np
from numpy.lib import format as fmt

def base(dt):
    i, j = np.indices((3, 5))
    k = np.dtype(dt).kind
    if k == 'f':
        return (10 * i + j - 7 + 0.5).astype(dt)
    if k == 'u':
        return (10 * i + j).astype(dt)
    if k == 'b':
        return ((i + j) % 2).astype(dt)
    return (10 * i + j - 7).astype(dt)

def save(name, arr, version=None):
    with open(name, 'wb') as f:
        fmt.write_array(f, arr, version=version, allow_pickle=True)

dtypes = ['<f8', '>f8', '<f4', '>f4', '<f2', 'i1', '>i2', '<i4', '>i8', 'u1', '<u2', '>u4', '<u8', '?']
names = {'?': 'b1'}
for v in [(1, 0), (2, 0), (3, 0)]:
    for dt in dtypes:
        a = base(dt)
        tag = names.get(dt, dt).replace('<', 'le').replace('>', 'be')
        save('ok_v%d_%s_C.npy' % (v[0], tag), np.ascontiguousarray(a), v)
        save('ok_v%d_%s_F.npy' % (v[0], tag), np.asfortranarray(a), v)
# A 1-D vector, read as one row.
save('ok_1d.npy', np.arange(5, dtype='<f8') - 2.5)
# Refused files.
save('bad_complex.npy', np.ones((2, 2), dtype=np.complex128))
save('bad_object.npy', np.array([[1, 'a']], dtype=object))
save('bad_string.npy', np.array([['ab', 'c']]))
save('bad_structured.npy', np.zeros((2,), dtype=[('x', '<f8'), ('y', '<i4')]))
save('bad_3d.npy', np.zeros((2, 3, 4)))
save('bad_0d.npy', np.array(1.5))
save('bad_empty.npy', np.zeros((0, 4)))
a = base('<f8'); a[1, 2] = np.nan
save('bad_nan_C.npy', a)
save('bad_nan_F.npy', np.asfortranarray(a))
a = base('>f4'); a[2, 4] = -np.inf
save('bad_neginf.npy', a)
a = base('<i8'); a[2, 1] = 2**53 + 1
save('bad_int_2p53.npy', a)
a = base('<u8'); a[0, 3] = 2**64 - 1
save('bad_uint_big.npy', a)
a = base('<f8')
np.savez('bad_archive.npz', a=a)
