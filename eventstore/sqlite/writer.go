package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// writer owns the writer connection and its prepared statements. Only the
// writer goroutine uses it after Open.
type writer struct {
	conn       *sql.Conn
	begin      *sql.Stmt
	commit     *sql.Stmt
	rollback   *sql.Stmt
	lastRow    *sql.Stmt
	maxVersion *sql.Stmt
	insert     *sql.Stmt
	findID     *sql.Stmt
	findEvent  *sql.Stmt

	lastPos  uint64           // position of the last committed event
	lastTime int64            // recorded_at of the last commit, Unix nanoseconds
	heads    map[string]int64 // stream -> version of its last event, -1: none
	batch    batch            // reused for every commit
	commits  atomic.Uint64    // transactions committed, for tests
	begun    atomic.Uint64    // batches formed and about to begin, for tests
}

// maxCachedHeads bounds the stream heads the writer remembers between
// commits; past it the cache starts over.
const maxCachedHeads = 1 << 16

func newWriter(ctx context.Context, db *sql.DB) (*writer, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &writer{conn: conn, heads: make(map[string]int64)}
	if err := prepareAll(ctx, conn, w.statements()); err != nil {
		conn.Close()
		return nil, err
	}
	last, at, err := w.lastEvent(ctx)
	if err != nil {
		w.close()
		return nil, err
	}
	w.lastPos, w.lastTime = uint64(last), at
	return w, nil
}

func (w *writer) statements() []statement {
	return []statement{
		{&w.begin, "BEGIN IMMEDIATE"},
		{&w.commit, "COMMIT"},
		{&w.rollback, "ROLLBACK"},
		{&w.lastRow, lastEventQuery},
		{&w.maxVersion, "SELECT max(version) FROM events WHERE stream = ?"},
		{&w.insert, "INSERT INTO events (event_id, stream, version, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"},
		{&w.findID, "SELECT position, stream, version, recorded_at FROM events WHERE event_id = ?"},
		{&w.findEvent, "SELECT position, stream, version, type, recorded_at FROM events WHERE event_id = ?"},
	}
}

// lastEventQuery finds the position and recorded_at of the last event.
const lastEventQuery = "SELECT position, recorded_at FROM events WHERE position = (SELECT max(position) FROM events)"

// lastEvent returns the position and recorded_at of the last event, zeros
// when the log is empty.
func (w *writer) lastEvent(ctx context.Context) (pos, at int64, err error) {
	err = w.lastRow.QueryRowContext(ctx).Scan(&pos, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return pos, at, err
}

func (w *writer) close() error {
	return errors.Join(closeAll(w.statements()), w.conn.Close())
}

// run is the writer goroutine: it gathers the waiting requests, commits
// them in one transaction and answers each.
func (s *Store) run() {
	defer close(s.exited)
	g := newGatherer(s.reqs, s.done, s.cfg.maxBatch)
	for {
		reqs, ok := g.next()
		if !ok {
			s.refuseWaiting()
			return
		}
		start := time.Now()
		s.commitBatch(reqs)
		g.committed(len(reqs), time.Since(start))
	}
}

// refuseWaiting answers the requests still queued at Close: nothing of them
// is written.
func (s *Store) refuseWaiting() {
	for {
		select {
		case r := <-s.reqs:
			r.res <- result{err: errClosed("append")}
		default:
			return
		}
	}
}

// commitBatch applies reqs in one transaction, commits it, answers every
// request and wakes the subscriptions.
func (s *Store) commitBatch(reqs []*request) {
	ctx := context.Background()
	b := &s.w.batch
	s.w.begun.Add(1)
	began, before := time.Now(), s.w.lastPos
	if err := s.w.start(ctx, b); err != nil {
		answerAll(reqs, err)
		return
	}
	for _, r := range reqs {
		if err := r.ctx.Err(); err != nil {
			r.out = result{err: fmt.Errorf("sqlite: %s: %w", r.op(), err)}
			continue
		}
		if r.imports != nil {
			r.out.imp, r.out.heads, r.out.err = b.importEvents(ctx, r.imports)
		} else {
			r.out.res, r.out.err = b.apply(ctx, r)
		}
		if b.err != nil {
			break
		}
	}
	if err := s.w.finish(ctx, b); err != nil {
		answerAll(reqs, err)
		return
	}
	// Publish the new head before answering: a caller whose append returned
	// sees its events in Head and in every subscription.
	if b.wrote {
		s.publish(s.w.lastPos)
		if s.cfg.observe != nil {
			s.cfg.observe(Commit{Events: int(s.w.lastPos - before), Requests: len(reqs), Took: time.Since(began)})
		}
	}
	for _, r := range reqs {
		switch {
		case r.out.err != nil:
		case r.imports != nil:
			for stream, v := range r.out.heads {
				s.heads.raise(stream, uint64(v))
			}
		default:
			s.heads.raise(r.stream, r.out.res.Version)
		}
		r.res <- r.out
	}
}

// start begins the transaction of batch b. Its appended events are recorded
// at the current time, but never before the events of the previous commit
// (nor before events an import wrote earlier in the batch), so that
// recorded_at never decreases along the log, even when the clock steps
// back.
func (w *writer) start(ctx context.Context, b *batch) error {
	if _, err := w.begin.ExecContext(ctx); err != nil {
		return writeErr("begin", err)
	}
	if len(w.heads) > maxCachedHeads {
		clear(w.heads)
	}
	*b = batch{w: w, now: max(time.Now().UnixNano(), w.lastTime)}
	return nil
}

// finish commits batch b, or rolls it back when one of its steps failed. A
// batch that did not commit leaves the cached heads in doubt: they are
// forgotten.
func (w *writer) finish(ctx context.Context, b *batch) error {
	if b.err != nil {
		w.rollback.ExecContext(ctx)
		clear(w.heads)
		return writeErr("append", b.err)
	}
	if !b.wrote {
		_, err := w.rollback.ExecContext(ctx)
		return writeErr("rollback", err)
	}
	if _, err := w.commit.ExecContext(ctx); err != nil {
		w.rollback.ExecContext(ctx)
		clear(w.heads)
		return writeErr("commit", err)
	}
	w.lastPos, w.lastTime = uint64(b.last), b.lastAt
	w.commits.Add(1)
	return nil
}

// answerAll fails every request of a batch that did not commit.
func answerAll(reqs []*request, err error) {
	for _, r := range reqs {
		r.res <- result{err: err}
	}
}

// publish records the new head and wakes every subscription waiting for it.
func (s *Store) publish(head uint64) {
	s.head.Store(head)
	s.mu.Lock()
	close(s.notify)
	s.notify = make(chan struct{})
	s.mu.Unlock()
}

// changed returns a channel that is closed at the next commit.
func (s *Store) changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notify
}
