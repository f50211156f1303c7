package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pgembed"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

// app is the set of things most commands need: configuration, logger, and a
// migrated database.
type app struct {
	cfg        *config.Config
	log        *slog.Logger
	store      *store.Store
	replica    *store.Replica // ATTEND_REPLICA_URL, for the report queries
	migrations []store.Migration
	cluster    *pgembed.Cluster // the private database, when DATABASE_URL is empty
	bundle     *i18n.Bundle
	// svc is every service, built once here with the real clock; the server,
	// the workers and the commands all use these.
	svc *services.Set
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadConfig reads the environment and builds the logger.
func loadConfig(env *cliEnv) (*config.Config, *slog.Logger, error) {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return nil, nil, err
	}
	return cfg, newLogger(cfg, env.stderr), nil
}

// openApp connects to the database (starting the private cluster when
// DATABASE_URL is empty) and applies pending migrations.
func openApp(ctx context.Context, env *cliEnv, migrate bool) (*app, error) {
	return openAppWith(ctx, env, openOptions{migrate: migrate})
}

// openOptions say what a command needs of the database and the master key.
type openOptions struct {
	migrate bool // apply migrations and seal secrets still in clear
	// requireKey: refuse to run without a master key (serve).
	requireKey bool
	// demo: with no ATTEND_SECRET_KEY_FILE, create DATA_DIR/secret.key.
	demo bool
	// oldKeys open secrets sealed with former master keys (keys rewrap).
	oldKeys []*secretbox.Key
}

func openAppWith(ctx context.Context, env *cliEnv, opts openOptions) (*app, error) {
	cfg, log, err := loadConfig(env)
	if err != nil {
		return nil, err
	}
	key, err := masterKey(cfg, log, opts)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log}
	if a.migrations, err = store.LoadMigrations(migrations.FS); err != nil {
		return nil, err
	}
	url := cfg.DatabaseURL
	if url == "" {
		dir := filepath.Join(cfg.DataDir, "pg")
		log.Info("DATABASE_URL is empty: using the private PostgreSQL cluster", "dir", dir)
		c, err := pgembed.Start(ctx, dir, log)
		if errors.Is(err, pgembed.ErrNotTraversable) {
			// As root in a private directory (e.g. a mktemp checkout) the
			// server account cannot reach ./var: keep the cluster in a
			// root-owned place named after the data directory instead.
			sum := sha256.Sum256([]byte(dir))
			alt := filepath.Join(os.TempDir(), "attend-data-"+hex.EncodeToString(sum[:6]))
			log.Warn("the data directory is not reachable for the database account; using another place", "dir", alt)
			c, err = pgembed.Start(ctx, alt, log)
		}
		if err != nil {
			return nil, fmt.Errorf("private database: %w", err)
		}
		a.cluster = c
		if err := c.CreateDatabase(ctx, "attend"); err != nil {
			c.Stop()
			return nil, fmt.Errorf("private database: %w", err)
		}
		url = c.URL("attend")
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	a.store, err = store.Open(cctx, url, cfg.DBMaxConns)
	if err != nil {
		a.close()
		return nil, fmt.Errorf("DATABASE_URL: cannot connect to the database: %s", cleanDBError(err))
	}
	if key != nil {
		a.store.Sealer = secretbox.NewKeyring(key, opts.oldKeys...)
	}
	if opts.migrate {
		n, err := a.store.Migrate(ctx, a.migrations, log)
		if err != nil {
			a.close()
			var newer store.ErrSchemaNewer
			if errors.As(err, &newer) {
				return nil, err
			}
			return nil, fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			log.Info("database migrated", "applied", n)
		}
		// Read-only commands (report) neither need nor check the key.
		if err := a.checkSecrets(ctx); err != nil {
			a.close()
			return nil, err
		}
	} else if _, err := a.store.SchemaStatus(ctx, a.migrations); err != nil {
		a.close()
		return nil, err
	}
	if a.bundle, err = i18n.Load(); err != nil {
		a.close()
		return nil, err
	}
	if cfg.ReplicaURL != "" {
		// Up to a quarter of the pool: reports are few and heavy.
		if a.replica, err = store.OpenReplica(cfg.ReplicaURL, max(2, cfg.DBMaxConns/4), cfg.ReplicaMaxLag); err != nil {
			a.close()
			return nil, &config.Error{Var: "ATTEND_REPLICA_URL", Msg: err.Error()}
		}
		log.Info("reports read from the replica while it is close enough behind", "max_lag", cfg.ReplicaMaxLag.String())
	}
	if a.svc, err = services.New(services.Deps{Store: a.store, Replica: a.replica, I18n: a.bundle, BaseURL: cfg.BaseURL, Now: time.Now}); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// demoKeyFile is where the demo (and the private database) keep the master key.
func demoKeyFile(cfg *config.Config) string { return filepath.Join(cfg.DataDir, "secret.key") }

// masterKey is ATTEND_SECRET_KEY_FILE's key; without it, with the private
// database or the demo, the one in the data directory (the demo creates it).
func masterKey(cfg *config.Config, log *slog.Logger, opts openOptions) (*secretbox.Key, error) {
	if cfg.SecretKey != nil {
		return cfg.SecretKey, nil
	}
	path := demoKeyFile(cfg)
	switch {
	case opts.demo:
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("ATTEND_DATA_DIR: %w", err)
		}
		k, created, err := secretbox.LoadOrGenerateKeyFile(path)
		if err != nil {
			return nil, fmt.Errorf("demo master key: %w", err)
		}
		if created {
			log.Info("created the demo's master key", "file", path, "key_id", k.ID())
		}
		return k, nil
	case cfg.DatabaseURL == "":
		k, err := secretbox.LoadKeyFile(path)
		if err == nil || !errors.Is(err, os.ErrNotExist) {
			return k, err
		}
	}
	if opts.requireKey {
		return nil, &config.Error{Var: "ATTEND_SECRET_KEY_FILE", Msg: "not set: the server keeps event signing keys and " +
			"second-factor secrets sealed with this key; create one with `openssl rand -hex 32 > FILE; chmod 600 FILE` " +
			"and keep a copy apart from the database backups (see docs/security.md), or run `attend serve --demo`"}
	}
	return nil, nil
}

