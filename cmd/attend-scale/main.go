// Command attend-scale runs attend beyond one machine: several instances on
// one PostgreSQL primary behind HAProxy, reports from a streaming replica,
// door and registration load through the balancer with one instance killed
// and one restarted, then the database checked against every answer given.
// .ci/scale.sh (make scale) makes the primary and the replica and runs it;
// it writes synthetic people into the database it is given.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/scale"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "attend-scale:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	o := scale.Options{Out: os.Stdout}
	flag.StringVar(&o.Bin, "attend", "bin/attend", "the attend binary")
	flag.StringVar(&o.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "the primary (an empty database)")
	flag.StringVar(&o.ReplicaURL, "replica-url", "", "a streaming replica of it, for the reports (ATTEND_REPLICA_URL of the instances)")
	flag.DurationVar(&o.ReplicaMaxLag, "replica-max-lag", 0, "ATTEND_REPLICA_MAX_LAG of the instances (default: theirs, 5s)")
	flag.IntVar(&o.Instances, "instances", 3, "attend instances behind HAProxy")
	flag.IntVar(&o.Devices, "devices", 16, "door devices, each scanning as fast as answered")
	flag.IntVar(&o.Clients, "clients", 8, "people registering at once")
	flag.DurationVar(&o.Baseline, "baseline", 15*time.Second, "the same load against one instance directly first")
	flag.DurationVar(&o.Duration, "duration", 40*time.Second, "the run through HAProxy, with the faults")
	dir := flag.String("dir", "", "where logs and configuration go (default: a temporary directory, removed)")
	flag.Parse()
	if o.DatabaseURL == "" {
		return fmt.Errorf("--database-url (or DATABASE_URL) is required")
	}
	hp, err := scale.HAProxyBinary()
	if err != nil {
		return err
	}
	o.HAProxy = hp
	o.RollingRestart = o.Instances >= 3
	if *dir == "" {
		d, err := bench.WorkDir("attend-scale-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	o.Dir = *dir
	fmt.Printf("machine: %s\n", bench.Machine())
	res, err := scale.Run(ctx, o)
	if err != nil {
		return err
	}
	fmt.Print(res.Summary(o.Instances))
	return res.OK()
}
