package ticketcode

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
)

// Certificate codes
//
// An attendance certificate carries the same body as a ticket (version,
// event id, certificate id in place of the ticket id, key id, the attended
// days as first day and mask), signed by the event's key, written as
// unpadded base64url so that it fits a short URL (/verify/CODE, about 107
// characters). The signature covers CertContext || body, never the bare
// body: a ticket signature can never pass for a certificate's, nor the
// reverse, although both are made with the same event keys.

// CertContext separates certificate signatures from ticket signatures.
const CertContext = "attend-certificate-v1\x00"

// CertMaxLen bounds a certificate code before any decoding.
const CertMaxLen = 160

var certEnc = base64.RawURLEncoding

// SignCertificate encodes and signs a certificate's claims (TicketID is the
// certificate's id).
func SignCertificate(c Claims, priv ed25519.PrivateKey) (string, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return "", errors.New("certificate: bad private key length")
	}
	body, err := marshal(c)
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(priv, append([]byte(CertContext), body...))
	return certEnc.EncodeToString(append(body, sig...)), nil
}

// PeekCertificate decodes a code without checking its signature: it tells
// which certificate and which event key to load. Never trust it alone.
func PeekCertificate(code string) (Claims, error) {
	c, _, _, err := parseCertificate(code)
	return c, err
}

// VerifyCertificate decodes code and checks its signature with pub.
func VerifyCertificate(code string, pub ed25519.PublicKey) (Claims, error) {
	c, body, sig, err := parseCertificate(code)
	if err != nil {
		return Claims{}, err
	}
	if len(pub) != ed25519.PublicKeySize {
		return Claims{}, ErrUnknownKey
	}
	if !ed25519.Verify(pub, append([]byte(CertContext), body...), sig) {
		return Claims{}, ErrBadSignature
	}
	return c, nil
}

func parseCertificate(code string) (Claims, []byte, []byte, error) {
	if len(code) > CertMaxLen {
		return Claims{}, nil, nil, malformed("too long")
	}
	data, err := certEnc.DecodeString(code)
	// Unused trailing bits would give one certificate several spellings.
	if err != nil || certEnc.EncodeToString(data) != code {
		return Claims{}, nil, nil, malformed("bad base64url")
	}
	return parseData(data)
}
