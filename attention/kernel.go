package attention

// Packed float32 panels for the score kernel sdot4x16: queries in panels of
// 4 rows, stored [panel][t][4]; keys in panels of 16, stored
// [panel][t][16]. Rows past the end are zero, so every panel is full.

// packRows packs the rows of x (n×d, row-major) into panels of w rows.
func packRows(x []float64, n, d, w int) []float32 {
	np := (n + w - 1) / w
	p := make([]float32, np*d*w)
	for i := 0; i < n; i++ {
		base := (i/w)*d*w + i%w
		row := x[i*d : (i+1)*d]
		for t, v := range row {
			p[base+t*w] = float32(v)
		}
	}
	return p
}

// kernelTile writes the float32 scores of rows [r0, r1) (r0 a multiple of
// 4) against keys [c0, c1) (c0 a multiple of 16) into S (stride ld): S is
// padded to whole panels, entries past r1 or c1 are garbage.
func kernelTile(qp, kp []float32, d, r0, r1, c0, c1 int, S []float32, ld int) {
	for i := r0; i < r1; i += 4 {
		a := qp[(i/4)*d*4:]
		for j := c0; j < c1; j += 16 {
			sdot4x16(d, &a[0], &kp[(j/16)*d*16], &S[(i-r0)*ld+(j-c0)], ld)
		}
	}
}

// packRows64 packs the rows of x (n×d) into float64 panels of w rows,
// scaled by s.
func packRows64(x []float64, n, d, w int, s float64) []float64 {
	np := (n + w - 1) / w
	p := make([]float64, np*d*w)
	for i := 0; i < n; i++ {
		base := (i/w)*d*w + i%w
		for t, v := range x[i*d : (i+1)*d] {
			p[base+t*w] = v * s
		}
	}
	return p
}

// kernelTile64 is kernelTile in float64 (key panels of 8) for the dense
// baseline's optional kernel.
func kernelTile64(qp, kp []float64, d, r0, r1, c0, c1 int, S []float64, ld int) {
	for i := r0; i < r1; i += 4 {
		a := qp[(i/4)*d*4:]
		for j := c0; j < c1; j += 8 {
			ddot4x8(d, &a[0], &kp[(j/8)*d*8], &S[(i-r0)*ld+(j-c0)], ld)
		}
	}
}
