package public

import (
	"time"

	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// CertificatePages serve the attendance certificate: its public
// verification page and the holder's download behind the private link.
type CertificatePages struct {
	Env      *httpx.Env
	Store    *store.Store
	Verifier ManageVerifier
	Certs    *certificates.Service
	Now      func() time.Time
}
