//go:build !noasm

#include "textflag.h"

// func updateGAVX2(g []float64, qi, qj []float32, dI, dJ float64, y []float64, status []int8, vals *[4]float64, idx *[4]int64)
// Frame: g 0-24, qi 24-48, qj 48-72, dI 72, dJ 80, y 88-112, status 112-136, vals 136, idx 144.
TEXT ·updateGAVX2(SB), NOSPLIT, $0-152
	MOVQ g_base+0(FP), SI
	MOVQ g_len+8(FP), CX
	MOVQ qi_base+24(FP), DI
	MOVQ qj_base+48(FP), DX
	MOVQ y_base+88(FP), R8
	MOVQ status_base+112(FP), R9
	MOVQ idx+144(FP), R10
	SHRQ $2, CX
	VBROADCASTSD dI+72(FP), Y0
	VBROADCASTSD dJ+80(FP), Y1
	// Y2: lane maxima, −∞; Y3: their positions, −1; Y4: positions of
	// the current block; Y5: 4 per lane; Y6: all ones; Y7: 1 per lane
	// (atUpper); Y8: zero; Y14: the sign bit.
	MOVQ $0xFFF0000000000000, AX
	VMOVQ AX, X2
	VPBROADCASTQ X2, Y2
	VPCMPEQQ Y6, Y6, Y6
	VMOVDQU Y6, Y3
	VMOVDQU (R10), Y4
	MOVQ $4, AX
	VMOVQ AX, X5
	VPBROADCASTQ X5, Y5
	MOVQ $1, AX
	VMOVQ AX, X7
	VPBROADCASTQ X7, Y7
	VXORPD Y8, Y8, Y8
	VPSLLQ $63, Y6, Y14
	TESTQ CX, CX
	JZ   done

loop:
	// g += (qi·dI + qj·dJ), each operation rounded.
	VCVTPS2PD (DI), Y9
	VMULPD Y0, Y9, Y9
	VCVTPS2PD (DX), Y10
	VMULPD Y1, Y10, Y10
	VADDPD Y10, Y9, Y9
	VMOVUPD (SI), Y11
	VADDPD Y9, Y11, Y11
	VMOVUPD Y11, (SI)
	// v = −(y·g): −g for y = +1, g for y = −1.
	VMOVUPD (R8), Y12
	VMULPD Y11, Y12, Y13
	VXORPD Y14, Y13, Y13
	// In I_up: (y > 0 and status ≠ upper) or (y ≤ 0 and status ≠ lower).
	VCMPPD $0x1E, Y8, Y12, Y9
	VPMOVSXBQ (R9), Y15
	VPCMPEQQ Y7, Y15, Y10
	VANDNPD Y9, Y10, Y10
	VPCMPEQQ Y8, Y15, Y15
	VORPD Y9, Y15, Y15
	VANDNPD Y6, Y15, Y15
	VORPD Y15, Y10, Y10
	// Take v where it is in I_up and v ≥ the lane's maximum.
	VCMPPD $0x1D, Y2, Y13, Y11
	VANDPD Y10, Y11, Y11
	VBLENDVPD Y11, Y13, Y2, Y2
	VBLENDVPD Y11, Y4, Y3, Y3
	VPADDQ Y5, Y4, Y4
	ADDQ $32, SI
	ADDQ $16, DI
	ADDQ $16, DX
	ADDQ $32, R8
	ADDQ $4, R9
	DECQ CX
	JNZ  loop

done:
	MOVQ vals+136(FP), AX
	VMOVUPD Y2, (AX)
	VMOVDQU Y3, (R10)
	VZEROUPPER
	RET

DATA four<>+0(SB)/8, $4
DATA four<>+8(SB)/8, $4
DATA four<>+16(SB)/8, $4
DATA four<>+24(SB)/8, $4
GLOBL four<>(SB), RODATA|NOPTR, $32

DATA ones<>+0(SB)/8, $1
DATA ones<>+8(SB)/8, $1
DATA ones<>+16(SB)/8, $1
DATA ones<>+24(SB)/8, $1
GLOBL ones<>(SB), RODATA|NOPTR, $32

