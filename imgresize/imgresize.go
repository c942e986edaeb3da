package imgresize

import "math"

const coefScale = 2048 // INTER_RESIZE_COEF_SCALE

// axis holds, for every destination index, the left source index and the
// two float32 weights; border marks indices that copy src[s] alone.
// iw0, iw1 are the weights rounded to int16 at scale 2048 (uint8 path).
type axis struct {
	ofs      []int
	w0, w1   []float32
	iw0, iw1 []int32
	border   []bool
}

// newAxis builds the table for one axis. OpenCV clamps the horizontal
// position (s, f) at the borders, but for the vertical axis it only clamps
// the two row indices and keeps f: rows above the top blend row 0 with
// itself using weights (1−f, f), which is not always exactly row 0.
func newAxis(src, dst int, vertical bool) axis {
	a := axis{
		ofs: make([]int, dst), border: make([]bool, dst),
		w0: make([]float32, dst), w1: make([]float32, dst),
		iw0: make([]int32, dst), iw1: make([]int32, dst),
	}
	scale := 1 / (float64(dst) / float64(src))
	for d := 0; d < dst; d++ {
		f := float32(float64((float64(d)+0.5)*scale) - 0.5) // no FMA, as OpenCV's SSE2 build
		s := int(math.Floor(float64(f)))
		f -= float32(s)
		// Vertically, rows clip(s) and clip(s+1) are blended by the caller.
		if !vertical && s < 0 {
			s, f = 0, 0
		}
		if !vertical && s >= src-1 { // also a 1-pixel-wide source
			s, f = src-1, 0
			a.border[d] = true
		}
		a.ofs[d] = s
		a.w0[d] = 1 - f
		a.w1[d] = f
		a.iw0[d] = round16(1 - f)
		a.iw1[d] = round16(f)
	}
	return a
}

// isTwice reports OpenCV's is_area_fast && iscale == 2 test for one axis.
func isTwice(src, dst int) bool {
	scale := 1 / (float64(dst) / float64(src))
	return math.Abs(scale-2) < 0x1p-52
}

func check(dlen, dw, dh, slen, sw, sh int) {
	if dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0 {
		panic("imgresize: non-positive image size")
	}
	if dlen != dw*dh || slen != sw*sh {
		panic("imgresize: slice length does not match image size")
	}
}

// LinearFloat64 writes cv2.resize(src, (dw, dh)) (INTER_LINEAR) of the
// sh×sw float64 image src into the dh×dw image dst. It panics if a size is
// not positive or len(dst) ≠ dw·dh or len(src) ≠ sw·sh.
func LinearFloat64(dst []float64, dw, dh int, src []float64, sw, sh int) {
	check(len(dst), dw, dh, len(src), sw, sh)
	newPlan(dw, dh, sw, sh).float64(dst, src, nil)
}

// LinearUint8 writes cv2.resize(src, (dw, dh)) (INTER_LINEAR) of the
// sh×sw uint8 image src into the dh×dw image dst. Panics as LinearFloat64.
func LinearUint8(dst []uint8, dw, dh int, src []uint8, sw, sh int) {
	check(len(dst), dw, dh, len(src), sw, sh)
	newPlan(dw, dh, sw, sh).uint8(dst, src)
}

// BatchFloat64 resizes n = len(src)/(sw·sh) images stored one after
// another (an n×(sh·sw) row-major matrix, one image per row) to dh×dw each
// and returns the n×(dh·dw) result. If dst is nil it is allocated;
// otherwise it must have length n·dw·dh. It panics if len(src) is not a
// multiple of sw·sh. For MNIST: BatchFloat64(nil, 14, 14, pixels, 28, 28).
func BatchFloat64(dst []float64, dw, dh int, src []float64, sw, sh int) []float64 {
	if sw <= 0 || sh <= 0 || len(src)%(sw*sh) != 0 {
		panic("imgresize: batch length is not a multiple of the image size")
	}
	n := len(src) / (sw * sh)
	if dst == nil {
		dst = make([]float64, n*dw*dh)
	}
	if dw <= 0 || dh <= 0 || len(dst) != n*dw*dh {
		panic("imgresize: batch destination has the wrong length")
	}
	p := newPlan(dw, dh, sw, sh)
	rows := make([]float64, 2*dw)
	for i := 0; i < n; i++ {
		p.float64(dst[i*dw*dh:(i+1)*dw*dh], src[i*sw*sh:(i+1)*sw*sh], rows)
	}
	return dst
}

// BatchUint8 is BatchFloat64 for uint8 images.
func BatchUint8(dst []uint8, dw, dh int, src []uint8, sw, sh int) []uint8 {
	if sw <= 0 || sh <= 0 || len(src)%(sw*sh) != 0 {
		panic("imgresize: batch length is not a multiple of the image size")
	}
	n := len(src) / (sw * sh)
	if dst == nil {
		dst = make([]uint8, n*dw*dh)
	}
	if dw <= 0 || dh <= 0 || len(dst) != n*dw*dh {
		panic("imgresize: batch destination has the wrong length")
	}
	p := newPlan(dw, dh, sw, sh)
	for i := 0; i < n; i++ {
		p.uint8(dst[i*dw*dh:(i+1)*dw*dh], src[i*sw*sh:(i+1)*sw*sh])
	}
	return dst
}

