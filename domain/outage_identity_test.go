package domain_test

import (
	"context"
	"errors"
	"fmt"
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

// versionsStore records the expected version of each append.
type versionsStore struct {
	domain.EventStore
	expected []domain.ExpectedVersion
	failOnce bool // the next append lands but reports the store away
}

func (s *versionsStore) Append(ctx context.Context, stream string, v domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	s.expected = append(s.expected, v)
	r, err := s.EventStore.Append(ctx, stream, v, evs...)
	if err == nil && s.failOnce {
		s.failOnce = false
		return domain.AppendResult{}, domain.ErrUnavailable
	}
	return r, err
}

// An instance's usage tallies are appended at the stream's version once it
// is known, so a tally retried after an append that landed but was not
// acknowledged is recognised by its ids on every store; the tally is in the
// log once.
func TestRecordUsageAppendsAtTheVersion(t *testing.T) {
	ctx := context.Background()
	st := &versionsStore{EventStore: memstore.New()}
	cmds := domain.NewCommands(st)
	tally := domain.NewUsageTally()
	tally.Quote()
	if _, err := cmds.RecordUsage(ctx, tally, "i1"); err != nil {
		t.Fatal(err)
	}
	tally.Quote()
	st.failOnce = true
	if _, err := cmds.RecordUsage(ctx, tally, "i1"); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("the unacknowledged append: %v", err)
	}
	if _, err := cmds.RecordUsage(ctx, tally, "i1"); err != nil {
		t.Fatal(err)
	}
	want := []domain.ExpectedVersion{domain.NoStream, domain.ExactVersion(0), domain.ExactVersion(0)}
	if len(st.expected) != len(want) {
		t.Fatalf("expected versions %v, want %v", st.expected, want)
	}
	for i := range want {
		if st.expected[i] != want[i] {
			t.Errorf("append %d expected %v, want %v", i, st.expected[i], want[i])
		}
	}
	evs, err := st.ReadStream(ctx, domain.UsageStreamPrefix+"i1", domain.ReadStreamOptions{})
	if err != nil || len(evs) != 2 {
		t.Errorf("the instance's stream holds %d events (%v), want 2", len(evs), err)
	}
	// An instance id given twice: its stream is there already; the tally
	// goes on from its version.
	again := domain.NewUsageTally()
	again.Quote()
	if _, err := cmds.RecordUsage(ctx, again, "i1"); err != nil {
		t.Fatalf("a tally on a stream already there: %v", err)
	}
	again.Quote()
	if _, err := cmds.RecordUsage(ctx, again, "i1"); err != nil {
		t.Fatal(err)
	}
	if got := st.expected[3:]; fmt.Sprint(got) != fmt.Sprint([]domain.ExpectedVersion{domain.NoStream, domain.AnyVersion, domain.ExactVersion(2)}) {
		t.Errorf("expected versions on a stream already there: %v", got)
	}
}

// A token revoked (or a user disabled) by this instance is refused while the
// store is away: the recent copy is the one after the command, or none.
func TestRevokedTokenStaysRevokedThroughAnOutage(t *testing.T) {
	ctx := context.Background()
	st := &awayStore{EventStore: memstore.New()}
	cmds := domain.NewCommands(st)
	sys := domain.Command{Actor: domain.Actor{ID: "boot", Role: "system"}}
	if _, err := cmds.AddUser(ctx, sys, domain.UserInput{Name: "anna", DisplayName: "anna", Roles: []domain.Role{domain.RoleController}, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cmds.CreateToken(ctx, sys, domain.TokenInput{ID: "t1", User: "anna", Roles: []domain.Role{domain.RoleController}, ExpiresAt: time.Now().Add(time.Hour), SecretHash: "h"}); err != nil {
		t.Fatal(err)
	}
	if tok, err := cmds.Token(ctx, "t1"); err != nil || !tok.Active(time.Now()) {
		t.Fatalf("the new token: %v %v", tok, err)
	}
	if _, err := cmds.User(ctx, "anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := cmds.RevokeToken(ctx, sys, "t1"); err != nil {
		t.Fatal(err)
	}
	if _, err := cmds.DisableUser(ctx, sys, "anna"); err != nil {
		t.Fatal(err)
	}
	st.away = true
	if tok, err := cmds.TokenOrRecent(ctx, "t1", time.Minute); err == nil && tok.Active(time.Now()) {
		t.Error("a token revoked here is let in while the store is away")
	}
	if u, err := cmds.UserOrRecent(ctx, "anna", time.Minute); err == nil && !u.Disabled() {
		t.Error("a user disabled here is let in while the store is away")
	}
}
