package domain

import (
	"context"
	"time"
)

// maxCachedUsers bounds the users and the tokens kept in memory, each.
const maxCachedUsers = 10000

// user runs one command on user name through the one update shape, on a
// cached copy, and keeps the result when the command landed.
func (c *Commands) user(ctx context.Context, cmd Command, name string, decide func(*User) error) (Result, error) {
	if err := ValidUserName("name", name); err != nil {
		return Result{}, err
	}
	u, r, err := updateFrom(ctx, c.store, cmd, func() *User { return c.users.get(name) }, func() *User { return NewUser(name) }, decide)
	switch {
	case err == nil && !r.Replayed && u.Exists():
		c.users.put(name, u)
	case err == nil:
		c.users.forget(name) // the next lookup reads the user as it now stands
	}
	return r, err
}

// AddUser adds a user (see User.Add).
func (c *Commands) AddUser(ctx context.Context, cmd Command, in UserInput) (Result, error) {
	return c.user(ctx, cmd, in.Name, func(u *User) error { return u.Add(in) })
}

// SetUserPassword replaces the password hash of user name ("": the user
// signs in only through OpenID Connect).
func (c *Commands) SetUserPassword(ctx context.Context, cmd Command, name string, hash Hash) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.SetPassword(hash) })
}

// SetUserRoles replaces the roles of user name.
func (c *Commands) SetUserRoles(ctx context.Context, cmd Command, name string, roles []Role) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.SetRoles(roles) })
}

// SetUserTeam changes the team of user name.
func (c *Commands) SetUserTeam(ctx context.Context, cmd Command, name, team string) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.SetTeam(team) })
}

// DisableUser stops user name from signing in and from using its tokens.
func (c *Commands) DisableUser(ctx context.Context, cmd Command, name string) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.Disable() })
}

// EnableUser lets a disabled user name sign in again.
func (c *Commands) EnableUser(ctx context.Context, cmd Command, name string) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.Enable() })
}

// SetUserLanguage remembers the console language user name chose.
func (c *Commands) SetUserLanguage(ctx context.Context, cmd Command, name, lang string) (Result, error) {
	return c.user(ctx, cmd, name, func(u *User) error { return u.SetLanguage(lang) })
}

// User returns user name as it now stands, loading only the events after
// the cached version; ENotFound when there is no such user. Every request
// that signs in or presents a token looks its user up here.
func (c *Commands) User(ctx context.Context, name string) (*User, error) {
	notFound := &Error{Code: ENotFound, Message: "there is no user " + name}
	if ValidUserName("name", name) != nil {
		return nil, notFound
	}
	u := c.users.get(name)
	if err := Load(ctx, c.store, u, Position{}); err != nil {
		return nil, err
	}
	if !u.Exists() {
		return nil, notFound
	}
	c.users.put(name, u)
	return u, nil
}

// UserOrRecent is User, but while the store is away (ErrUnavailable) it
// answers with the user as this process last read it whole from the log,
// when that was at most maxAge ago: whoever was just checked against the
// log may go on reading the read models through an outage. A change made
// meanwhile cannot be missed by more than maxAge: none can be made while
// the store is away.
func (c *Commands) UserOrRecent(ctx context.Context, name string, maxAge time.Duration) (*User, error) {
	u, err := c.User(ctx, name)
	return c.users.orRecent(u, err, name, maxAge, (*User).Exists)
}

// UserAsOf loads user name as of a log position (zero: now), without the
// cache: what an answer shows of the user as a command left it.
func (c *Commands) UserAsOf(ctx context.Context, name string, asOf Position) (*User, error) {
	u := NewUser(name)
	if ValidUserName("name", name) == nil {
		if err := Load(ctx, c.store, u, asOf); err != nil {
			return nil, err
		}
	}
	if !u.Exists() {
		return nil, &Error{Code: ENotFound, Message: "there is no user " + name}
	}
	return u, nil
}

// TokenAsOf loads API token id as of a log position, as UserAsOf does.
func (c *Commands) TokenAsOf(ctx context.Context, id string, asOf Position) (*Token, error) {
	t := NewToken(id)
	if ValidSlug("id", id) == nil {
		if err := Load(ctx, c.store, t, asOf); err != nil {
			return nil, err
		}
	}
	if !t.Exists() {
		return nil, &Error{Code: ENotFound, Message: "there is no API token " + id}
	}
	return t, nil
}
