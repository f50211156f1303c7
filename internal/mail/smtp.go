// Package mail turns registration changes into e-mails: it composes the
// messages in the participant's language (HTML and plain text, the ticket's QR
// inline, the PDF ticket and an .ics file attached), queues them in the outbox
// through Notifier, schedules reminders, and delivers over SMTP.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/decode-attend/attend/internal/outbox"
)

// SMTPConfig is the parsed ATTEND_SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// SSL is implicit TLS (smtps://, usually port 465).
	SSL bool
	// TLS is the STARTTLS policy for smtp://: "required" (default when a
	// password is given, so it never travels in clear), "opportunistic"
	// (default otherwise) or "none".
	TLS      string
	From     string
	Insecure bool // skip certificate verification (?insecure=1; test servers only)
	Timeout  time.Duration
}

// ParseSMTPURL reads smtp://user:pass@host:587?tls=required|opportunistic|none
// or smtps://user:pass@host:465. Errors never echo the URL (it holds a password).
func ParseSMTPURL(raw, from string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return SMTPConfig{}, errors.New("ATTEND_SMTP_URL: expected smtp://user:password@host:587 or smtps://host:465")
	}
	c := SMTPConfig{Host: u.Hostname(), From: from, Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.SSL = 465, true
	default:
		return SMTPConfig{}, errors.New("ATTEND_SMTP_URL: the scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, errors.New("ATTEND_SMTP_URL: the port must be a number from 1 to 65535")
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	c.TLS = q.Get("tls")
	switch c.TLS {
	case "":
		c.TLS = "opportunistic"
		if c.Password != "" {
			c.TLS = "required"
		}
	case "required", "opportunistic", "none":
	default:
		return SMTPConfig{}, errors.New("ATTEND_SMTP_URL: tls must be required, opportunistic or none")
	}
	c.Insecure = q.Get("insecure") == "1" || q.Get("insecure") == "true"
	return c, nil
}

// SMTP sends over an SMTP server; it implements outbox.Sender.
type SMTP struct {
	Config SMTPConfig
}

// Via implements outbox.Sender.
func (s *SMTP) Via() string { return "smtp" }

// Session opens one connection for a batch of messages.
func (s *SMTP) Session(ctx context.Context) (outbox.Session, error) {
	c := s.Config
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout)}
	tc := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.Insecure}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if c.SSL {
		opts = append(opts, gomail.WithSSL())
	} else {
		switch c.TLS {
		case "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		default:
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		}
	}
	if c.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if c.TLS == "none" && !c.SSL {
			auth = gomail.SMTPAuthPlainNoEnc // explicitly asked for: a trusted local relay
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("smtp connect %s:%d: %w", c.Host, c.Port, err)
	}
	return &smtpSession{client: client, from: c.From}, nil
}

type smtpSession struct {
	client *gomail.Client
	from   string
}

func (s *smtpSession) Send(ctx context.Context, e outbox.Envelope) error {
	m, err := BuildMessage(s.from, e)
	if err != nil {
		return permanent{err}
	}
	if err := s.client.Send(m); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			return permanent{err}
		}
		return err
	}
	return nil
}

func (s *smtpSession) Close() error { return s.client.Close() }

// permanent marks an error that retrying will not fix.
type permanent struct{ error }

func (permanent) Permanent() bool { return true }
func (p permanent) Unwrap() error { return p.error }

// BuildMessage renders an outbox row as a MIME message: text and HTML
// alternatives, inline parts (cid:) beside the HTML, files attached. The
// Message-ID is the one fixed when the message was queued.
func BuildMessage(from string, e outbox.Envelope) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := m.To(e.ToAddr); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(strings.Trim(e.MessageID, "<>"))
	m.SetDateWithValue(e.CreatedAt)
	m.SetGenHeader(gomail.HeaderContentLang, e.Language)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader("X-Auto-Response-Suppress", "All")
	if e.ListUnsubscribe != "" {
		// RFC 8058: mail programs offer a one-click opt-out that POSTs here.
		m.SetGenHeader("List-Unsubscribe", "<"+e.ListUnsubscribe+">")
		m.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	m.SetBodyString(gomail.TypeTextPlain, e.TextBody, gomail.WithPartEncoding(gomail.EncodingQP))
	if e.HTMLBody != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTMLBody, gomail.WithPartEncoding(gomail.EncodingQP))
	}
	for _, a := range e.Attachments {
		opts := []gomail.FileOption{gomail.WithFileContentType(gomail.ContentType(a.ContentType))}
		if a.ContentID != "" {
			opts = append(opts, gomail.WithFileContentID(a.ContentID))
			m.EmbedReadSeeker(a.Filename, bytes.NewReader(a.Content), opts...)
			continue
		}
		m.AttachReadSeeker(a.Filename, bytes.NewReader(a.Content), opts...)
	}
	return m, nil
}

// Keep is the development transport: messages are not sent anywhere but
// marked as kept, and admins read them on the development mail page.
type Keep struct{}

// Via implements outbox.Sender.
func (Keep) Via() string { return "kept" }

// Session implements outbox.Sender.
func (Keep) Session(context.Context) (outbox.Session, error) { return keepSession{}, nil }

type keepSession struct{}

func (keepSession) Send(context.Context, outbox.Envelope) error { return nil }
func (keepSession) Close() error                                { return nil }

// NewSender returns the SMTP sender for a configured URL, else Keep.
func NewSender(smtpURL, from string) (outbox.Sender, error) {
	if strings.TrimSpace(smtpURL) == "" {
		return Keep{}, nil
	}
	if _, err := netmail.ParseAddress(from); err != nil {
		return nil, errors.New("ATTEND_MAIL_FROM: expected an address such as \"DeCoDe Attend <no-reply@example.org>\"")
	}
	c, err := ParseSMTPURL(smtpURL, from)
	if err != nil {
		return nil, err
	}
	return &SMTP{Config: c}, nil
}