type mode int

const (
	modeCopy mode = iota
	modeArea2
	modeLinear
)

// plan is the per-size part of a resize, shared by every image of a batch.
type plan struct {
	dw, dh, sw, sh int
	mode           mode
	x, y           axis
}

func newPlan(dw, dh, sw, sh int) *plan {
	p := &plan{dw: dw, dh: dh, sw: sw, sh: sh}
	switch {
	case dw == sw && dh == sh:
		p.mode = modeCopy
	case isTwice(sw, dw) && isTwice(sh, dh):
		p.mode = modeArea2
	default:
		p.mode = modeLinear
		p.x = newAxis(sw, dw, false)
		p.y = newAxis(sh, dh, true)
	}
	return p
}

// rows returns the two source rows blended into destination row y,
// clipped to the image.
func (p *plan) rows(y int) (int, int) {
	s := p.y.ofs[y]
	return min(max(s, 0), p.sh-1), min(max(s+1, 0), p.sh-1)
}

// hrow interpolates source row r horizontally into out (length dw).
func (p *plan) hrow(out, r []float64) {
	x := &p.x
	for d := range out {
		s := x.ofs[d]
		if x.border[d] {
			out[d] = r[s] * 1
			continue
		}
		// float64() forbids fusing into an FMA (Go does so on GOAMD64=v3).
		out[d] = float64(r[s]*float64(x.w0[d])) + float64(r[s+1]*float64(x.w1[d]))
	}
}

// float64 resizes one image; rows is scratch of length 2·dw or nil.
func (p *plan) float64(dst, src, rows []float64) {
	switch p.mode {
	case modeCopy:
		copy(dst, src)
		return
	case modeArea2:
		for y := 0; y < p.dh; y++ {
			r0 := src[2*y*p.sw:]
			r1 := src[(2*y+1)*p.sw:]
			for x := 0; x < p.dw; x++ {
				dst[y*p.dw+x] = (((r0[2*x] + r0[2*x+1]) + r1[2*x]) + r1[2*x+1]) * 0.25
			}
		}
		return
	}
	if rows == nil {
		rows = make([]float64, 2*p.dw)
	}
	h0, h1 := rows[:p.dw], rows[p.dw:]
	last0, last1 := -1, -1 // source rows currently held in h0, h1
	for y := 0; y < p.dh; y++ {
		s0, s1 := p.rows(y)
		if s0 != last0 {
			if s0 == last1 {
				h0, h1 = h1, h0
				last0, last1 = last1, last0
			} else {
				p.hrow(h0, src[s0*p.sw:(s0+1)*p.sw])
				last0 = s0
			}
		}
		if s1 != last1 {
			p.hrow(h1, src[s1*p.sw:(s1+1)*p.sw])
			last1 = s1
		}
		v0, v1 := float64(p.y.w0[y]), float64(p.y.w1[y])
		out := dst[y*p.dw : (y+1)*p.dw]
		for x := range out {
			out[x] = float64(h0[x]*v0) + float64(h1[x]*v1)
		}
	}
}

// round16 is saturate_cast<short>(w·2048): round half to even.
func round16(w float32) int32 {
	return int32(math.RoundToEven(float64(w * coefScale)))
}

func (p *plan) uint8(dst, src []uint8) {
	switch p.mode {
	case modeCopy:
		copy(dst, src)
		return
	case modeArea2:
		for y := 0; y < p.dh; y++ {
			r0 := src[2*y*p.sw:]
			r1 := src[(2*y+1)*p.sw:]
			for x := 0; x < p.dw; x++ {
				s := int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1])
				dst[y*p.dw+x] = uint8((s + 2) >> 2)
			}
		}
		return
	}
	h0 := make([]int32, p.dw)
	h1 := make([]int32, p.dw)
	hrow := func(out []int32, r []uint8) {
		x := &p.x
		for d := range out {
			s := x.ofs[d]
			if x.border[d] {
				out[d] = int32(r[s]) * coefScale
				continue
			}
			out[d] = int32(r[s])*x.iw0[d] + int32(r[s+1])*x.iw1[d]
		}
	}
	for y := 0; y < p.dh; y++ {
		s0, s1 := p.rows(y)
		hrow(h0, src[s0*p.sw:(s0+1)*p.sw])
		hrow(h1, src[s1*p.sw:(s1+1)*p.sw])
		b0, b1 := p.y.iw0[y], p.y.iw1[y]
		out := dst[y*p.dw : (y+1)*p.dw]
		for x := range out {
			v := ((b0*(h0[x]>>4))>>16 + (b1*(h1[x]>>4))>>16 + 2) >> 2
			out[x] = uint8(min(max(v, 0), 255))
		}
	}
}
