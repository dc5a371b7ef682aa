package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"carecost/admin"
	"carecost/admin/sessionstore"
	"carecost/domain"
	"carecost/eventstore/logsub"
)

func init() {
	commands["serve"] = command{"run carecost: the console and JSON API, projections, metrics", runServe}
}

func runServe(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.serveFlags(fs, e.getenv)
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: carecost serve [flags]\n\nRuns the console and the JSON API, the projections and the metrics.\n\n"+
			"Environment only: "+bootstrapEnv+"=NAME:PASSWORD-FILE makes user NAME an admin with the password on the\n"+
			"file's first line, on a store without users (docs/security.md).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	s, err := startServer(ctx, cfg, e)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		// Stopped (SIGTERM, Ctrl-C) before it was up, say while it waited
		// for its event store: a stop, not a failure.
		fmt.Fprintln(e.stderr, "carecost serve: stopped before it started serving")
		return nil
	}
	if err != nil {
		return err
	}
	<-ctx.Done()
	s.log.Info("shutting down")
	return s.stop()
}

// server is a running carecost: the app, the projections' router and the
// HTTP listeners.
type server struct {
	*app
	sub     *logsub.Subscriber
	router  *message.Router
	http    *admin.Server
	metrics *http.Server // /metrics on its own address, when configured
	addr    string
	// scheme is https when carecost terminates TLS itself, else http.
	scheme string
	// sessions keeps the console's sessions (sessions.db).
	sessions *sessionstore.SQLite
	// metricsAddr is the address /metrics is served on alone ("" when it
	// is served on addr).
	metricsAddr string
	// usage tallies what no command records; recordUsage records it in
	// the log now and then, and once more at the stop.
	usage         *domain.UsageTally
	usageDone     chan struct{}
	usageStop     context.CancelFunc
	usageInstance string
}

// startServer opens the store, catches the projections up, starts the
// router and the HTTP listeners; it returns once carecost serves.
func startServer(ctx context.Context, cfg config, e *env) (*server, error) {
	start := time.Now()
	log := newLogger(cfg.logFormat, e.stderr)
	a, err := openApp(ctx, cfg, log, true)
	if err != nil {
		return nil, err
	}
	s := &server{app: a}
	if err := s.prepare(ctx, e); err != nil {
		a.Close()
		return nil, err
	}
	reg := newRegistry(a)
	if err := s.startRouter(reg); err != nil {
		a.Close()
		return nil, err
	}
	if err := s.listen(cfg, reg); err != nil {
		s.stop()
		return nil, err
	}
	log.Info("carecost serving", "addr", s.scheme+"://"+s.addr, "data", cfg.data, "ready_in", time.Since(start).Round(time.Millisecond).String())
	// A projection of a new version whose tables are the old version's
	// answers from its old rows until its new rows are built beside them.
	// One at a time, as every rebuild beside the live read models.
	if pending := a.runner.PendingRebuilds(); len(pending) > 0 {
		go func() {
			for _, name := range pending {
				if _, err := a.runner.StartRebuild(name); err != nil {
					log.Warn("could not start building the new version of a projection beside its old rows; they keep answering",
						"projection", name, "error", domain.ErrorMessage(err))
					return
				}
				if _, err := a.runner.WaitRebuild(context.Background(), name); err != nil {
					return // failed or cancelled: logged by the rebuild
				}
			}
		}()
	}
	fmt.Fprintf(e.stdout, "carecost serving on %s://%s\n", s.scheme, s.addr)
	return s, nil
}

// prepare loads the demo data when asked, catches the projections up, and
// makes the first admin (CARECOST_BOOTSTRAP_ADMIN) on a store without users
// and, when it loaded the demo data now, the demo users, whose passwords
// and tokens it prints.
func (s *server) prepare(ctx context.Context, e *env) error {
	demoLoaded := false
	if s.cfg.demo {
		var err error
		if demoLoaded, err = loadDemo(ctx, s.app); err != nil {
			return fmt.Errorf("load the demo data: %w", err)
		}
		if !demoLoaded {
			s.log.Warn("--demo: the store has a catalogue already; no demo data and no demo users added")
		} else if !loopback(s.cfg.addr) {
			s.log.Warn("--demo on an address other machines can reach: the demo users' passwords and tokens are printed below; never run a demo store in production",
				"addr", s.cfg.addr)
		}
	}
	if err := s.runner.CatchUp(ctx); err != nil {
		return err
	}
	if s.cfg.countyName() == "" {
		s.log.Warn("--county is not set: estimates printed for clients are headed with the tariff's name instead of the county's")
	}
	name, err := bootstrapAdmin(ctx, s.app, e.getenv(bootstrapEnv))
	if err != nil {
		return err
	}
	if name != "" {
		s.log.Info("created the first admin", "user", name)
	}
	if demoLoaded {
		// Only with the demo data: --demo left on for a store with real
		// data must not add users with known roles to it.
		users, err := addDemoUsers(ctx, s.app)
		if err != nil {
			return fmt.Errorf("the demo users: %w", err)
		}
		printDemoUsers(e.stdout, users)
	}
	return nil
}

