package door

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
)

var (
	iconOnce sync.Once
	icons    map[string][]byte
)

// drawIcon paints the scanner's app icon: a yellow tile with a blue check
// mark on the brand blue, as PNG (install prompts want PNG in 192 and 512).
func drawIcon(size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	blue := color.RGBA{0x1f, 0x4e, 0x79, 0xff}
	yellow := color.RGBA{0xff, 0xd6, 0x17, 0xff}
	pad := size / 6
	for y := range size {
		for x := range size {
			c := blue
			if x >= pad && x < size-pad && y >= pad && y < size-pad {
				c = yellow
			}
			img.SetRGBA(x, y, c)
		}
	}
	// A check mark: two thick strokes.
	w := float64(size) / 14
	stroke := func(x0, y0, x1, y1 float64) {
		for y := range size {
			for x := range size {
				px, py := float64(x), float64(y)
				dx, dy := x1-x0, y1-y0
				t := ((px-x0)*dx + (py-y0)*dy) / (dx*dx + dy*dy)
				t = max(0, min(1, t))
				ex, ey := x0+t*dx-px, y0+t*dy-py
				if ex*ex+ey*ey <= w*w {
					img.SetRGBA(x, y, blue)
				}
			}
		}
	}
	s := float64(size)
	stroke(s*0.30, s*0.52, s*0.44, s*0.66)
	stroke(s*0.44, s*0.66, s*0.71, s*0.36)
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// Icon serves /door/icon-192.png and /door/icon-512.png.
func (h *Handler) Icon(c *gin.Context) error {
	iconOnce.Do(func() {
		icons = map[string][]byte{"192": drawIcon(192), "512": drawIcon(512)}
	})
	b, ok := icons[strings.TrimSuffix(strings.TrimPrefix(c.Request.URL.Path, "/door/icon-"), ".png")]
	if !ok {
		return apperr.ErrNotFound
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/png", b)
	return nil
}
