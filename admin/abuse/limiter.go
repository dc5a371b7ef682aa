// Package abuse limits failed authentication: per client address, per user,
// and by locking a user after repeated failures. It knows nothing of HTTP:
// an API token, a password at sign-in or any other credential goes through
// the same three calls: Allow before the credentials are checked (or, when
// only checking them tells whose they are, before answering), then Failed
// or Succeeded.
//
// The state is in memory, for one process: a restart forgets it, and
// several instances each keep their own.
package abuse

import (
	"sync"
	"time"
)

// Rule allows at most Max failures within a sliding Window.
type Rule struct {
	Max    int
	Window time.Duration
}

// Defaults of Config.
var (
	// DefaultPerAddress: 30 failures from one address in 5 minutes.
	DefaultPerAddress = Rule{Max: 30, Window: 5 * time.Minute}
	// DefaultPerUser: 5 failures for one user in a minute.
	DefaultPerUser = Rule{Max: 5, Window: time.Minute}
	// DefaultLockAfter: 10 failures for one user in 15 minutes lock it.
	DefaultLockAfter = Rule{Max: 10, Window: 15 * time.Minute}
)

// Further defaults of Config.
const (
	// DefaultLockFor is how long a user stays locked.
	DefaultLockFor = 15 * time.Minute
	// DefaultMaxTracked bounds the users, and the addresses, kept track of.
	DefaultMaxTracked = 100_000
)

// Config sets the limits; zero fields take the defaults.
type Config struct {
	// PerAddress limits the failures from one client address.
	PerAddress Rule
	// PerUser limits the failures for one user.
	PerUser Rule
	// LockAfter locks a user who fails this often.
	LockAfter Rule
	// LockFor is how long a lock lasts.
	LockFor time.Duration
	// MaxTracked bounds the users, and the addresses, kept track of; past
	// it, entries are dropped, expired ones first.
	MaxTracked int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	rule := func(r *Rule, def Rule) {
		if r.Max <= 0 || r.Window <= 0 {
			*r = def
		}
	}
	rule(&c.PerAddress, DefaultPerAddress)
	rule(&c.PerUser, DefaultPerUser)
	rule(&c.LockAfter, DefaultLockAfter)
	if c.LockFor <= 0 {
		c.LockFor = DefaultLockFor
	}
	if c.MaxTracked <= 0 {
		c.MaxTracked = DefaultMaxTracked
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Limit names the limit that refuses an attempt.
type Limit string

// The limits.
const (
	// None refuses nothing.
	None Limit = ""
	// AddressLimit: too many failures from the client's address.
	AddressLimit Limit = "address_limit"
	// UserLimit: too many failures for the user lately.
	UserLimit Limit = "user_limit"
	// Locked: the user is locked after repeated failures.
	Locked Limit = "locked"
)

// Verdict says whether an attempt may be checked, and when not, which
// limit refuses it and how long until it may be tried again.
type Verdict struct {
	Limit      Limit
	RetryAfter time.Duration
}

// OK reports whether the attempt may be checked.
func (v Verdict) OK() bool { return v.Limit == None }

// Failure is what a failed attempt led to.
type Failure struct {
	// Next is the verdict on the next attempt of the same user from the
	// same address.
	Next Verdict
	// Locked says this failure locked the user.
	Locked bool
}

// Limiter keeps the failures of recent attempts. It is safe for concurrent
// use. Attempts checked at the same moment can pass a limit by as many as
// are in flight: Allow does not reserve.
type Limiter struct {
	cfg   Config
	mu    sync.Mutex
	users tracker
	addrs tracker
}

// New returns a Limiter with cfg's limits.
func New(cfg Config) *Limiter {
	cfg = cfg.withDefaults()
	keepUser := max(cfg.PerUser.Max, cfg.LockAfter.Max)
	longestUser := max(cfg.PerUser.Window, cfg.LockAfter.Window, cfg.LockFor)
	return &Limiter{cfg: cfg,
		users: newTracker(keepUser, longestUser, cfg.MaxTracked),
		addrs: newTracker(cfg.PerAddress.Max, cfg.PerAddress.Window, cfg.MaxTracked)}
}

// Config returns the limits in force, the defaults filled in.
func (l *Limiter) Config() Config { return l.cfg }
