package abuse_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"carecost/admin/abuse"
)

// clock is a time the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time       { return c.t }
func (c *clock) pass(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                { return &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }
func limiter(c *clock) *abuse.Limiter { return abuse.New(abuse.Config{Now: c.now}) }
func want(t *testing.T, got, w abuse.Verdict) {
	t.Helper()
	if got != w {
		t.Errorf("verdict %+v, want %+v", got, w)
	}
}

// Five failures for a user in a minute: the sixth attempt waits until the
// first of them is a minute old; then one more is allowed.
func TestPerUserLimit(t *testing.T) {
	c := newClock()
	l := limiter(c)
	for i := range 5 {
		want(t, l.Allow("anna", "192.0.2.1"), abuse.Verdict{})
		l.Failed("anna", fmt.Sprintf("192.0.2.%d", i))
		c.pass(10 * time.Second)
	}
	want(t, l.Allow("anna", "192.0.2.9"), abuse.Verdict{Limit: abuse.UserLimit, RetryAfter: 10 * time.Second})
	want(t, l.Allow("olli", "192.0.2.1"), abuse.Verdict{})
	c.pass(10 * time.Second)
	want(t, l.Allow("anna", "192.0.2.9"), abuse.Verdict{})
}

// Ten failures in fifteen minutes lock the user for fifteen minutes, right
// credentials or not, from any address; then the count starts afresh.
func TestLockout(t *testing.T) {
	c := newClock()
	l := limiter(c)
	var last abuse.Failure
	for i := range 10 {
		if v := l.Allow("anna", ""); !v.OK() {
			t.Fatalf("attempt %d refused: %+v", i+1, v)
		}
		last = l.Failed("anna", "")
		if last.Locked != (i == 9) {
			t.Fatalf("failure %d: locked %v", i+1, last.Locked)
		}
		c.pass(time.Minute)
	}
	want(t, last.Next, abuse.Verdict{Limit: abuse.Locked, RetryAfter: 15 * time.Minute})
	want(t, l.Allow("anna", "198.51.100.7"), abuse.Verdict{Limit: abuse.Locked, RetryAfter: 14 * time.Minute})
	l.Succeeded("anna") // a success cannot happen while locked, and does not unlock
	c.pass(14*time.Minute - time.Second)
	want(t, l.Allow("anna", ""), abuse.Verdict{Limit: abuse.Locked, RetryAfter: time.Second})
	c.pass(time.Second)
	want(t, l.Allow("anna", ""), abuse.Verdict{})
	if f := l.Failed("anna", ""); f.Locked || !f.Next.OK() {
		t.Errorf("the first failure after the lock: %+v", f)
	}
}

// A success forgets the user's failures, not the address's.
func TestSuccessForgetsTheUsersFailures(t *testing.T) {
	c := newClock()
	l := abuse.New(abuse.Config{Now: c.now, PerAddress: abuse.Rule{Max: 6, Window: time.Hour}})
	for range 4 {
		l.Failed("anna", "192.0.2.1")
	}
	l.Succeeded("anna")
	for range 2 {
		l.Failed("anna", "192.0.2.1")
	}
	want(t, l.Allow("anna", ""), abuse.Verdict{})
	want(t, l.Allow("", "192.0.2.1"), abuse.Verdict{Limit: abuse.AddressLimit, RetryAfter: time.Hour})
}

// Failures from one address for many users hit the address's limit, which
// refuses every user from it, and no other address.
func TestPerAddressLimit(t *testing.T) {
	c := newClock()
	l := limiter(c)
	for i := range 30 {
		l.Failed(fmt.Sprintf("user%d", i), "192.0.2.1")
		c.pass(time.Second)
	}
	want(t, l.Allow("someone", "192.0.2.1"), abuse.Verdict{Limit: abuse.AddressLimit, RetryAfter: 5*time.Minute - 30*time.Second})
	want(t, l.Allow("someone", "192.0.2.2"), abuse.Verdict{})
	want(t, l.Allow("", ""), abuse.Verdict{})
}

// The tracker forgets expired entries and never holds more than MaxTracked;
// a full tracker drops an entry that is not locked before a locked one.
func TestBoundedMemory(t *testing.T) {
	c := newClock()
	l := abuse.New(abuse.Config{Now: c.now, MaxTracked: 3, LockAfter: abuse.Rule{Max: 2, Window: time.Minute}})
	l.Failed("locked", "")
	l.Failed("locked", "")
	for i := range 10 {
		l.Failed(fmt.Sprintf("u%d", i), fmt.Sprintf("192.0.2.%d", i))
		if v := l.Allow("locked", ""); v.Limit != abuse.Locked {
			t.Fatalf("after %d more users the lock is gone: %+v", i+1, v)
		}
		if users, addrs := l.Tracked(); users > 3 || addrs > 3 {
			t.Fatalf("%d users and %d addresses kept", users, addrs)
		}
	}
	c.pass(time.Hour)
	l.Failed("", "198.51.100.1")
	if users, addrs := l.Tracked(); users != 0 || addrs != 1 {
		t.Errorf("an hour later %d users and %d addresses are kept", users, addrs)
	}
}

// Concurrent attempts keep the counts right (run with -race).
func TestConcurrentFailures(t *testing.T) {
	c := newClock()
	l := abuse.New(abuse.Config{Now: c.now, PerAddress: abuse.Rule{Max: 100, Window: time.Hour}})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				l.Allow("anna", "192.0.2.1")
				l.Failed("", "192.0.2.1")
				l.Succeeded("anna")
			}
		})
	}
	wg.Wait()
	want(t, l.Allow("", "192.0.2.1"), abuse.Verdict{Limit: abuse.AddressLimit, RetryAfter: time.Hour})
}
