// Package pdfdate makes PDF files reproducible by pinning the dates their
// writers stamp into the document information dictionary.
//
// Both writers hw1pipe uses (gonum's vgpdf through go-pdf/fpdf, and
// Chromium's Skia) write an uncompressed Info dictionary holding
// /CreationDate and /ModDate as "(D:YYYYMMDDHHmmSS...)" strings, the PDF
// date format of ISO 32000-1 section 7.9.4. Apart from those, the same
// drawing gives the same bytes, so replacing the 14 digits with a fixed
// date of the same length makes the file a function of its content; the
// byte offsets of the cross-reference table stay valid because no length
// changes.
package pdfdate

import "regexp"

// Epoch is the date written instead: 1980-01-01 00:00:00, the zip
// timestamp hw1pipe's archives carry too.
const Epoch = "19800101000000"

var dateRE = regexp.MustCompile(`/(CreationDate|ModDate)\s*\(D:\d{14}`)

// Fix returns b with every /CreationDate and /ModDate set to Epoch, and
// how many it replaced. b is changed in place.
func Fix(b []byte) ([]byte, int) {
	n := 0
	for _, loc := range dateRE.FindAllIndex(b, -1) {
		copy(b[loc[1]-len(Epoch):loc[1]], Epoch)
		n++
	}
	return b, n
}
