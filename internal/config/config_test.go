package config

import (
	"errors"
	"os"
	"path/filepath"
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

// ATTEND_SECRET_KEY_FILE is read and checked at start: a missing, wrong-sized
// or world-readable key file is an error naming the variable, never showing
// the file's content.
func TestSecretKeyFile(t *testing.T) {
	dir := t.TempDir()
	key := strings.Repeat("ab", 32)
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	good := write("good.key", key+"\n", 0o600)
	c, err := FromEnv(env(map[string]string{"ATTEND_SECRET_KEY_FILE": good}))
	if err != nil || c.SecretKey == nil || c.SecretKeyFile != good {
		t.Fatalf("a good key file: %+v %v", c, err)
	}
	if c, _ := FromEnv(env(nil)); c.SecretKey != nil || c.SecretKeyFile != "" {
		t.Fatalf("no variable, yet a key: %+v", c)
	}
	for name, path := range map[string]string{
		"missing":        filepath.Join(dir, "none.key"),
		"short":          write("short.key", key[:40], 0o600),
		"world-readable": write("open.key", key, 0o644),
	} {
		_, err := FromEnv(env(map[string]string{"ATTEND_SECRET_KEY_FILE": path}))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != "ATTEND_SECRET_KEY_FILE" || strings.Contains(err.Error(), key[:16]) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
