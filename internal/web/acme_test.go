package web

import (
	"crypto/tls"
	"slices"
	"testing"

	"github.com/decode-attend/attend/internal/config"
)

func TestACMETLSConfig(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"ATTEND_ACME_HOSTS": "door.example.org", "ATTEND_DATA_DIR": dir}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{Config: cfg}}
	tc := s.acmeTLS()
	if !slices.Contains(tc.NextProtos, "acme-tls/1") || tc.GetCertificate == nil {
		t.Fatalf("no TLS-ALPN-01 support: %v", tc.NextProtos)
	}
	// Only the configured names get certificates (checked before any network use).
	if _, err := tc.GetCertificate(&tls.ClientHelloInfo{ServerName: "other.example.org"}); err == nil {
		t.Fatal("a certificate was requested for a host not in ATTEND_ACME_HOSTS")
	}
	if cfg.BaseURL[:8] != "https://" {
		t.Fatalf("base URL %s is not https", cfg.BaseURL)
	}
}
