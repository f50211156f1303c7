package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// RuleSetShow answers GET /api/v1/rule-sets/{code}; another project's set is 404.
func (h *ProgrammeAPI) RuleSetShow(c *gin.Context) error {
	rs, err := h.Env.Objects.RuleSet(c, auth.Read, c.Param("code"))
	if err != nil {
		return err
	}
	out, err := h.ruleSetJSON(c.Request.Context(), rs)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}
