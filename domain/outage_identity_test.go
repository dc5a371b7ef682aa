package domain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/memstore"
)

// awayStore is a store that can be made to answer every read as away.
type awayStore struct {
	domain.EventStore
	away bool
}

func (s *awayStore) ReadStream(ctx context.Context, stream string, o domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	if s.away {
		return nil, domain.ErrUnavailable
	}
	return s.EventStore.ReadStream(ctx, stream, o)
}

// While the store is away, a user read from the log a moment ago is still
// known (for reads through an outage); one never read, or read too long
// ago, is not: the store's error.
func TestUserOrRecentThroughAnOutage(t *testing.T) {
	ctx := context.Background()
	st := &awayStore{EventStore: memstore.New()}
	cmds := domain.NewCommands(st)
	admin := domain.Command{Actor: domain.Actor{ID: "boot", Role: "system"}}
	for _, n := range []string{"anna", "ben"} {
		if _, err := cmds.AddUser(ctx, admin, domain.UserInput{Name: n, DisplayName: n, Roles: []domain.Role{domain.RoleCaseManager}, Team: "north", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cmds.User(ctx, "anna"); err != nil {
		t.Fatal(err)
	}
	st.away = true
	if _, err := cmds.User(ctx, "anna"); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("User while away: %v, want the store's error", err)
	}
	u, err := cmds.UserOrRecent(ctx, "anna", time.Minute)
	if err != nil || u.Name() != "anna" || !u.HasRole(domain.RoleCaseManager) {
		t.Fatalf("anna, read a moment ago: %v %v", u, err)
	}
	if _, err := cmds.UserOrRecent(ctx, "anna", 0); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("anna, read longer ago than allowed: %v, want the store's error", err)
	}
	if _, err := cmds.UserOrRecent(ctx, "carl", time.Minute); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("a user never read: %v, want the store's error", err)
	}
	st.away = false
	if _, err := cmds.UserOrRecent(ctx, "carl", time.Minute); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a user that does not exist, the store back: %v", err)
	}
}
