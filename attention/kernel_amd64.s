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

// func qfilter4Asm(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16)
//
// The sketch's stage 1 (sketch.go) with AVX2: for each of np panels of 16
// keys, nib packed [pair][key 0..15][4 bytes] where the low nibbles hold
// dimensions 8p..8p+3 and the high nibbles 8p+4..8p+7,
// D_i = (Σ_t q_t·h_it << a.shift) + a.off + ucode_i·a.mult in int32
// (VPMADDUBSW of the unsigned nibbles and the int8 query into 16-bit sums
// of at most 4 pairs, ≤ 8·2·15·127 = 30480, then VPMADDWD into 32 bits;
// int32 steps wrap), then mask bit i = fl32(fl32(D_i)·scale_i) > a.t.
// pairs ≥ 1.
TEXT ·qfilter4Asm(SB), NOSPLIT, $0-64
	MOVQ np+0(FP), CX
	MOVQ pairs+8(FP), R11
	MOVQ nib+24(FP), DI
	MOVQ scale+32(FP), R10
	MOVQ ucode+40(FP), R13
	MOVQ a+48(FP), R8
	MOVQ mask+56(FP), R9
	VPBROADCASTD 0(R8), Y14
	VPBROADCASTD 4(R8), Y7
	MOVL 8(R8), AX
	VMOVQ AX, X6
	VBROADCASTSS 12(R8), Y15
	MOVL $0x0f0f0f0f, AX
	VMOVQ AX, X13
	VPBROADCASTD X13, Y13
	MOVL $0x00010001, AX
	VMOVQ AX, X12
	VPBROADCASTD X12, Y12
	TESTQ CX, CX
	JZ f4done

f4panel:
	MOVQ q+16(FP), SI
	MOVQ R11, BX
	VPXOR Y8, Y8, Y8
	VPXOR Y9, Y9, Y9

f4block:
	MOVQ $4, R12
	CMPQ BX, R12
	CMOVQLT BX, R12
	SUBQ R12, BX
	VPXOR Y10, Y10, Y10
	VPXOR Y11, Y11, Y11

f4pair:
	VMOVDQU (DI), Y0
	VMOVDQU 32(DI), Y1
	PREFETCHT0 2048(DI)
	VPBROADCASTD (SI), Y2
	VPBROADCASTD 4(SI), Y3
	VPSRLW $4, Y0, Y4
	VPSRLW $4, Y1, Y5
	VPAND Y13, Y0, Y0
	VPAND Y13, Y1, Y1
	VPAND Y13, Y4, Y4
	VPAND Y13, Y5, Y5
	VPMADDUBSW Y2, Y0, Y0
	VPMADDUBSW Y2, Y1, Y1
	VPMADDUBSW Y3, Y4, Y4
	VPMADDUBSW Y3, Y5, Y5
	VPADDW Y0, Y10, Y10
	VPADDW Y1, Y11, Y11
	VPADDW Y4, Y10, Y10
	VPADDW Y5, Y11, Y11
	ADDQ $64, DI
	ADDQ $8, SI
	DECQ R12
	JNZ f4pair

	VPMADDWD Y12, Y10, Y10
	VPMADDWD Y12, Y11, Y11
	VPADDD Y10, Y8, Y8
	VPADDD Y11, Y9, Y9
	TESTQ BX, BX
	JNZ f4block

	VPSLLD X6, Y8, Y8
	VPSLLD X6, Y9, Y9
	VPMOVZXBD (R13), Y0
	VPMOVZXBD 8(R13), Y1
	VPMULLD Y7, Y0, Y0
	VPMULLD Y7, Y1, Y1
	VPADDD Y0, Y8, Y8
	VPADDD Y1, Y9, Y9
	VPADDD Y14, Y8, Y8
	VPADDD Y14, Y9, Y9
	VCVTDQ2PS Y8, Y8
	VCVTDQ2PS Y9, Y9
	VMULPS (R10), Y8, Y8
	VMULPS 32(R10), Y9, Y9
	PREFETCHT0 256(R10)
	VCMPPS $0x1e, Y15, Y8, Y8
	VCMPPS $0x1e, Y15, Y9, Y9
	VMOVMSKPS Y8, AX
	VMOVMSKPS Y9, DX
	SHLL $8, DX
	ORL DX, AX
	MOVW AX, (R9)
	ADDQ $64, R10
	ADDQ $16, R13
	ADDQ $2, R9
	DECQ CX
	JNZ f4panel

