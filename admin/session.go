package admin

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

// Defaults of SessionConfig.
const (
	// DefaultIdleTimeout ends a session nobody used for this long.
	DefaultIdleTimeout = 30 * time.Minute
	// DefaultAbsoluteTimeout ends a session this long after signing in,
	// however busy.
	DefaultAbsoluteTimeout = 10 * time.Hour
)

// seenEvery is how stale a session's last use may get before a request
// records it again: most requests then write nothing.
const seenEvery = time.Minute

// SessionConfig configures the console's sessions.
type SessionConfig struct {
	// Storage keeps the sessions (nil: memory, lost at a restart).
	Storage fiber.Storage
	// InsecureCookies leaves Secure off the cookies, for plain HTTP on a
	// loopback address only.
	InsecureCookies bool
	// IdleTimeout and AbsoluteTimeout (zero: the defaults).
	IdleTimeout, AbsoluteTimeout time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Sessions are the console's server-side sessions: the cookie
// carecost_session (HttpOnly, SameSite=Lax, Secure) holds a random id, the
// storage the rest. A session signs a person in for IdleTimeout after its
// last use and AbsoluteTimeout after signing in, both checked here, on
// the server, whatever the browser keeps.
type Sessions struct {
	store          *session.Store
	idle, absolute time.Duration
	now            func() time.Time
	secure         bool
}

// NewSessions returns the sessions of cfg.
func NewSessions(cfg SessionConfig) *Sessions {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Sessions{
		store: session.New(session.Config{
			// The storage drops a session unused a little longer than the
			// idle timeout (uses are recorded every seenEvery); the checks
			// below end it on time.
			Expiration: cfg.IdleTimeout + seenEvery, Storage: cfg.Storage, KeyLookup: "cookie:" + sessionCookie,
			CookiePath: "/", CookieSecure: !cfg.InsecureCookies, CookieHTTPOnly: true, CookieSameSite: "Lax",
			CookieSessionOnly: true, KeyGenerator: newSecret,
		}),
		idle: cfg.IdleTimeout, absolute: cfg.AbsoluteTimeout, now: cfg.Now, secure: !cfg.InsecureCookies,
	}
}

// Keys of a session's data. Only strings and int64s are kept (gob needs
// no registration for them).
const (
	keyUser      = "user"       // login name; none before signing in
	keyMethod    = "method"     // password or oidc
	keyStarted   = "started"    // Unix seconds of signing in
	keySignedIn  = "signed_in"  // Unix nanoseconds of signing in, to compare with a password's change
	keySeen      = "seen"       // Unix seconds of the last use
	keyCSRF      = "csrf"       // the session's CSRF token
	keyFlash     = "flash"      // a sign-in failure to show once
	keyFlashName = "flash_name" // the name typed on a failed sign-in
	keyFlashWait = "flash_wait" // seconds to wait, with the flash limited
	keyOIDC      = "oidc"       // a pending OpenID Connect sign-in
)

// newSecret returns 32 random bytes, base64url: session ids, CSRF tokens.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the request's session, a new one (not stored until saved)
// when it has none or an unknown one.
func (s *Sessions) get(c *fiber.Ctx) (*session.Session, error) { return s.store.Get(c) }

// anonymousLife is how long the storage keeps a session nobody signed in
// with (the sign-in form's CSRF token, a message to show once, an OpenID
// Connect sign-in under way): long enough to fill in the form or to come
// back from the provider, short enough that visits to /login, which each
// store one, do not pile up.
const anonymousLife = 15 * time.Minute

// save stores sess; a session nobody signed in with is kept for
// anonymousLife only.
func (s *Sessions) save(sess *session.Session) error {
	if user, _ := sess.Get(keyUser).(string); user == "" {
		sess.SetExpiry(anonymousLife)
	}
	return sess.Save()
}

// csrfToken returns the session's CSRF token, making one when it has none.
func csrfToken(sess *session.Session) string {
	if t, _ := sess.Get(keyCSRF).(string); t != "" {
		return t
	}
	t := newSecret()
	sess.Set(keyCSRF, t)
	return t
}

// signIn makes sess the session of user: a new id (the old one, which
// someone else may have planted or seen, is deleted), nothing kept from
// before but a fresh CSRF token, and the times that end it. It saves the
// session: sess is not to be used after.
func (s *Sessions) signIn(sess *session.Session, user, method string) error {
	if err := sess.Regenerate(); err != nil {
		return err
	}
	for _, k := range sess.Keys() {
		sess.Delete(k)
	}
	at := s.now()
	now := at.Unix()
	sess.Set(keyUser, user)
	sess.Set(keyMethod, method)
	sess.Set(keyStarted, now)
	sess.Set(keySignedIn, at.UnixNano())
	sess.Set(keySeen, now)
	sess.Set(keyCSRF, newSecret())
	sess.SetExpiry(s.idle + seenEvery) // the anonymous session it was had less
	return sess.Save()
}

// signedInBefore reports whether the session was signed in before t. A
// session that kept only the second of its sign-in (an earlier version's)
// counts as before t when it was signed in within t's second too.
func signedInBefore(sess *session.Session, t time.Time) bool {
	if ns, ok := sess.Get(keySignedIn).(int64); ok {
		return ns < t.UnixNano()
	}
	started, _ := sess.Get(keyStarted).(int64)
	return started <= t.Unix()
}

// expired reports whether a signed-in session ended: unused for the idle
// timeout, or signed in longer than the absolute one.
func (s *Sessions) expired(sess *session.Session) bool {
	started, _ := sess.Get(keyStarted).(int64)
	seen, _ := sess.Get(keySeen).(int64)
	now := s.now()
	return now.Sub(time.Unix(started, 0)) >= s.absolute || now.Sub(time.Unix(seen, 0)) >= s.idle
}

// Secure reports whether the cookies are Secure.
func (s *Sessions) Secure() bool { return s.secure }
