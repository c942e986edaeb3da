//go:build !noasm

#include "textflag.h"

// func ddotBlocks16AVX2(x, y []float64) float64
TEXT ·ddotBlocks16AVX2(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	SHRQ $4, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	TESTQ CX, CX
	JZ   reduce

loop:
	VMOVUPD 0(SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VFMADD231PD 0(DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop

reduce:
	// Each register folds to (lane0+lane2, lane1+lane3).
	VEXTRACTF128 $1, Y0, X4
	VADDPD X4, X0, X0
	VEXTRACTF128 $1, Y1, X5
	VADDPD X5, X1, X1
	VEXTRACTF128 $1, Y2, X6
	VADDPD X6, X2, X2
	VEXTRACTF128 $1, Y3, X7
	VADDPD X7, X3, X3
	// (q0+q1) + (q2+q3), then lane0 + lane1.
	VADDPD X1, X0, X0
	VADDPD X3, X2, X2
	VADDPD X2, X0, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func sqdistBlocks16AVX2(x, y []float64) float64
// Like ddotBlocks16AVX2 on d = x − y with itself: each d_i is rounded
// (VSUBPD) before it enters the FMA, as numpy's m_array is.
TEXT ·sqdistBlocks16AVX2(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	SHRQ $4, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	TESTQ CX, CX
	JZ   sqreduce

sqloop:
	VMOVUPD 0(SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VSUBPD 0(DI), Y4, Y4
	VSUBPD 32(DI), Y5, Y5
	VSUBPD 64(DI), Y6, Y6
	VSUBPD 96(DI), Y7, Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  sqloop

sqreduce:
	VEXTRACTF128 $1, Y0, X4
	VADDPD X4, X0, X0
	VEXTRACTF128 $1, Y1, X5
	VADDPD X5, X1, X1
	VEXTRACTF128 $1, Y2, X6
	VADDPD X6, X2, X2
	VEXTRACTF128 $1, Y3, X7
	VADDPD X7, X3, X3
	VADDPD X1, X0, X0
	VADDPD X3, X2, X2
	VADDPD X2, X0, X0
	VUNPCKHPD X0, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET
