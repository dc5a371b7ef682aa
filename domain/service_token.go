package domain

import (
	"context"
	"time"
)

// CreateToken creates an API token for a user (see Token.Create). The user
// is read first; the token's stream is the only one written.
func (c *Commands) CreateToken(ctx context.Context, cmd Command, in TokenInput) (Result, error) {
	if err := ValidSlug("id", in.ID); err != nil {
		return Result{}, err
	}
	if err := ValidUserName("user", in.User); err != nil {
		return Result{}, err
	}
	u := c.users.get(in.User)
	if err := Load(ctx, c.store, u, Position{}); err != nil {
		return Result{}, err
	}
	return c.token(ctx, cmd, in.ID, func(t *Token) error { return t.Create(in, u, c.now()) })
}

// RevokeToken stops API token id from working.
func (c *Commands) RevokeToken(ctx context.Context, cmd Command, id string) (Result, error) {
	if ValidSlug("id", id) != nil {
		return Result{}, &Error{Code: ENotFound, Message: "there is no token " + id}
	}
	return c.token(ctx, cmd, id, func(t *Token) error { return t.Revoke() })
}

// token runs one command on token id through the one update shape, on a
// cached copy. The result is not kept: the events' actors, which a token
// keeps, are known only once read back from the store; the next lookup
// reads them. The cached copy is dropped, so that nothing answers with the
// token as it stood before the command (TokenOrRecent while the store is
// away: a revoked token stays revoked).
func (c *Commands) token(ctx context.Context, cmd Command, id string, decide func(*Token) error) (Result, error) {
	_, r, err := updateFrom(ctx, c.store, cmd, func() *Token { return c.tokens.get(id) }, func() *Token { return NewToken(id) }, decide)
	if err == nil {
		c.tokens.forget(id)
	}
	return r, err
}

// TokenOrRecent is Token, with UserOrRecent's answer while the store is
// away.
func (c *Commands) TokenOrRecent(ctx context.Context, id string, maxAge time.Duration) (*Token, error) {
	t, err := c.Token(ctx, id)
	return c.tokens.orRecent(t, err, id, maxAge, (*Token).Exists)
}

// Token returns API token id as it now stands, loading only the events
// after the cached version; ENotFound when there is no such token. Every
// request that presents a token looks it up here.
func (c *Commands) Token(ctx context.Context, id string) (*Token, error) {
	notFound := &Error{Code: ENotFound, Message: "there is no token " + id}
	if ValidSlug("id", id) != nil {
		return nil, notFound
	}
	t := c.tokens.get(id)
	if err := Load(ctx, c.store, t, Position{}); err != nil {
		return nil, err
	}
	if !t.Exists() {
		return nil, notFound
	}
	c.tokens.put(id, t)
	return t, nil
}
