// Package qr renders QR codes as PNG and SVG at error-correction level M
// (about 15% of the symbol may be damaged or dirty and still scan), the usual
// trade-off for printed and on-screen tickets.
//
// Every image includes the 4-module quiet zone scanners need.
package qr

import (
	"bytes"
	"fmt"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"
)

// Level is the error-correction level used throughout.
const Level = qrcode.Medium

func encode(text string) (*qrcode.QRCode, error) {
	q, err := qrcode.New(text, Level)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q, nil
}

// PNG renders text as a black-on-white PNG at most size pixels wide (but at
// least one pixel per module). Each module is a whole number of pixels: a
// fixed size would otherwise stretch some modules by one pixel, which blurs
// the code when it is scaled into a PDF or onto a screen.
func PNG(text string, size int) ([]byte, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	modules := len(q.Bitmap())
	scale := max(1, size/modules)
	b, err := q.PNG(-scale)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return b, nil
}

// SVG renders text as a scalable SVG: one path of horizontal module runs on a
// white background, in a viewBox of one unit per module, so it stays sharp at
// any size. Set its width or height in CSS.
func SVG(text string) ([]byte, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	bm := q.Bitmap()
	n := strconv.Itoa(len(bm))
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + " " + n +
		`" shape-rendering="crispEdges"><rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// Version returns the QR version (1-40) text encodes to at level M; the
// module count is 17 + 4*version, plus the quiet zone.
func Version(text string) (int, error) {
	q, err := encode(text)
	if err != nil {
		return 0, err
	}
	return q.VersionNumber, nil
}
