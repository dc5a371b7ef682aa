package admin

import (
	"context"

	"carecost/domain"
	"carecost/projections"
)

// Directory lists the users and their API tokens (the users read model);
// never a hash.
type Directory interface {
	Users(ctx context.Context) ([]projections.UserView, error)
	Tokens(ctx context.Context, user string) ([]projections.TokenView, error)
}

// userView is the view of a user aggregate, as the users read model keeps
// it.
func userView(u *domain.User) projections.UserView {
	created, changed := u.Times()
	return projections.UserView{Name: u.Name(), DisplayName: u.DisplayName(), Team: u.Team(), Roles: u.Roles(),
		Disabled: u.Disabled(), LocalPassword: u.PasswordHash() != "", CreatedAt: created, ChangedAt: changed}
}

// tokenView is the view of a token aggregate, as the users read model
// keeps it.
func tokenView(t *domain.Token) projections.TokenView {
	createdAt, createdBy := t.Created()
	v := projections.TokenView{ID: t.ID(), User: t.User(), Roles: t.Roles(), Label: t.Label(), ExpiresAt: t.ExpiresAt(),
		CreatedAt: createdAt, CreatedBy: createdBy}
	if revoked, at, by := t.Revoked(); revoked {
		v.Revoked, v.RevokedAt, v.RevokedBy = true, &at, by
	}
	return v
}

// userAt answers with user name as the log stood at a position (zero: now).
func (s *Server) userAt(name string) view {
	return view{id: name, versioned: true, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		u, err := s.commands.UserAsOf(ctx, name, at)
		if err != nil {
			return nil, 0, err
		}
		return userView(u), u.StreamVersion(), nil
	}}
}

// tokenAt answers with API token id as the log stood at a position.
func (s *Server) tokenAt(id string) view {
	return view{id: id, versioned: true, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		t, err := s.commands.TokenAsOf(ctx, id, at)
		if err != nil {
			return nil, 0, err
		}
		return tokenView(t), t.StreamVersion(), nil
	}}
}