f4done:
	VZEROUPPER
	RET

// func qfilter4VNNI(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16, ids *int32, base int) int
//
// qfilter4Asm with AVX-512 (F, BW, VNNI): one 64-byte load is 16 keys × 8
// dimensions; VPDPBUSD adds 4 products of unsigned nibbles and the int8
// query into each key's 32-bit lane (four chains; int32 steps wrap), then
// the same integer and float32 steps, the mask from VCMPPS's K register.
// It also writes the passing keys' numbers (base + 16·panel + lane,
// ascending) to ids by VPCOMPRESSD and returns how many: no branch per
// candidate, where a loop over the mask's bits mispredicts about one
// branch per panel. Each panel stores a whole 64-byte vector, so ids needs
// room for 16 entries past the last one written.
TEXT ·qfilter4VNNI(SB), NOSPLIT, $0-88
	MOVQ np+0(FP), CX
	MOVQ pairs+8(FP), R11
	MOVQ nib+24(FP), DI
	MOVQ scale+32(FP), R10
	MOVQ ucode+40(FP), R13
	MOVQ a+48(FP), R8
	MOVQ mask+56(FP), R9
	MOVQ ids+64(FP), R12
	MOVQ base+72(FP), AX
	VPBROADCASTD AX, Z17
	VPADDD iota16<>(SB), Z17, Z17
	MOVL $16, AX
	VPBROADCASTD AX, Z18
	VPBROADCASTD 0(R8), Z14
	VPBROADCASTD 4(R8), Z12
	MOVL 8(R8), AX
	VMOVQ AX, X16
	VBROADCASTSS 12(R8), Z15
	MOVL $0x0f0f0f0f, AX
	VMOVQ AX, X13
	VPBROADCASTD X13, Z13
	TESTQ CX, CX
	JZ v4done

v4panel:
	MOVQ q+16(FP), SI
	MOVQ R11, BX
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	CMPQ BX, $2
	JLT v4one

v4two:
	VMOVDQU8 (DI), Z0
	VMOVDQU8 64(DI), Z4
	PREFETCHT0 2048(DI)
	PREFETCHT0 2112(DI)
	VPSRLW $4, Z0, Z1
	VPSRLW $4, Z4, Z5
	VPANDD Z13, Z0, Z0
	VPANDD Z13, Z1, Z1
	VPANDD Z13, Z4, Z4
	VPANDD Z13, Z5, Z5
	VPBROADCASTD (SI), Z2
	VPBROADCASTD 4(SI), Z3
	VPBROADCASTD 8(SI), Z6
	VPBROADCASTD 12(SI), Z7
	VPDPBUSD Z2, Z0, Z8
	VPDPBUSD Z3, Z1, Z9
	VPDPBUSD Z6, Z4, Z10
	VPDPBUSD Z7, Z5, Z11
	ADDQ $128, DI
	ADDQ $16, SI
	SUBQ $2, BX
	CMPQ BX, $2
	JGE v4two

v4one:
	TESTQ BX, BX
	JZ v4sum
	VMOVDQU8 (DI), Z0
	VPSRLW $4, Z0, Z1
	VPANDD Z13, Z0, Z0
	VPANDD Z13, Z1, Z1
	VPBROADCASTD (SI), Z2
	VPBROADCASTD 4(SI), Z3
	VPDPBUSD Z2, Z0, Z8
	VPDPBUSD Z3, Z1, Z9
	ADDQ $64, DI

v4sum:
	VPADDD Z10, Z8, Z8
	VPADDD Z11, Z9, Z9
	VPADDD Z9, Z8, Z8
	VPSLLD X16, Z8, Z8
	VPMOVZXBD (R13), Z0
	VPMULLD Z12, Z0, Z0
	VPADDD Z0, Z8, Z8
	VPADDD Z14, Z8, Z8
	VCVTDQ2PS Z8, Z8
	VMULPS (R10), Z8, Z8
	PREFETCHT0 256(R10)
	VCMPPS $0x1e, Z15, Z8, K1
	KMOVW K1, AX
	MOVW AX, (R9)
	VPCOMPRESSD Z17, K1, Z19
	VMOVDQU32 Z19, (R12)
	POPCNTL AX, AX
	LEAQ (R12)(AX*4), R12
	VPADDD Z18, Z17, Z17
	ADDQ $64, R10
	ADDQ $16, R13
	ADDQ $2, R9
	DECQ CX
	JNZ v4panel