// checkSecrets refuses a database whose sealed secrets the loaded key cannot
// open, and seals the secrets still in clear (written before sealing existed).
func (a *app) checkSecrets(ctx context.Context) error {
	st, err := a.store.Secrets(ctx, a.store.DB)
	if err != nil {
		return err
	}
	for id, n := range st.Sealed {
		if a.store.Sealer == nil {
			return &config.Error{Var: "ATTEND_SECRET_KEY_FILE", Msg: fmt.Sprintf("not set, but the database holds %d secrets "+
				"sealed with master key %s: set it to that key's file", n, id)}
		}
		if !a.store.Sealer.Has(id) {
			return &config.Error{Var: "ATTEND_SECRET_KEY_FILE", Msg: fmt.Sprintf("holds master key %s, but the database holds %d "+
				"secrets sealed with master key %s: wrong key file? (to change the master key use attend keys rewrap)",
				a.store.Sealer.ID(), n, id)}
		}
	}
	if st.Plain == 0 {
		return nil
	}
	if a.store.Sealer == nil {
		a.log.Warn("secrets are stored in clear: set ATTEND_SECRET_KEY_FILE to seal them", "count", st.Plain)
		return nil
	}
	var n int
	err = a.store.InTx(ctx, func(tx *sqlx.Tx) error {
		if n, err = a.store.SealPlaintext(ctx, tx); err != nil || n == 0 {
			return err
		}
		return audit.Log(ctx, a.store, tx, audit.Entry{ActorLabel: "system", Action: "secrets.seal",
			Details: map[string]any{"secrets": n, "key_id": a.store.Sealer.ID()}})
	})
	if err != nil {
		return fmt.Errorf("seal secrets: %w", err)
	}
	a.log.Info("sealed the secrets stored in clear", "count", n, "key_id", a.store.Sealer.ID())
	return nil
}

// close releases the database and stops the private cluster.
func (a *app) close() {
	if a.store != nil {
		a.store.Close()
	}
	a.replica.Close()
	if a.cluster != nil {
		if err := a.cluster.Stop(); err != nil {
			a.log.Warn("stopping the private database", "err", err)
		}
	}
}

// cleanDBError shortens driver errors to their cause, for a one-line message.
func cleanDBError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "connect to database: ")
	return s
}
