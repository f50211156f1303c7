// Package config builds the typed configuration from the environment and
// validates it, naming the offending variable in every error.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/secretbox"
)

// Config is everything the process reads from its environment.
type Config struct {
	DatabaseURL string // empty: a private cluster under DataDir/pg
	Addr        string
	BaseURL     string // public URL used in links (no trailing slash)
	DataDir     string
	LogFormat   string // text | json
	LogLevel    string // debug | info | warn | error

	DBMaxConns int

	// ReplicaURL (ATTEND_REPLICA_URL) is a streaming replica the report
	// queries read from while it is at most ReplicaMaxLag behind the primary
	// (ATTEND_REPLICA_MAX_LAG); empty reads every report from DATABASE_URL.
	ReplicaURL    string
	ReplicaMaxLag time.Duration

	// MaxInflight caps the requests handled at once; beyond it the server
	// answers 503 with Retry-After instead of queueing.
	MaxInflight int

	SMTPURL  string // smtp://user:pass@host:587; empty keeps mail on the development page
	MailFrom string

	TLSCert      string
	TLSKey       string
	ACMEHosts    []string // automatic certificates for these host names
	TrustedProxy []string // addresses whose X-Forwarded-* headers are trusted

	ShutdownTimeout time.Duration

	// SecretKeyFile (ATTEND_SECRET_KEY_FILE) holds the master key that seals
	// event signing keys and second-factor secrets in the database; SecretKey
	// is that key, read and checked here. Both empty when the variable is
	// unset: then serve refuses to run unless --demo (which keeps its key in
	// DataDir), see docs/security.md.
	SecretKeyFile string
	SecretKey     *secretbox.Key
}

// Error names the variable that is wrong.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

// FromEnv reads the configuration from getenv (os.Getenv in production).
func FromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{
		DatabaseURL:  strings.TrimSpace(getenv("DATABASE_URL")),
		Addr:         or(getenv("ATTEND_ADDR"), "127.0.0.1:8080"),
		BaseURL:      strings.TrimRight(getenv("ATTEND_BASE_URL"), "/"),
		DataDir:      or(getenv("ATTEND_DATA_DIR"), "./var"),
		LogFormat:    or(getenv("ATTEND_LOG_FORMAT"), "text"),
		LogLevel:     or(getenv("ATTEND_LOG_LEVEL"), "info"),
		SMTPURL:      getenv("ATTEND_SMTP_URL"),
		MailFrom:     or(getenv("ATTEND_MAIL_FROM"), "DeCoDe Attend <no-reply@localhost>"),
		TLSCert:      getenv("ATTEND_TLS_CERT"),
		TLSKey:       getenv("ATTEND_TLS_KEY"),
		ACMEHosts:    list(getenv("ATTEND_ACME_HOSTS")),
		TrustedProxy: list(getenv("ATTEND_TRUSTED_PROXIES")),
	}
	if c.DatabaseURL != "" {
		if err := checkDatabaseURL(c.DatabaseURL); err != nil {
			return nil, &Error{"DATABASE_URL", err.Error()}
		}
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, &Error{"ATTEND_ADDR", fmt.Sprintf("%q is not host:port", c.Addr)}
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return nil, &Error{"ATTEND_ADDR", fmt.Sprintf("port %q is not a number from 0 to 65535", port)}
	}
	if c.BaseURL == "" {
		scheme := "http"
		if c.TLSCert != "" || len(c.ACMEHosts) > 0 {
			scheme = "https"
		}
		host := c.Addr
		if h, p, _ := net.SplitHostPort(c.Addr); h == "" || h == "0.0.0.0" || h == "::" {
			host = net.JoinHostPort("localhost", p)
		}
		c.BaseURL = scheme + "://" + host
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{"ATTEND_BASE_URL", fmt.Sprintf("%q is not an http(s) URL", c.BaseURL)}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return nil, &Error{"ATTEND_LOG_FORMAT", fmt.Sprintf("%q is not text or json", c.LogFormat)}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, &Error{"ATTEND_LOG_LEVEL", fmt.Sprintf("%q is not debug, info, warn or error", c.LogLevel)}
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return nil, &Error{"ATTEND_DATA_DIR", err.Error()}
	}
	c.DataDir = abs
	c.DBMaxConns = 20
	if v := getenv("ATTEND_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, &Error{"ATTEND_DB_MAX_CONNS", fmt.Sprintf("%q is not a number from 1 to 1000", v)}
		}
		c.DBMaxConns = n
	}
	if c.ReplicaURL = strings.TrimSpace(getenv("ATTEND_REPLICA_URL")); c.ReplicaURL != "" {
		if err := checkDatabaseURL(c.ReplicaURL); err != nil {
			return nil, &Error{"ATTEND_REPLICA_URL", err.Error()}
		}
	}
	c.ReplicaMaxLag = 5 * time.Second
	if v := strings.TrimSpace(getenv("ATTEND_REPLICA_MAX_LAG")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 24*time.Hour {
			return nil, &Error{"ATTEND_REPLICA_MAX_LAG", fmt.Sprintf("%q is not a duration from 0s to 24h (for example 5s)", v)}
		}
		c.ReplicaMaxLag = d
	}
	c.MaxInflight = 256
	if v := getenv("ATTEND_MAX_INFLIGHT"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 100000 {
			return nil, &Error{"ATTEND_MAX_INFLIGHT", fmt.Sprintf("%q is not a number from 1 to 100000", v)}
		}
		c.MaxInflight = n
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return nil, &Error{"ATTEND_SMTP_URL", "expected smtp://user:password@host:587 or smtps://host:465"}
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, &Error{"ATTEND_TLS_CERT", "ATTEND_TLS_CERT and ATTEND_TLS_KEY must be set together"}
	}
	if v := strings.TrimSpace(getenv("ATTEND_SECRET_KEY_FILE")); v != "" {
		if c.SecretKeyFile, err = filepath.Abs(v); err != nil {
			return nil, &Error{"ATTEND_SECRET_KEY_FILE", err.Error()}
		}
		if c.SecretKey, err = secretbox.LoadKeyFile(c.SecretKeyFile); err != nil {
			return nil, &Error{"ATTEND_SECRET_KEY_FILE", err.Error()}
		}
	}
	c.ShutdownTimeout = 20 * time.Second
	return c, nil
}

// Load reads the process environment.
func Load() (*Config, error) { return FromEnv(os.Getenv) }

func checkDatabaseURL(s string) error {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		u, err := url.Parse(s)
		if err != nil {
			// Never echo the URL: it may hold a password.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("cannot parse the URL: %v", err)
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return fmt.Errorf("the URL names no host")
		}
		return nil
	}
	if strings.Contains(s, "=") && !strings.Contains(s, "://") {
		return nil // key=value connection string, checked when connecting
	}
	return fmt.Errorf("expected postgres://user:password@host:5432/dbname")
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
