package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
)

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// STARTTLS with authentication, as against a provider's port 587; a server
// that requires STARTTLS refuses a client configured without it.
func TestSMTPStartTLSAndAuth(t *testing.T) {
	cert, key := selfSigned(t)
	mp := mailtest.Start(t, mailtest.Options{Args: []string{
		"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls", "--smtp-auth-accept-any",
	}})
	st := dbtest.Open(t)
	ctx := context.Background()
	ob := outbox.New(st, "https://attend.example.lv")
	q, err := ob.Enqueue(ctx, st.DB, outbox.Message{Kind: "test", To: "tls@example.org", Subject: "Sveiki, Ščecina", Text: "Labdien!"})
	if err != nil {
		t.Fatal(err)
	}
	// Without TLS the server refuses; the message waits for a retry.
	plain, _ := mail.NewSender("smtp://user:s3cret@"+mp.SMTPAddr+"?tls=none", "a@example.org")
	w := &outbox.Worker{Store: st, Sender: plain, Backoff: func(int) time.Duration { return 0 }}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.Outbox(ctx, st.DB, q.ID); m.Status != "queued" || m.LastError == "" || strings.Contains(m.LastError, "s3cret") {
		t.Fatalf("plain send against a STARTTLS-only server: %s %q", m.Status, m.LastError)
	}
	// A password in the URL means STARTTLS is required (insecure=1: the test certificate is self-signed).
	sender, err := mail.NewSender("smtp://user:s3cret@"+mp.SMTPAddr+"?insecure=1", "DeCoDe Attend <a@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	if c := sender.(*mail.SMTP).Config; c.TLS != "required" {
		t.Fatalf("TLS policy %q", c.TLS)
	}
	w.Sender = sender
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := mp.WaitFor(wctx, "tls@example.org", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Subject != "Sveiki, Ščecina" || "<"+got[0].MessageID+">" != q.MessageID {
		t.Errorf("received %q %q", got[0].Subject, got[0].MessageID)
	}
	if m, _ := st.Outbox(ctx, st.DB, q.ID); m.Status != "sent" || m.Attempts != 2 {
		t.Errorf("row: %s after %d attempts", m.Status, m.Attempts)
	}
}