func (s *server) startRouter(reg *prometheus.Registry) error {
	wlog := watermill.NewSlogLogger(s.log)
	s.sub = logsub.New(logsub.Config{Store: s.store, Resume: s.runner.Resume, Logger: wlog})
	router, err := s.runner.NewRouter(s.sub, reg, wlog)
	if err != nil {
		return err
	}
	s.router = router
	go func() {
		if err := router.Run(context.Background()); err != nil {
			s.log.Error("projection router stopped", "err", err)
		}
	}()
	<-router.Running()
	return nil
}

func (s *server) listen(cfg config, reg *prometheus.Registry) error {
	proxies, err := cfg.proxies()
	if err != nil {
		return err
	}
	provider, err := cfg.openIDProvider()
	if err != nil {
		return err
	}
	store, sessions, err := cfg.openSessions()
	if err != nil {
		return err
	}
	s.sessions = store
	s.startUsage(cfg)
	s.http = admin.New(admin.Config{Usage: s.usage, Commands: s.cmds, Reads: s.set, Waiter: s.runner, Health: s.runner, Skipper: s.runner,
		Registry: reg, Logger: s.log, WaitTimeout: cfg.waitTimeout, MetricsElsewhere: cfg.metricsAddr != "",
		Auth: admin.FirstOf(admin.BearerTokens{Commands: s.cmds, OutageGrace: cfg.outageGrace},
			admin.SessionAuth{Sessions: sessions, Commands: s.cmds, OutageGrace: cfg.outageGrace}),
		Sessions: sessions, OIDC: provider, TrustedProxies: proxies, Directory: s.set, County: cfg.countyName(), Rebuilder: s.runner})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	s.addr = ln.Addr().String()
	if ln, s.scheme, err = cfg.serveTLS(ln); err != nil {
		ln.Close()
		return err
	}
	go s.http.Listener(ln)
	if cfg.metricsAddr == "" {
		return nil
	}
	mln, err := net.Listen("tcp", cfg.metricsAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.metricsAddr, err)
	}
	s.metricsAddr = mln.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	s.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.metrics.Serve(mln)
	return nil
}

// stop shuts down in order: HTTP, then the router, then the store.
func (s *server) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	if s.http != nil {
		errs = append(errs, s.http.Shutdown(ctx))
	}
	if s.metrics != nil {
		errs = append(errs, s.metrics.Shutdown(ctx))
	}
	if s.sessions != nil {
		errs = append(errs, s.sessions.Close())
	}
	s.stopUsage(ctx)
	if s.router != nil {
		errs = append(errs, s.router.Close())
	}
	if s.sub != nil {
		errs = append(errs, s.sub.Close())
	}
	errs = append(errs, s.runner.Flush(ctx), s.app.Close())
	return errors.Join(errs...)
}

// startUsage starts recording the usage tally: every cfg.usageEvery, in a
// stream of this instance's own (one per start, so instances never contend
// for it).
func (s *server) startUsage(cfg config) {
	every := cfg.usageEvery
	if every <= 0 {
		every = domain.UsageEvery
	}
	s.usage = domain.NewUsageTally()
	ctx, cancel := context.WithCancel(context.Background())
	s.usageStop, s.usageDone = cancel, make(chan struct{})
	instance := domain.NewID()
	go func() {
		defer close(s.usageDone)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := s.cmds.RecordUsage(ctx, s.usage, instance); err != nil && ctx.Err() == nil {
				s.log.Warn("could not record the usage tally; kept for the next try", "error", domain.ErrorMessage(err))
			}
		}
	}()
	s.usageInstance = instance
}

// stopUsage stops the recording and records what the tally holds.
func (s *server) stopUsage(ctx context.Context) {
	if s.usageStop == nil {
		return
	}
	s.usageStop()
	<-s.usageDone
	if _, err := s.cmds.RecordUsage(ctx, s.usage, s.usageInstance); err != nil {
		s.log.Warn("could not record the usage tally at the stop", "error", domain.ErrorMessage(err))
	}
}
