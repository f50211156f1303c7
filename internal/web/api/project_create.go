package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectCreate answers POST /api/v1/projects: 201 with the project, 422 with
// field messages, 409 when the code is taken.
func (h *ProgrammeAPI) ProjectCreate(c *gin.Context) error {
	var b projectBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.ProjectInput{Title: map[string]string{}, Measure: map[string]string{}, RetentionYears: "5"}
	b.apply(&in)
	p, err := h.Setup.CreateProject(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	out, err := h.project(c.Request.Context(), p)
	if err != nil {
		return err
	}
	answerCreated(c, "/api/v1/projects/"+p.Code, out)
	return nil
}
