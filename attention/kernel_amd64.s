//go:build !purego

#include "textflag.h"

// func sdot4x16(k int, a, b, c *float32, ldc int)
//
// c[i*ldc+j] = Σ_{t<k} a[t*4+i]·b[t*16+j] for i < 4, j < 16: a 4×16 block
// of float32 scores from a panel of 4 queries (a, packed [k][4]) and a
// panel of 16 keys (b, packed [k][16]), with AVX2 FMA. k ≥ 1.
TEXT ·sdot4x16(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

loop:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VBROADCASTSS (SI), Y2
	VBROADCASTSS 4(SI), Y3
	VFMADD231PS Y0, Y2, Y4
	VFMADD231PS Y1, Y2, Y5
	VFMADD231PS Y0, Y3, Y6
	VFMADD231PS Y1, Y3, Y7
	VBROADCASTSS 8(SI), Y2
	VBROADCASTSS 12(SI), Y3
	VFMADD231PS Y0, Y2, Y8
	VFMADD231PS Y1, Y2, Y9
	VFMADD231PS Y0, Y3, Y10
	VFMADD231PS Y1, Y3, Y11
	ADDQ $16, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop

	VMOVUPS Y4, (DX)
	VMOVUPS Y5, 32(DX)
	ADDQ R8, DX
	VMOVUPS Y6, (DX)
	VMOVUPS Y7, 32(DX)
	ADDQ R8, DX
	VMOVUPS Y8, (DX)
	VMOVUPS Y9, 32(DX)
	ADDQ R8, DX
	VMOVUPS Y10, (DX)
	VMOVUPS Y11, 32(DX)
	VZEROUPPER
	RET

// func ddot(n int, x, y *float64) float64
//
// Σ x_i·y_i with AVX2 FMA: four 4-wide accumulators over 16 elements per
// step, then a scalar tail.
TEXT ·ddot(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	CMPQ CX, $16
	JLT dtail

dloop:
	VMOVUPD (SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VFMADD231PD (DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE dloop

dtail:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	TESTQ CX, CX
	JZ ddone

dscalar:
	VMOVSD (SI), X1
	VFMADD231SD (DI), X1, X0
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JNZ dscalar

ddone:
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func daxpy(n int, a float64, x, y *float64)
//
// y_i += a·x_i with AVX2 FMA, 16 elements per step, then a scalar tail.
TEXT ·daxpy(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	VBROADCASTSD a+8(FP), Y0
	MOVQ x+16(FP), SI
	MOVQ y+24(FP), DI
	CMPQ CX, $16
	JLT atail

aloop:
	VMOVUPD (DI), Y1
	VMOVUPD 32(DI), Y2
	VMOVUPD 64(DI), Y3
	VMOVUPD 96(DI), Y4
	VFMADD231PD (SI), Y0, Y1
	VFMADD231PD 32(SI), Y0, Y2
	VFMADD231PD 64(SI), Y0, Y3
	VFMADD231PD 96(SI), Y0, Y4
	VMOVUPD Y1, (DI)
	VMOVUPD Y2, 32(DI)
	VMOVUPD Y3, 64(DI)
	VMOVUPD Y4, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE aloop

atail:
	TESTQ CX, CX
	JZ adone

ascalar:
	VMOVSD (DI), X1
	VFMADD231SD (SI), X0, X1
	VMOVSD X1, (DI)
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JNZ ascalar

adone:
	VZEROUPPER
	RET

// func ddot4x8(k int, a, b, c *float64, ldc int)
//
// The float64 twin of sdot4x16 for the dense baseline's optional kernel:
// c[i*ldc+j] = Σ_{t<k} a[t*4+i]·b[t*8+j] for i < 4, j < 8.
TEXT ·ddot4x8(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

kloop:
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VBROADCASTSD (SI), Y2
	VBROADCASTSD 8(SI), Y3
	VFMADD231PD Y0, Y2, Y4
	VFMADD231PD Y1, Y2, Y5
	VFMADD231PD Y0, Y3, Y6
	VFMADD231PD Y1, Y3, Y7
	VBROADCASTSD 16(SI), Y2
	VBROADCASTSD 24(SI), Y3
	VFMADD231PD Y0, Y2, Y8
	VFMADD231PD Y1, Y2, Y9
	VFMADD231PD Y0, Y3, Y10
	VFMADD231PD Y1, Y3, Y11
	ADDQ $32, SI
	ADDQ $64, DI
	DECQ CX
	JNZ kloop

	VMOVUPD Y4, (DX)
	VMOVUPD Y5, 32(DX)
	ADDQ R8, DX
	VMOVUPD Y6, (DX)
	VMOVUPD Y7, 32(DX)
	ADDQ R8, DX
	VMOVUPD Y8, (DX)
	VMOVUPD Y9, 32(DX)
	ADDQ R8, DX
	VMOVUPD Y10, (DX)
	VMOVUPD Y11, 32(DX)
	VZEROUPPER
	RET

// func qfilterAsm(np, pairs int, q *int16, codes *int8, scale *float32, t float32, mask *uint8)
//
// The sketch's filter (sketch.go): for each of np panels of 8 keys, codes
// packed [pair][key][2] int8, D_i = Σ_t q_t·code_it exactly in int32
// (VPMADDWD on int16 pairs, VPADDD), then mask byte bit i = fl32(fl32(D_i)·
// scale_i) > t. pairs is even, ≥ 2.
TEXT ·qfilterAsm(SB), NOSPLIT, $0-56
	MOVQ np+0(FP), CX
	MOVQ codes+24(FP), DI
	MOVQ scale+32(FP), R10
	VBROADCASTSS t+40(FP), Y15
	MOVQ mask+48(FP), R9
	MOVQ pairs+8(FP), R11
	SHRQ $1, R11
	TESTQ CX, CX
	JZ qdone

qpanel:
	MOVQ q+16(FP), SI
	MOVQ R11, BX
	VPXOR Y4, Y4, Y4
	VPXOR Y6, Y6, Y6

qloop:
	VPMOVSXBW (DI), Y0
	VPBROADCASTD (SI), Y1
	VPMADDWD Y1, Y0, Y0
	VPADDD Y0, Y4, Y4
	VPMOVSXBW 16(DI), Y2
	VPBROADCASTD 4(SI), Y3
	VPMADDWD Y3, Y2, Y2
	VPADDD Y2, Y6, Y6
	ADDQ $32, DI
	ADDQ $8, SI
	DECQ BX
	JNZ qloop

	VPADDD Y6, Y4, Y4
	VCVTDQ2PS Y4, Y4
	VMULPS (R10), Y4, Y4
	VCMPPS $0x1e, Y15, Y4, Y4
	VMOVMSKPS Y4, AX
	MOVB AL, (R9)
	ADDQ $32, R10
	INCQ R9
	DECQ CX
	JNZ qpanel

qdone:
	VZEROUPPER
	RET

// func prefetch(p *float64, n int)
//
// PREFETCHT0 of every cache line of the n > 0 float64 values at p.
TEXT ·prefetch(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	LEAQ -8(SI)(CX*8), DX
	PREFETCHT0 (DX)

ploop:
	PREFETCHT0 (SI)
	ADDQ $64, SI
	CMPQ SI, DX
	JLT ploop
	RET
