// Package ops serves the operators' endpoints: liveness, readiness.
package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

// Handler serves health endpoints.
type Handler struct {
	Store      *store.Store
	Migrations []store.Migration
	Version    string
}

// Healthz answers while the process is up.
func (h *Handler) Healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": h.Version})
}

// Readyz answers 200 when the database is reachable and the schema current.
func (h *Handler) Readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	pending, err := h.Store.SchemaStatus(ctx, h.Migrations)
	switch {
	case err != nil:
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
	case pending > 0:
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "ok", "pending_migrations": pending})
	default:
		c.JSON(http.StatusOK, gin.H{"status": "ready", "database": "ok"})
	}
}
