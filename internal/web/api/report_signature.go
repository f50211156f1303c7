package api

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type signatureRequest struct {
	RegistrationID int64  `json:"registration_id"`
	Image          string `json:"image"` // data:image/png;base64,...
}

// SignatureCreated is the answer to a captured signature.
type SignatureCreated struct {
	ID         int64     `json:"id"`
	SHA256     string    `json:"sha256"`
	CapturedAt time.Time `json:"captured_at"`
}

// SignatureCreate answers POST /api/v1/events/{slug}/signatures: a paired
// door device (or door staff) stores the signature a person just drew, for
// today's admission. The device is recorded with it.
func (h *ReportAPI) SignatureCreate(c *gin.Context) error {
	ctx := c.Request.Context()
	e, err := h.Env.Objects.Event(c, auth.Work, c.Param("slug"))
	if err != nil {
		return err
	}
	p := httpx.Principal(c)
	var req signatureRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return &apperr.Invalid{}
	}
	const prefix = "data:image/png;base64,"
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(req.Image, prefix))
	if !strings.HasPrefix(req.Image, prefix) || err != nil || req.RegistrationID <= 0 {
		return &apperr.Invalid{Fields: map[string]string{"image": "report.error.signature"}}
	}
	sg, err := h.Reports.SaveSignature(ctx, report.SignatureInput{Event: e, RegistrationID: req.RegistrationID,
		Day: report.Today(e, h.Reports.Now()), PNG: png, By: p, IP: c.ClientIP()})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, SignatureCreated{ID: sg.ID, SHA256: hex.EncodeToString(sg.SHA256), CapturedAt: sg.CapturedAt})
	return nil
}
