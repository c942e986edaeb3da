//go:build amd64 && !purego

#include "textflag.h"

// func fwdRowAVX(col *uint16, code *uint8, n int, dict *float64, wt *float64, z *float64)
// Two entries per iteration into two sets of three accumulators, so the
// FMA latency overlaps; the sets are added at the end. A row of wt is 96
// bytes (12 float64).
TEXT ·fwdRowAVX(SB), NOSPLIT, $0-48
	MOVQ   col+0(FP), SI
	MOVQ   code+8(FP), DI
	MOVQ   n+16(FP), CX
	MOVQ   dict+24(FP), R9
	MOVQ   wt+32(FP), DX
	MOVQ   z+40(FP), R8
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	CMPQ   CX, $2
	JLT    tail

pair:
	MOVWLZX      (SI), AX
	IMULQ        $96, AX
	MOVWLZX      2(SI), BX
	IMULQ        $96, BX
	MOVBLZX      (DI), R10
	MOVBLZX      1(DI), R11
	VBROADCASTSD (R9)(R10*8), Y3
	VBROADCASTSD (R9)(R11*8), Y7
	VFMADD231PD  (DX)(AX*1), Y3, Y0
	VFMADD231PD  32(DX)(AX*1), Y3, Y1
	VFMADD231PD  64(DX)(AX*1), Y3, Y2
	VFMADD231PD  (DX)(BX*1), Y7, Y4
	VFMADD231PD  32(DX)(BX*1), Y7, Y5
	VFMADD231PD  64(DX)(BX*1), Y7, Y6
	ADDQ         $4, SI
	ADDQ         $2, DI
	SUBQ         $2, CX
	CMPQ         CX, $2
	JGE          pair

tail:
	TESTQ        CX, CX
	JE           done
	MOVWLZX      (SI), AX
	IMULQ        $96, AX
	MOVBLZX      (DI), R10
	VBROADCASTSD (R9)(R10*8), Y3
	VFMADD231PD  (DX)(AX*1), Y3, Y0
	VFMADD231PD  32(DX)(AX*1), Y3, Y1
	VFMADD231PD  64(DX)(AX*1), Y3, Y2

done:
	VADDPD  Y4, Y0, Y0
	VADDPD  Y5, Y1, Y1
	VADDPD  Y6, Y2, Y2
	VMOVUPD Y0, (R8)
	VMOVUPD Y1, 32(R8)
	VMOVUPD Y2, 64(R8)
	VZEROUPPER
	RET

// func bwdRowAVX(col *uint16, code *uint8, n int, dict *float64, dwt *float64, d *float64)
TEXT ·bwdRowAVX(SB), NOSPLIT, $0-48
	MOVQ    col+0(FP), SI
	MOVQ    code+8(FP), DI
	MOVQ    n+16(FP), CX
	MOVQ    dict+24(FP), R9
	MOVQ    dwt+32(FP), DX
	MOVQ    d+40(FP), R8
	VMOVUPD (R8), Y4
	VMOVUPD 32(R8), Y5
	VMOVUPD 64(R8), Y6
	TESTQ   CX, CX
	JE      bdone

bloop:
	MOVWLZX      (SI), AX
	IMULQ        $96, AX
	MOVBLZX      (DI), R10
	VBROADCASTSD (R9)(R10*8), Y3
	VMOVUPD      (DX)(AX*1), Y0
	VMOVUPD      32(DX)(AX*1), Y1
	VMOVUPD      64(DX)(AX*1), Y2
	VFMADD231PD  Y4, Y3, Y0
	VFMADD231PD  Y5, Y3, Y1
	VFMADD231PD  Y6, Y3, Y2
	VMOVUPD      Y0, (DX)(AX*1)
	VMOVUPD      Y1, 32(DX)(AX*1)
	VMOVUPD      Y2, 64(DX)(AX*1)
	ADDQ         $2, SI
	ADDQ         $1, DI
	DECQ         CX
	JNE          bloop

bdone:
	VZEROUPPER
	RET
