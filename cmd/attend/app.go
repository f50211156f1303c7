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

	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/pgembed"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

// app is the set of things most commands need: configuration, logger, and a
// migrated database.
type app struct {
	cfg        *config.Config
	log        *slog.Logger
	store      *store.Store
	migrations []store.Migration
	cluster    *pgembed.Cluster // the private database, when DATABASE_URL is empty
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
	cfg, log, err := loadConfig(env)
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
	if migrate {
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
	} else if _, err := a.store.SchemaStatus(ctx, a.migrations); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// close releases the database and stops the private cluster.
func (a *app) close() {
	if a.store != nil {
		a.store.Close()
	}
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
