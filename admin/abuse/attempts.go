package abuse

import "time"

// Allow says whether an attempt by user from addr may be checked at all.
// Either may be "" (unknown), and is then not limited. A lock comes first,
// then the user's limit, then the address's; when several refuse, the
// verdict names the first of them.
func (l *Limiter) Allow(user, addr string) Verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.verdict(user, addr, l.cfg.Now())
}

// Failed records a failed attempt by user from addr ("" for either: not
// counted for it) and says what it led to: the verdict on the next attempt,
// and whether it locked the user.
func (l *Limiter) Failed(user, addr string) Failure {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.cfg.Now()
	l.sweepIfDue(now)
	var f Failure
	if addr != "" {
		l.addrs.entry(addr, now).fail(now, l.addrs.keep)
	}
	if user != "" {
		e := l.users.entry(user, now)
		e.fail(now, l.users.keep)
		if !e.locked(now) && e.count(now, l.cfg.LockAfter.Window) >= l.cfg.LockAfter.Max {
			e.lockedUntil = now.Add(l.cfg.LockFor)
			e.fails = e.fails[:0]
			f.Locked = true
		}
	}
	f.Next = l.verdict(user, addr, now)
	return f
}

// Succeeded records that user authenticated: the failures counted against
// the user are forgotten (those of the address are not).
func (l *Limiter) Succeeded(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.users.entries[user]; ok && !e.locked(l.cfg.Now()) {
		delete(l.users.entries, user)
	}
}

// verdict is Allow with l.mu held.
func (l *Limiter) verdict(user, addr string, now time.Time) Verdict {
	if e := l.users.entries[user]; user != "" && e != nil {
		if e.locked(now) {
			return Verdict{Locked, e.lockedUntil.Sub(now)}
		}
		if wait := e.wait(now, l.cfg.PerUser); wait > 0 {
			return Verdict{UserLimit, wait}
		}
	}
	if e := l.addrs.entries[addr]; addr != "" && e != nil {
		if wait := e.wait(now, l.cfg.PerAddress); wait > 0 {
			return Verdict{AddressLimit, wait}
		}
	}
	return Verdict{}
}

// sweepIfDue drops the expired entries once a minute.
func (l *Limiter) sweepIfDue(now time.Time) {
	if now.Sub(l.users.swept) >= sweepEvery {
		l.users.sweep(now)
	}
	if now.Sub(l.addrs.swept) >= sweepEvery {
		l.addrs.sweep(now)
	}
}
