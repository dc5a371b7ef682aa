package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// load keeps writers appending one event at a time, each to a stream of its
// own with AnyVersion, until stopped or the store is closed.
type load struct {
	stop  chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	acked map[string]domain.AppendResult // event id -> result
}

func startLoad(t *testing.T, s *sqlite.Store, writers int) *load {
	l := &load{stop: make(chan struct{}), acked: map[string]domain.AppendResult{}}
	for w := range writers {
		l.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				id := fmt.Sprint(w, "-", i)
				res, err := s.Append(context.Background(), fmt.Sprint("w", w), domain.AnyVersion, events(id)...)
				if errors.Is(err, domain.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("append %s: %v", id, err)
					return
				}
				l.mu.Lock()
				l.acked[id] = res
				l.mu.Unlock()
			}
		})
	}
	return l
}

// waitAcked returns once n appends are acknowledged.
func (l *load) waitAcked(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		l.mu.Lock()
		got := len(l.acked)
		l.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d appends acknowledged in 10s", got)
		}
	}
}

// wait stops the writers, waits for them and returns what was acknowledged.
func (l *load) wait() map[string]domain.AppendResult {
	close(l.stop)
	l.wg.Wait()
	return l.acked
}
