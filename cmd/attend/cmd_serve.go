package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/web"
)

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	demo := fs.Bool("demo", false, "load the DeCoDe demo: calendar moved so that event 4 begins today, with synthetic participants")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, _, err := loadConfig(env)
	if err != nil {
		return err
	}
	tuneGC(env.getenv)
	// Take the port first: a taken port is reported before the database starts.
	ln, err := web.Listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()

	a, err := openAppWith(ctx, env, openOptions{migrate: true, requireKey: true, demo: *demo})
	if err != nil {
		return err
	}
	defer a.close()

	created, err := programme.EnsureSeeded(ctx, a.store, *demo, time.Now(), demoHooks(a)...)
	if err != nil {
		return fmt.Errorf("load programme: %w", err)
	}
	if created {
		a.log.Info("programme loaded", "project", programme.ProjectCode, "demo", *demo)
		if *demo {
			if err := demoWelcome(ctx, a, env.stdout); err != nil {
				return err
			}
		}
	}
	srv, err := web.New(web.Deps{
		Config: a.cfg, Store: a.store, I18n: a.bundle, Log: a.log, Version: buildVersion(), Migrations: a.migrations,
		Services: a.svc,
	})
	if err != nil {
		return err
	}
	if c := a.cluster; c != nil {
		srv.Registry().MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "attend_private_db_restarts_total",
			Help: "Times the private PostgreSQL was found stopped and restarted.",
		}, func() float64 { return float64(c.Restarts()) }))
	}
	workers := startWorkers(ctx, a)
	a.log.Info("listening", "addr", ln.Addr().String(), "url", a.cfg.BaseURL)
	fmt.Fprintf(env.stdout, "DeCoDe Attend is running at %s/ (Ctrl+C to stop)\n", a.cfg.BaseURL)
	err = srv.Serve(ctx, ln)
	workers.Wait()
	return err
}
