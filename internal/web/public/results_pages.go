package public

import (
	"github.com/decode-attend/attend/internal/results"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ResultsPages serve the public results of events: the page, the fragment
// other sites may frame, and the project's list.
type ResultsPages struct {
	Env     *httpx.Env
	Results *results.Service
}

// embedCSP is the fragment's own policy, before its frame-ancestors: it
// loads nothing but our stylesheet and runs no script.
const embedCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
