package server

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"

	"github.com/yeqown/go-qrcode/v2"
)

// qrQuiet is the white margin around a QR code, in modules: the four the
// standard asks for, so phones read it off paper and screens alike.
const qrQuiet = 4

// qrBitmap encodes text as a QR code's modules, dark = true. The library
// builds the matrix; drawing it here keeps its image writers (and their
// dependencies) out of the binary.
func qrBitmap(text string) ([][]bool, error) {
	qr, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err
	}
	var w matrixWriter
	if err := qr.Save(&w); err != nil {
		return nil, err
	}
	return w.bitmap, nil
}

type matrixWriter struct{ bitmap [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error { w.bitmap = m.Bitmap(); return nil }
func (w *matrixWriter) Close() error                { return nil }

// writeQRSVG draws the code as one SVG path, a square per dark module.
func writeQRSVG(out io.Writer, text string) error {
	bm, err := qrBitmap(text)
	if err != nil {
		return err
	}
	size := len(bm) + 2*qrQuiet
	var d strings.Builder
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x+qrQuiet, y+qrQuiet)
			}
		}
	}
	_, err = fmt.Fprintf(out, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+
		`<rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="%s"/></svg>`, size, size, d.String())
	return err
}

// qrScale is how many pixels a module is in the PNG.
const qrScale = 8

// writeQRPNG draws the code as a black-and-white PNG.
func writeQRPNG(out io.Writer, text string) error {
	bm, err := qrBitmap(text)
	if err != nil {
		return err
	}
	size := (len(bm) + 2*qrQuiet) * qrScale
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bm {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range qrScale {
				for dx := range qrScale {
					img.SetColorIndex((x+qrQuiet)*qrScale+dx, (y+qrQuiet)*qrScale+dy, 1)
				}
			}
		}
	}
	return png.Encode(out, img)
}
