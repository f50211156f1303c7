package web

import (
	"crypto/tls"
	"path/filepath"

	"golang.org/x/crypto/acme/autocert"
)

// acmeTLS returns a TLS configuration that obtains and renews certificates
// for the configured host names from Let's Encrypt (TLS-ALPN-01 on this
// listener, so the server must be reachable on port 443 under those names).
// Certificates and the account key are cached under ATTEND_DATA_DIR/acme,
// so restarts do not hit the issuer's rate limits.
func (s *Server) acmeTLS() *tls.Config {
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		HostPolicy: autocert.HostWhitelist(s.Config.ACMEHosts...),
		Cache:      autocert.DirCache(filepath.Join(s.Config.DataDir, "acme")),
	}
	cfg := m.TLSConfig()
	cfg.MinVersion = tls.VersionTLS12
	return cfg
}
