//go:build !purego

#include "textflag.h"

// func aboveAVX2(a *float64, d int, x *float64, rows int, c float64) int
//
// Registers: AX = a, R8 = row length in bytes (8d), SI = current row,
// DX = rows, BX = rows done, CX = byte offset within a row, Y9 = c (×4).
TEXT ·aboveAVX2(SB), NOSPLIT, $0-48
	MOVQ         a+0(FP), AX
	MOVQ         d+8(FP), R8
	SHLQ         $3, R8
	MOVQ         x+16(FP), SI
	MOVQ         rows+24(FP), DX
	VBROADCASTSD c+32(FP), Y9
	XORQ         BX, BX

loop4:
	// Four rows at a time while at least four remain.
	MOVQ DX, R13
	SUBQ BX, R13
	CMPQ R13, $4
	JLT  tail
	MOVQ SI, R9
	LEAQ (R9)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ CX, CX

row0:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R9)(CX*1), Y4, Y5
	VADDPD  Y5, Y0, Y0
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     row0

	XORQ CX, CX

row1:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R10)(CX*1), Y4, Y5
	VADDPD  Y5, Y1, Y1
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     row1

	XORQ CX, CX

row2:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R11)(CX*1), Y4, Y5
	VADDPD  Y5, Y2, Y2
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     row2

	XORQ CX, CX

row3:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R12)(CX*1), Y4, Y5
	VADDPD  Y5, Y3, Y3
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     row3

	// Y4 = [r0 s0+s1, r1 s0+s1, r0 s2+s3, r1 s2+s3], Y5 likewise for r2, r3.
	VHADDPD    Y1, Y0, Y4
	VHADDPD    Y3, Y2, Y5
	VPERM2F128 $0x20, Y5, Y4, Y6 // [r0 s0+s1, r1 s0+s1, r2 s0+s1, r3 s0+s1]
	VPERM2F128 $0x31, Y5, Y4, Y7 // [r0 s2+s3, r1 s2+s3, r2 s2+s3, r3 s2+s3]
	VADDPD     Y7, Y6, Y6        // (s0+s1)+(s2+s3) per row
	VCMPPD     $0x1e, Y9, Y6, Y6 // > c (ordered: false on NaN)
	VMOVMSKPD  Y6, R13
	TESTQ      R13, R13
	JNZ        found4
	LEAQ       (R12)(R8*1), SI
	ADDQ       $4, BX
	JMP        loop4

found4:
	BSFQ R13, R13
	ADDQ R13, BX
	JMP  done

tail:
	// One row at a time.
	CMPQ   BX, DX
	JGE    done
	VXORPD Y0, Y0, Y0
	XORQ   CX, CX

inner1:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (SI)(CX*1), Y4, Y5
	VADDPD  Y5, Y0, Y0
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     inner1

	VEXTRACTF128 $1, Y0, X1
	VHADDPD      X1, X0, X2 // [s0+s1, s2+s3]
	VPERMILPD    $1, X2, X3
	VADDPD       X3, X2, X2 // lane 0: (s0+s1)+(s2+s3)
	VCMPPD       $0x1e, X9, X2, X2
	VMOVMSKPD    X2, R13
	ANDQ         $1, R13
	JNZ          done
	ADDQ         R8, SI
	INCQ         BX
	JMP          tail

done:
	VZEROUPPER
	MOVQ BX, ret+40(FP)
	RET

// func aboveMaskAVX2(a *float64, d int, x *float64, rows int, c float64, mask *byte)
//
// The same sums as aboveAVX2, for every row: byte k of mask gets bit j set
// iff row 4k+j has Dot > c (bits 4–7 clear); ⌈rows/4⌉ bytes are written.
TEXT ·aboveMaskAVX2(SB), NOSPLIT, $0-48
	MOVQ         a+0(FP), AX
	MOVQ         d+8(FP), R8
	SHLQ         $3, R8
	MOVQ         x+16(FP), SI
	MOVQ         rows+24(FP), DX
	VBROADCASTSD c+32(FP), Y9
	MOVQ         mask+40(FP), DI
	XORQ         BX, BX

mloop4:
	MOVQ DX, R13
	SUBQ BX, R13
	CMPQ R13, $4
	JLT  mtail
	MOVQ SI, R9
	LEAQ (R9)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ CX, CX

mrow0:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R9)(CX*1), Y4, Y5
	VADDPD  Y5, Y0, Y0
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     mrow0
	XORQ    CX, CX

mrow1:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R10)(CX*1), Y4, Y5
	VADDPD  Y5, Y1, Y1
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     mrow1
	XORQ    CX, CX

