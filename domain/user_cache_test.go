package domain_test

import (
	"context"
	"sync"
	"testing"

	"carecost/domain"
)

// readLog counts the reads of each stream and the versions they start from.
type readLog struct {
	*memStore
	mu    sync.Mutex
	froms map[string][]uint64
}

func (r *readLog) ReadStream(ctx context.Context, stream string, o domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	r.mu.Lock()
	r.froms[stream] = append(r.froms[stream], o.From)
	r.mu.Unlock()
	return r.memStore.ReadStream(ctx, stream, o)
}

// reset forgets the reads so far.
func (r *readLog) reset() {
	r.mu.Lock()
	r.froms = map[string][]uint64{}
	r.mu.Unlock()
}

// Looking a user up again reads only the events after the cached version,
// yet sees a change another writer made; a copy handed out changes nothing
// in the cache.
func TestUserLookupIsCached(t *testing.T) {
	_, mem := userCommands(t)
	store := &readLog{memStore: mem, froms: map[string][]uint64{}}
	c, other := domain.NewCommands(store), domain.NewCommands(store)
	_, err := c.AddUser(ctx, admin, anna())
	must(t, err)
	stream := domain.UserStream("anna.virtanen")
	store.reset()
	u, err := c.User(ctx, "anna.virtanen")
	must(t, err)
	if got := store.froms[stream]; len(got) != 1 || got[0] != 1 {
		t.Errorf("the lookup after the add read from %v, want [1]", got)
	}
	must(t, u.Disable()) // a copy: the cache must not see it
	_, err = other.SetUserTeam(ctx, admin, "anna.virtanen", "south-2")
	must(t, err)
	store.reset()
	u, err = c.User(ctx, "anna.virtanen")
	must(t, err)
	if u.Team() != "south-2" || u.Disabled() || store.froms[stream][0] != 1 {
		t.Errorf("team %q, disabled %v, read from %v", u.Team(), u.Disabled(), store.froms[stream])
	}
	store.reset()
	_, err = c.DisableUser(ctx, admin, "anna.virtanen")
	must(t, err)
	if got := store.froms[stream]; len(got) != 1 || got[0] != 2 {
		t.Errorf("the command read from %v, want [2]", got)
	}
}

// Many lookups and commands at once keep the cache whole (run with -race).
func TestUserCacheConcurrent(t *testing.T) {
	c, _ := userCommands(t)
	_, err := c.AddUser(ctx, admin, anna())
	must(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				if i%2 == 0 {
					_, err := c.User(ctx, "anna.virtanen")
					must(t, err)
				} else if _, err := c.SetUserTeam(ctx, admin, "anna.virtanen", []string{"a", "b"}[i%4/2]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	fresh := domain.NewCommands(c.Store())
	want, err := fresh.User(ctx, "anna.virtanen")
	must(t, err)
	got, err := c.User(ctx, "anna.virtanen")
	must(t, err)
	if got.Team() != want.Team() || got.StreamVersion() != want.StreamVersion() {
		t.Errorf("cached %q at %d, log %q at %d", got.Team(), got.StreamVersion(), want.Team(), want.StreamVersion())
	}
}