// func selectLowAVX2(g, y []float64, status []int8, qd []float64, qi []float32, gmax, qdi, twoYi, tau float64, lanes *lowLanes)
// Frame: g 0, y 24, status 48, qd 72, qi 96, gmax 120, qdi 128, twoYi 136, tau 144, lanes 152.
// lowLanes: obj 0-32, idx 32-64, gmax2 64-96.
TEXT ·selectLowAVX2(SB), NOSPLIT, $0-160
	MOVQ g_base+0(FP), SI
	MOVQ g_len+8(FP), CX
	MOVQ y_base+24(FP), R8
	MOVQ status_base+48(FP), R9
	MOVQ qd_base+72(FP), R11
	MOVQ qi_base+96(FP), DI
	MOVQ lanes+152(FP), R10
	SHRQ $2, CX
	VBROADCASTSD gmax+120(FP), Y0
	VBROADCASTSD qdi+128(FP), Y1
	VBROADCASTSD twoYi+136(FP), Y2
	VBROADCASTSD tau+144(FP), Y3
	VMOVDQU 32(R10), Y4
	VPCMPEQQ Y6, Y6, Y6
	VXORPD Y8, Y8, Y8
	VPSLLQ $63, Y6, Y14
	// Y12: lane minima of obj, +∞; Y13: their positions, −1; Y15: lane
	// maxima of y·g over I_low, −∞.
	MOVQ $0x7FF0000000000000, AX
	VMOVQ AX, X12
	VPBROADCASTQ X12, Y12
	VMOVDQU Y6, Y13
	MOVQ $0xFFF0000000000000, AX
	VMOVQ AX, X15
	VPBROADCASTQ X15, Y15
	TESTQ CX, CX
	JZ   lowdone

lowloop:
	VMOVUPD (SI), Y9
	VMOVUPD (R8), Y10
	VMULPD Y9, Y10, Y11          // y·g
	// In I_low: (y > 0 and status ≠ lower) or (y ≤ 0 and status ≠ upper).
	VCMPPD $0x1E, Y8, Y10, Y5    // y > 0
	VPMOVSXBQ (R9), Y7
	VPCMPEQQ Y8, Y7, Y9          // at lower
	VANDNPD Y5, Y9, Y9
	VPCMPEQQ ones<>(SB), Y7, Y7  // at upper
	VORPD Y5, Y7, Y7
	VANDNPD Y6, Y7, Y7
	VORPD Y7, Y9, Y9             // Y9: in I_low
	// gmax2 = max(gmax2, y·g) over I_low.
	VCMPPD $0x1D, Y15, Y11, Y5
	VANDPD Y9, Y5, Y5
	VBLENDVPD Y5, Y11, Y15, Y15
	// b = gmax + y·g; candidates need b > 0.
	VADDPD Y11, Y0, Y11
	VCMPPD $0x1E, Y8, Y11, Y5
	VANDPD Y5, Y9, Y9
	// quad = (qdi + qd) + (−y)·(twoYi·Q_i), τ where not positive.
	VCVTPS2PD (DI), Y5
	VMULPD Y2, Y5, Y5
	VXORPD Y14, Y10, Y10
	VMULPD Y10, Y5, Y5
	VMOVUPD (R11), Y10
	VADDPD Y10, Y1, Y10
	VADDPD Y5, Y10, Y10
	VCMPPD $0x1E, Y8, Y10, Y5
	VBLENDVPD Y5, Y10, Y3, Y10
	// obj = −(b·b)/quad; take it where obj ≤ the lane's minimum.
	VMULPD Y11, Y11, Y11
	VXORPD Y14, Y11, Y11
	VDIVPD Y10, Y11, Y11
	VCMPPD $0x12, Y12, Y11, Y5
	VANDPD Y9, Y5, Y5
	VBLENDVPD Y5, Y11, Y12, Y12
	VBLENDVPD Y5, Y4, Y13, Y13
	VPADDQ four<>(SB), Y4, Y4
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $4, R9
	ADDQ $32, R11
	ADDQ $16, DI
	DECQ CX
	JNZ  lowloop

lowdone:
	VMOVUPD Y12, 0(R10)
	VMOVDQU Y13, 32(R10)
	VMOVUPD Y15, 64(R10)
	VZEROUPPER
	RET