v4done:
	VZEROUPPER
	SUBQ ids+64(FP), R12
	SHRQ $2, R12
	MOVQ R12, ret+80(FP)
	RET

// iota16 is 0, 1, …, 15 as int32: the lanes of a panel.
DATA iota16<>+0(SB)/4, $0
DATA iota16<>+4(SB)/4, $1
DATA iota16<>+8(SB)/4, $2
DATA iota16<>+12(SB)/4, $3
DATA iota16<>+16(SB)/4, $4
DATA iota16<>+20(SB)/4, $5
DATA iota16<>+24(SB)/4, $6
DATA iota16<>+28(SB)/4, $7
DATA iota16<>+32(SB)/4, $8
DATA iota16<>+36(SB)/4, $9
DATA iota16<>+40(SB)/4, $10
DATA iota16<>+44(SB)/4, $11
DATA iota16<>+48(SB)/4, $12
DATA iota16<>+52(SB)/4, $13
DATA iota16<>+56(SB)/4, $14
DATA iota16<>+60(SB)/4, $15
GLOBL iota16<>(SB), RODATA|NOPTR, $64

// func qcheckAsm(n int, ids *int32, codes *int8, stride int, q *int16, scale *float32, off int32, t float32) int
//
// The sketch's stage 2 (sketch.go): of the n keys ids (ascending), keep in
// place those j with fl32(fl32(D_j + off)·scale_j) > t, D_j = Σ_t q_t·c_jt
// exactly in int32 over the stride codes of row j (VPMOVSXBW, VPMADDWD, 16
// per step; stride a multiple of 16); returns how many were kept.
TEXT ·qcheckAsm(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), CX
	MOVQ ids+8(FP), R8
	MOVQ codes+16(FP), R9
	MOVQ stride+24(FP), R10
	MOVQ scale+40(FP), R11
	VMOVSS t+52(FP), X15
	MOVQ R8, R12 // next kept id goes here
	TESTQ CX, CX
	JZ qcdone

qcloop:
	MOVLQSX (R8), AX
	MOVQ AX, DX
	IMULQ R10, DX
	LEAQ (R9)(DX*1), SI
	MOVQ q+32(FP), DI
	MOVQ R10, R13
	SHRQ $4, R13
	VPXOR Y4, Y4, Y4

qcword:
	VPMOVSXBW (SI), Y0
	VPMADDWD (DI), Y0, Y0
	VPADDD Y0, Y4, Y4
	ADDQ $16, SI
	ADDQ $32, DI
	DECQ R13
	JNZ qcword

	VEXTRACTI128 $1, Y4, X5
	VPADDD X5, X4, X4
	VPSHUFD $0x4e, X4, X5
	VPADDD X5, X4, X4
	VPSHUFD $0xb1, X4, X5
	VPADDD X5, X4, X4
	VMOVQ X4, DX
	ADDL off+48(FP), DX
	VCVTSI2SSL DX, X0, X0
	VMULSS (R11)(AX*4), X0, X0
	VUCOMISS X15, X0
	JBE qcskip
	MOVL AX, (R12)
	ADDQ $4, R12

qcskip:
	ADDQ $4, R8
	DECQ CX
	JNZ qcloop

qcdone:
	VZEROUPPER
	SUBQ ids+8(FP), R12
	SHRQ $2, R12
	MOVQ R12, ret+56(FP)
	RET

// func prefetchRows(n int, ids *int32, base unsafe.Pointer, stride, size int)
//
// PREFETCHT0 of every cache line of the size > 0 bytes at base +
// ids[x]·stride, for x < n: the sketch's scattered rows (stage-2 codes, K
// and V rows of candidates), asked for a pipeline step before they are
// read.
TEXT ·prefetchRows(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ ids+8(FP), R8
	MOVQ base+16(FP), R9
	MOVQ stride+24(FP), R10
	MOVQ size+32(FP), R11
	TESTQ CX, CX
	JZ prdone

prrow:
	MOVLQSX (R8), AX
	IMULQ R10, AX
	LEAQ (R9)(AX*1), SI
	LEAQ -1(SI)(R11*1), DX
	PREFETCHT0 (DX)

prline:
	PREFETCHT0 (SI)
	ADDQ $64, SI
	CMPQ SI, DX
	JLT prline
	ADDQ $4, R8
	DECQ CX
	JNZ prrow

prdone:
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
