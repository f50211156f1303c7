package config

import (
	"errors"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || c.LogFormat != "text" || c.DatabaseURL != "" {
		t.Fatalf("defaults: %+v", c)
	}
	if !strings.HasSuffix(c.DataDir, "/var") {
		t.Fatalf("data dir: %s", c.DataDir)
	}
	c, _ = FromEnv(env(map[string]string{"ATTEND_ADDR": "0.0.0.0:9000"}))
	if c.BaseURL != "http://localhost:9000" {
		t.Fatalf("base URL for a wildcard address: %s", c.BaseURL)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	cases := []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"DATABASE_URL": "postgres://u:secret@host:5432/db%zz"}, "DATABASE_URL"},
		{map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{map[string]string{"ATTEND_ADDR": "nonsense"}, "ATTEND_ADDR"},
		{map[string]string{"ATTEND_ADDR": "127.0.0.1:99999"}, "ATTEND_ADDR"},
		{map[string]string{"ATTEND_BASE_URL": "ftp://x"}, "ATTEND_BASE_URL"},
		{map[string]string{"ATTEND_LOG_FORMAT": "xml"}, "ATTEND_LOG_FORMAT"},
		{map[string]string{"ATTEND_SMTP_URL": "http://mail"}, "ATTEND_SMTP_URL"},
		{map[string]string{"ATTEND_DB_MAX_CONNS": "0"}, "ATTEND_DB_MAX_CONNS"},
		{map[string]string{"ATTEND_TLS_CERT": "/x.pem"}, "ATTEND_TLS_CERT"},
	}
	for _, c := range cases {
		_, err := FromEnv(env(c.env))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != c.name {
			t.Errorf("%v: got %v, want an error naming %s", c.env, err, c.name)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("the error leaks the password: %v", err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("the error is not one line: %q", err)
		}
	}
}

func TestValidValues(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		"DATABASE_URL": "postgres://attend@db.example:5432/attend?sslmode=require", "ATTEND_BASE_URL": "https://attend.example/",
		"ATTEND_LOG_FORMAT": "json", "ATTEND_SMTP_URL": "smtp://u:p@mail.example:587", "ATTEND_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://attend.example" || len(c.TrustedProxy) != 2 || c.LogFormat != "json" {
		t.Fatalf("%+v", c)
	}
}
