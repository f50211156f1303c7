package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

type scanData struct {
	Messages string
	// Event is set when a signed-in staff member opens the scanner for an
	// event (?event=slug); devices take their event from their token.
	Event     string
	WasmURL   string
	Ponyfill  string
	ServiceWK string
	Countries []country
}

type country struct{ Code, Name string }

// Scan serves /door/scan: the scanner, desk and walk-in screens of one
// offline-capable page. It holds no data; the script loads the event's
// bundle with the device token kept on the phone.
func (h *Handler) Scan(c *gin.Context) error {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := scanData{
		Messages: messages(l), Event: c.Query("event"),
		WasmURL:   h.Asset("vendor/zxing-wasm/zxing_reader.wasm"),
		Ponyfill:  h.Asset("vendor/barcode-detector/ponyfill.js"),
		ServiceWK: "/door/sw.js", Countries: countries(l),
	}
	page := h.Env.NewPage(c, l.T("door.scan.title"), d)
	page.BodyClass = "door door-scan"
	h.Env.HTML(c, http.StatusOK, "door/scan.html", page)
	return nil
}
