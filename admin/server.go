// Package admin is the HTTP face of carecost: the JSON API under /api/v1
// that case managers, admins and controllers work through, the OpenAPI
// document that describes it, the health and readiness probes, the
// Prometheus metrics and the front page of the console.
//
// Every write goes the same way: decode the request strictly, build a
// domain.Command with the actor and the expected version, run it through
// domain.Commands, wait (bounded) until the projections have applied the
// position it wrote, then answer with the fresh view. Errors are mapped to
// HTTP statuses in one place (errors.go) and counted there.
package admin

import (
	"context"
	"encoding/json"
	"html/template"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/admin/abuse"
	"carecost/admin/openid"
	"carecost/domain"
)

// Defaults of Config.
const (
	// DefaultWaitTimeout bounds how long a write waits for the projections.
	DefaultWaitTimeout = 2 * time.Second
	// DefaultBodyLimit is the largest request body accepted, in bytes.
	DefaultBodyLimit = 1 << 20
)

// Config holds what a Server needs. Commands, Reads, Waiter and Health are
// required; the rest have defaults.
type Config struct {
	// Commands runs every command against the event store.
	Commands *domain.Commands
	// Reads answers queries from the projections.
	Reads Reads
	// Waiter gives read-your-writes after a command.
	Waiter Waiter
	// Health answers the readiness probe and the status page.
	Health Health
	// Skipper moves a stopped projection past the event it cannot apply
	// (nil: the skip route answers 503).
	Skipper Skipper
	// Usage tallies what no command records: quotes, what-ifs and the
	// users served under each role (nil: a tally nobody records).
	Usage *domain.UsageTally
	// Registry receives the HTTP metrics and is served at /metrics (nil: a
	// new registry).
	Registry *prometheus.Registry
	// Logger logs every request (nil: slog.Default()).
	Logger *slog.Logger
	// WaitTimeout bounds the wait for the projections after a write
	// (zero: DefaultWaitTimeout).
	WaitTimeout time.Duration
	// BodyLimit is the largest request body in bytes (zero: DefaultBodyLimit).
	BodyLimit int
	// MetricsElsewhere says /metrics is served on an address of its own:
	// the API does not serve it (404).
	MetricsElsewhere bool
	// Directory lists the users and their API tokens (nil: the list routes
	// answer 503).
	Directory Directory
	// Auth establishes who a request comes from (nil: nobody is known, and
	// every route that needs a role answers 401). It runs within Limits.
	Auth Authenticator
	// Limits limits failed authentication per client address and per user
	// (nil: a limiter with the defaults of package abuse).
	Limits *abuse.Limiter
	// TrustedProxies are the addresses whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (none: the peer is the client).
	TrustedProxies []netip.Prefix
	// Sessions are the console's sessions (nil: in memory); authenticate
	// them with a SessionAuth in Auth (FirstOf).
	Sessions *Sessions
	// OIDC signs people in through an OpenID Connect provider (nil: local
	// accounts only).
	OIDC *openid.Provider
	// LoginLimiter bounds sign-in attempts (nil: the limits of failed
	// authentication, Limits).
	LoginLimiter LoginLimiter
	// County is the wellbeing services county's name, on what the console
	// prints for clients ("": the tariff's name stands for it).
	County string
	// Rebuilder rebuilds a projection beside its live read model (nil:
	// the rebuild routes answer 503).
	Rebuilder Rebuilder
}

// Server is the Fiber application of carecost with its dependencies.
type Server struct {
	commands    *domain.Commands
	reads       Reads
	waiter      Waiter
	health      Health
	skipper     Skipper
	auth        Authenticator
	directory   Directory
	authMetrics *authMetrics
	proxies     proxies
	registry    *prometheus.Registry
	usage       *domain.UsageTally
	log         *slog.Logger
	waitTimeout time.Duration
	metrics     *metrics
	metricsHTTP fiber.Handler
	// metricsElsewhere leaves /metrics out of the route table.
	metricsElsewhere bool
	openAPI          []byte
	now              clock
	app              *fiber.App
	// table is the route table as registered.
	table []route
	// signin holds the sessions and the sign-in pages' dependencies.
	signin signIn
	// views are the console's templates, parsed at start.
	views *template.Template
	// catalogue holds the console's words in every language.
	catalogue *Catalogue
	// county is the county's name for printed pages ("": none given).
	county string
	// rebuilder rebuilds a projection beside its live read model (nil:
	// none).
	rebuilder Rebuilder
}

// New returns a Server with every route registered.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		commands: cfg.Commands, reads: cfg.Reads, waiter: cfg.Waiter, health: cfg.Health, skipper: cfg.Skipper, auth: cfg.Auth, directory: cfg.Directory,
		registry: cfg.Registry, usage: cfg.Usage, log: cfg.Logger, waitTimeout: cfg.WaitTimeout,
		metrics: newMetrics(cfg.Registry), now: time.Now, metricsElsewhere: cfg.MetricsElsewhere,
		authMetrics: newAuthMetrics(cfg.Registry), proxies: cfg.TrustedProxies, county: cfg.County,
	}
	s.rebuilder = cfg.Rebuilder
	s.auth = limitedAuth{next: cfg.Auth, limits: cfg.Limits, s: s}
	s.metricsHTTP = newMetricsHandler(s)
	if cfg.LoginLimiter == nil {
		cfg.LoginLimiter = abuseLogins{l: cfg.Limits, s: s}
	}
	s.signin = newSignIn(cfg)
	views, err := loadViews(consoleFS)
	if err != nil {
		panic(err.Error())
	}
	s.views = views.Templates
	if s.catalogue, err = loadCatalogue(messageFiles); err != nil {
		panic(err.Error())
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "carecost",
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		CaseSensitive:         true,
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		// Only the trusted proxies are believed about the scheme (IsHTTPS);
		// clientAddr reads X-Forwarded-For itself.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          s.proxies.fiberList(),
	})
	s.register()
	srv := s.app.Server()
	srv.Handler = guardMethods(srv.Handler, s.app.AcquireCtx, s.app.ReleaseCtx, s.refuseUnknownMethod)
	doc, err := json.Marshal(s.openAPIDocument())
	if err != nil {
		panic("admin: the OpenAPI document does not encode: " + err.Error())
	}
	s.openAPI = doc
	return s
}

// withDefaults returns cfg with the defaults filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Usage == nil {
		cfg.Usage = domain.NewUsageTally()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.WaitTimeout <= 0 {
		cfg.WaitTimeout = DefaultWaitTimeout
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.Directory == nil {
		cfg.Directory = noDirectory{}
	}
	if cfg.Auth == nil {
		cfg.Auth = noAuthenticator{}
	}
	if cfg.Limits == nil {
		cfg.Limits = abuse.New(abuse.Config{})
	}
	return cfg
}

// App returns the Fiber application, for tests and for mounting.
func (s *Server) App() *fiber.App { return s.app }

// Listener serves HTTP on ln until Shutdown.
func (s *Server) Listener(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits, until ctx ends, for the
// requests in flight to finish.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }
