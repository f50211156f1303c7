package door

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type devicesData struct {
	Events  []store.Event
	Event   *store.Event
	Devices []store.Device
	Pairing *pairingView
	Name    string
	Errors  map[string]string
}

type pairingView struct {
	DeviceName string
	Token      string
	URL        string
	QR         template.URL
}

// DevicesList serves /admin/devices: the events, and for the chosen one
// (?event=slug) its door devices with the forms to add and revoke them.
func (h *Handler) DevicesList(c *gin.Context) error {
	return h.renderDevices(c, http.StatusOK, c.Query("event"), nil, "", nil)
}

func (h *Handler) renderDevices(c *gin.Context, status int, slug string, pairing *checkin.Pairing, name string, errs map[string]string) error {
	ctx := c.Request.Context()
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := devicesData{Name: name, Errors: errs}
	var err error
	if d.Events, err = h.events(c, auth.Manage); err != nil {
		return err
	}
	if slug != "" {
		ev, err := h.Env.Objects.Event(c, auth.Manage, slug)
		if err != nil {
			return err
		}
		d.Event = &ev
		if d.Devices, err = h.Store.Devices(ctx, h.Store.DB, ev.ID); err != nil {
			return err
		}
	}
	if pairing != nil {
		png, err := qr.PNG(pairing.URL, 480)
		if err != nil {
			return err
		}
		d.Pairing = &pairingView{DeviceName: pairing.Device.Name, Token: pairing.Token, URL: pairing.URL,
			QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	}
	page := h.Env.NewPage(c, l.T("door.devices.title"), d)
	h.Env.HTML(c, status, "door/devices.html", page)
	return nil
}