mrow2:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R11)(CX*1), Y4, Y5
	VADDPD  Y5, Y2, Y2
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     mrow2
	XORQ    CX, CX

mrow3:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (R12)(CX*1), Y4, Y5
	VADDPD  Y5, Y3, Y3
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     mrow3

	VHADDPD    Y1, Y0, Y4
	VHADDPD    Y3, Y2, Y5
	VPERM2F128 $0x20, Y5, Y4, Y6
	VPERM2F128 $0x31, Y5, Y4, Y7
	VADDPD     Y7, Y6, Y6
	VCMPPD     $0x1e, Y9, Y6, Y6
	VMOVMSKPD  Y6, R13
	MOVB       R13, (DI)
	INCQ       DI
	LEAQ       (R12)(R8*1), SI
	ADDQ       $4, BX
	JMP        mloop4

mtail:
	// The last rows%4 rows one at a time; R14 collects their bits, R11 = 1<<j.
	XORQ R14, R14
	MOVQ $1, R11

mtail1:
	CMPQ   BX, DX
	JGE    mtailend
	VXORPD Y0, Y0, Y0
	XORQ   CX, CX

minner1:
	VMOVUPD (AX)(CX*1), Y4
	VMULPD  (SI)(CX*1), Y4, Y5
	VADDPD  Y5, Y0, Y0
	ADDQ    $32, CX
	CMPQ    CX, R8
	JLT     minner1

	VEXTRACTF128 $1, Y0, X1
	VHADDPD      X1, X0, X2
	VPERMILPD    $1, X2, X3
	VADDPD       X3, X2, X2
	VCMPPD       $0x1e, X9, X2, X2
	VMOVMSKPD    X2, R13
	ANDQ         $1, R13
	IMULQ        R11, R13
	ORQ          R13, R14
	SHLQ         $1, R11
	ADDQ         R8, SI
	INCQ         BX
	JMP          mtail1

mtailend:
	CMPQ R11, $1
	JEQ  mdone
	MOVB R14, (DI)

mdone:
	VZEROUPPER
	RET

// func boundAVX2(a *float64, box *float32, d int) (mn, mx float64)
//
// mx = Σ_t max(a_t·lo_t, a_t·hi_t), mn = Σ_t min(a_t·lo_t, a_t·hi_t) over a
// float32 box (lo = box[0:d], hi = box[d:2d]), d a positive multiple of 4,
// summed in four lanes (an order Dot does not use: the bound's certified
// margin holds for any order of summation).
TEXT ·boundAVX2(SB), NOSPLIT, $0-40
	MOVQ   a+0(FP), AX
	MOVQ   box+8(FP), SI
	MOVQ   d+16(FP), CX
	LEAQ   (SI)(CX*4), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   BX, BX

bloop:
	VCVTPS2PD (SI)(BX*4), Y2
	VCVTPS2PD (DI)(BX*4), Y3
	VMOVUPD   (AX)(BX*8), Y4
	VMULPD    Y4, Y2, Y2
	VMULPD    Y4, Y3, Y3
	VMAXPD    Y3, Y2, Y5
	VMINPD    Y3, Y2, Y6
	VADDPD    Y5, Y0, Y0
	VADDPD    Y6, Y1, Y1
	ADDQ      $4, BX
	CMPQ      BX, CX
	JLT       bloop

	VEXTRACTF128 $1, Y0, X2
	VADDPD       X2, X0, X0
	VPERMILPD    $1, X0, X2
	VADDSD       X2, X0, X0
	VEXTRACTF128 $1, Y1, X3
	VADDPD       X3, X1, X1
	VPERMILPD    $1, X1, X3
	VADDSD       X3, X1, X1
	VMOVSD       X1, mn+24(FP)
	VMOVSD       X0, mx+32(FP)
	VZEROUPPER
	RET

// func widenAVX2(dst *int, src *int32, n int)
//
// dst[i] = int(src[i]) for i < n, n a multiple of 16 (VPMOVSXDQ: four
// sign-extended ids per instruction).
TEXT ·widenAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $4, CX
	JZ   widendone

widenloop:
	VPMOVSXDQ 0(SI), Y0
	VPMOVSXDQ 16(SI), Y1
	VPMOVSXDQ 32(SI), Y2
	VPMOVSXDQ 48(SI), Y3
	VMOVDQU   Y0, 0(DI)
	VMOVDQU   Y1, 32(DI)
	VMOVDQU   Y2, 64(DI)
	VMOVDQU   Y3, 96(DI)
	ADDQ      $64, SI
	ADDQ      $128, DI
	DECQ      CX
	JNZ       widenloop

widendone:
	VZEROUPPER
	RET
