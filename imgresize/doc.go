// Package imgresize reproduces OpenCV 4.6's cv2.resize(img, (w, h)) with
// the default INTER_LINEAR interpolation, bit for bit, for single-channel
// float64 and uint8 images.
//
// # Shapes
//
// An image is a row-major slice of height·width pixels (row y, column x at
// index y·width+x). Functions take the destination first, then its width
// and height, then the source and its width and height, like
// cv2.resize's dsize = (width, height). A batch is n images stored one
// after another.
//
// # Definitions (docs/numerics.md#opencv-resize)
//
//   - Same size: a copy.
//   - Exact 2× reduction on both axes (1/(dw/sw) and 1/(dh/sh) equal to 2
//     within DBL_EPSILON): OpenCV reroutes INTER_LINEAR to the INTER_AREA
//     fast path. With a, b the top pair and c, d the bottom pair of a 2×2
//     block, float64 gives (((a+b)+c)+d)·0.25 and uint8 (a+b+c+d+2)>>2.
//   - Otherwise, per axis: scale = 1/(dst/src) in double;
//     f = float32((i+0.5)·scale − 0.5); s = ⌊f⌋; f −= s in float32.
//     Weights are (1−f, f) in float32.
//   - Horizontal borders: s < 0 gives s = 0, f = 0; s ≥ src−1 gives
//     s = src−1, f = 0 and that pixel alone.
//   - Vertical borders are different: f is kept and only the row indices
//     are clipped, so rows clip(s) and clip(s+1) are blended with (1−f, f).
//     When upscaling, the top and bottom rows are therefore row 0 (or the
//     last row) blended with itself, which can differ from it in the last
//     bit (float64) or by one (uint8).
//   - float64: every needed source row is interpolated horizontally in
//     double (S[s]·w0 + S[s+1]·w1), then two rows vertically
//     (H0·v0 + H1·v1).
//   - uint8: weights are rounded (half to even) to int16 at scale 2048;
//     h = S[s]·w0 + S[s+1]·w1 in int32 (S[s]·2048 at the right border);
//     out = (((v0·(h0>>4))>>16) + ((v1·(h1>>4))>>16) + 2) >> 2.
//
// # Panics
//
// Non-positive sizes or slices of the wrong length panic with a message
// starting "imgresize: " (programmer errors, as in gonum/mat). Nothing
// returns an error. The package keeps no state and is safe for concurrent
// use; it never starts goroutines.
//
// References: OpenCV modules/imgproc/src/resize.cpp (hal::resize,
// resizeAreaFast, HResizeLinear, VResizeLinear), docs/numerics.md#opencv-resize.
package imgresize
