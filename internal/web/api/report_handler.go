package api

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ReportAPI serves the funder reports as JSON (report scope tokens of
// coordinators, or their sessions). The numbers are the dashboard's.
type ReportAPI struct {
	Env     *httpx.Env
	Reports *report.Service
}

func reportOptions(c *gin.Context) report.Options {
	return report.Options{RuleSet: strings.TrimSpace(c.Query("rules")), Raw: c.Query("raw") == "1"}
}
