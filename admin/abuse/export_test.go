package abuse

// Tracked returns how many users and addresses l keeps track of.
func (l *Limiter) Tracked() (users, addrs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users.entries), len(l.addrs.entries)
}
