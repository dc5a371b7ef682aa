package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

func init() {
	commands["migrate"] = command{"copy the event log to another store, keeping order, ids and times; resumable, verified", runMigrate}
}

const migrateHelp = `Usage: carecost migrate --to STORE [flags]

Copies the event log of one store into another: every event in log order,
with its id, stream, version, type, data, metadata and recorded time. Stores
are named as --store names them: sqlite:PATH, or esdb://HOST:PORT for
EventStoreDB/KurrentDB. The target is empty or holds the start of the same
log (a copy that stopped): migrate then copies only what is missing, so it
is safe to run again, and a finished copy run again writes nothing. A target
that holds other events is refused. Stop carecost serve on the source for the
last run; nothing but migrate may write the target while it copies.

Positions are the store's own: EventStoreDB numbers its log otherwise than
SQLite. The few events that name a log position in their data (a pricing's
or a decision's catalogue position, a projection's skip) are copied with that
position carried over to the target's numbering, so that they name the same
place in the copy; every other byte is copied as it is.

After copying, migrate reads both logs again and compares them: the number of
events and a SHA-256 checksum over each event's id, stream, version, type,
data (positions carried over), metadata and recorded time in log order. A
difference exits 1 naming the first event that differs. --verify-only
compares without copying.

Progress goes to standard error, the summary to standard output. Exit codes:
0 copied and equal; 1 the logs differ, a failure, or interrupted (Ctrl-C:
run the same command again to go on); 2 a source or target refused (none,
the same store on both sides, other events in the target).

`

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", envOr(e.getenv, "CARECOST_DATA", "./data"), "data `folder` whose event log is the default source (CARECOST_DATA)")
	from := fs.String("from", envOr(e.getenv, "CARECOST_STORE", ""), "source `store`: sqlite:PATH or esdb://...; default: the data folder's events.db (CARECOST_STORE)")
	to := fs.String("to", "", "target `store`: sqlite:PATH or esdb://... (required)")
	batch := fs.Int("batch", 500, "events per import `call`, 1 to 10000; each call is written all or nothing on SQLite")
	verifyOnly := fs.Bool("verify-only", false, "only compare the two logs (counts and checksums), copying nothing")
	var cfg config
	cfg.logMmap = fs.Int64("log-mmap", cfg.envMiB(e.getenv, "CARECOST_LOG_MMAP", sqlite.DefaultMmapSize>>20),
		"`MiB` of a SQLite log a read connection keeps mapped in memory (0: none) (CARECOST_LOG_MMAP)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), migrateHelp)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		*from = "sqlite:" + filepath.Join(*data, "events.db")
	}
	if err := cfg.checkStore(); err != nil {
		return err
	}
	if *batch < 1 || *batch > 10000 {
		return domain.Invalidf("--batch", "%d is not a batch size from 1 to 10000", *batch)
	}
	src, err := parseStoreURL("--from", *from)
	if err != nil {
		return err
	}
	if *to == "" {
		return domain.Invalidf("--to", "name the store to copy the log into: sqlite:PATH or esdb://HOST:PORT")
	}
	dst, err := parseStoreURL("--to", *to)
	if err != nil {
		return err
	}
	if sameStore(src, dst) {
		return domain.Invalidf("--to", "%s is the source itself (--from %s); name another store", dst, src)
	}
	source, closeSource, err := openStoreURL(ctx, "--from", src, false, cfg.sqliteOptions()...)
	if err != nil {
		return err
	}
	defer closeSource.Close()
	target, closeTarget, err := openStoreURL(ctx, "--to", dst, !*verifyOnly, cfg.sqliteOptions()...)
	if err != nil {
		return err
	}
	defer closeTarget.Close()
	m := migration{from: source, to: target, batch: *batch, out: e.stdout, progress: e.stderr, every: time.Second}
	// Name both stores: the source may come from CARECOST_STORE.
	fmt.Fprintf(e.stderr, "from %s\nto   %s\n", src, dst)
	if *verifyOnly {
		return m.verify(ctx)
	}
	return m.run(ctx)
}

// migration copies the log of one store into another and compares them.
type migration struct {
	from, to domain.EventStore
	batch    int
	// out gets the summary, progress the running counts, at most once an
	// every.
	out, progress io.Writer
	every         time.Duration
}

// run copies what the target lacks, then verifies.
func (m migration) run(ctx context.Context) error {
	imp, ok := m.to.(domain.Importer)
	if !ok {
		return domain.Invalidf("--to", "this store cannot import events with their ids and recorded times; migrate needs a store that can")
	}
	r, err := m.resumePoint(ctx)
	if err != nil {
		return err
	}
	head, err := m.from.Head(ctx)
	if err != nil {
		return fmt.Errorf("read the source's head: %w", err)
	}
	if r.have > 0 {
		fmt.Fprintf(m.progress, "the target holds the source's first %d events; copying from there\n", r.have)
	}
	start := time.Now()
	c := &copier{migration: m, imp: imp, resume: r}
	err = c.copy(ctx, head)
	elapsed := time.Since(start)
	if err != nil {
		fmt.Fprintf(m.progress, "stopped: the target holds at least the source's first %d events; run the same command again to go on from there\n", c.resume.have)
		return err
	}
	fmt.Fprintf(m.out, "copied %d events in %s (%s); the target held %d already", c.copied, elapsed.Round(time.Millisecond), rate(c.copied, elapsed), r.have)
	if c.skipped > 0 {
		fmt.Fprintf(m.out, ", %d more found stored", c.skipped)
	}
	fmt.Fprintln(m.out)
	if c.rebased > 0 {
		fmt.Fprintf(m.out, "%d of them name log positions (catalogue positions, skipped events), carried over to the target's numbering\n", c.rebased)
	}
	return m.verify(ctx)
}

// resume is where a copy goes on: the target holds the source's first have
// events, the last of them at from in the source and at to in the target;
// positions pairs them all.
type resume struct {
	have      int
	from, to  domain.Position
	positions *domain.PositionMap
}

// resumePoint walks the target beside the source: the target must hold
// the source's first events, the same ones in the same order (an earlier
// copy, or none), the positions they name carried over.
func (m migration) resumePoint(ctx context.Context) (resume, error) {
	dst := newLogCursor(m.to, m.batch)
	src := newLogCursor(m.from, m.batch)
	r := resume{positions: &domain.PositionMap{}}
	for {
		b, ok, err := dst.next(ctx)
		if err != nil {
			return r, fmt.Errorf("read the target: %w", err)
		}
		if !ok {
			return r, nil
		}
		a, ok, err := src.next(ctx)
		if err != nil {
			return r, fmt.Errorf("read the source: %w", err)
		}
		if !ok {
			return r, domain.Invalidf("--to", "the target holds more events than the source (its event %d, %s, is not in the source); migrate copies into an empty store or one holding the start of the same log",
				r.have+1, describeEvent(b))
		}
		if a, err = carried(a, r.positions); err != nil {
			return r, err
		}
		if field := eventDiff(a, b); field != "" {
			return r, domain.Invalidf("--to", "the target holds other events than the source: its event %d is %s, the source's is %s (%s differs); migrate copies into an empty store or one holding the start of the same log",
				r.have+1, describeEvent(b), describeEvent(a), field)
		}
		if err := r.positions.Add(a.Position, b.Position); err != nil {
			return r, err
		}
		r.have++
		r.from, r.to = a.Position, b.Position
	}
}

// carried is the source's event e with the log positions it names carried
// over to the target's numbering (domain.RebasePositions).
func carried(e domain.RecordedEvent, pm *domain.PositionMap) (domain.RecordedEvent, error) {
	data, err := domain.RebasePositions(e.Type, e.Data, pm.Carry)
	if err != nil {
		return e, fmt.Errorf("the source's event %s: %w", describeEvent(e), err)
	}
	e.Data = data
	return e, nil
}

// copier copies the source's events after a resume point, a batch an
// import call. The target's position of each event copied is read back
// after its call, so that the positions later events name can be carried
// over; an event naming a position in the batch not yet written sends the
// batch first.
type copier struct {
	migration
	imp             domain.Importer
	resume          resume
	pending         []domain.ImportEvent
	pendingFrom     []domain.Position // the source's positions of pending
	copied, skipped int
	rebased         int
}

// copy imports the source's events after the resume point up to head.
func (c *copier) copy(ctx context.Context, head domain.Position) error {
	start, last := time.Now(), time.Now()
	after := c.resume.from
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		evs, err := c.from.ReadAll(ctx, domain.ReadAllOptions{After: after, Limit: c.batch, AsOf: head})
		if err != nil {
			return fmt.Errorf("read the source after position %s: %w", after, err)
		}
		if len(evs) == 0 {
			return c.flush(ctx)
		}
		for _, e := range evs {
			if err := c.add(ctx, e); err != nil {
				return err
			}
		}
		if len(c.pending) >= c.batch {
			if err := c.flush(ctx); err != nil {
				return err
			}
		}
		after = evs[len(evs)-1].Position
		if now := time.Now(); now.Sub(last) >= c.every {
			last = now
			fmt.Fprintf(c.progress, "copied %d events (%d in the target), at source position %s of %s, %s\n",
				c.copied, c.resume.have, after, head, rate(c.copied, now.Sub(start)))
		}
	}
}

// errPending is the carry of a position whose event waits in the batch.
var errPending = errors.New("pending")

// add queues the source's event e, its positions carried over.
func (c *copier) add(ctx context.Context, e domain.RecordedEvent) error {
	carry := func(p domain.Position) (domain.Position, error) {
		if len(c.pendingFrom) > 0 && !p.Less(c.pendingFrom[0]) {
			return domain.Position{}, errPending
		}
		return c.resume.positions.Carry(p)
	}
	data, err := domain.RebasePositions(e.Type, e.Data, carry)
	if errors.Is(err, errPending) {
		if err := c.flush(ctx); err != nil {
			return err
		}
		data, err = domain.RebasePositions(e.Type, e.Data, carry)
	}
	if err != nil {
		return fmt.Errorf("the source's event %s: %w", describeEvent(e), err)
	}
	if !bytes.Equal(data, e.Data) {
		c.rebased++
	}
	e.Data = data
	c.pending = append(c.pending, importEvent(e))
	c.pendingFrom = append(c.pendingFrom, e.Position)
	return nil
}

// flush imports the pending events, then reads them back from the target
// for their positions there.
func (c *copier) flush(ctx context.Context) error {
	if len(c.pending) == 0 {
		return nil
	}
	res, err := c.imp.Import(ctx, c.pending)
	if err != nil {
		return fmt.Errorf("import the source's events after position %s: %w", c.resume.from, err)
	}
	c.copied += res.Imported
	c.skipped += res.Skipped
	for done := 0; done < len(c.pending); {
		got, err := c.to.ReadAll(ctx, domain.ReadAllOptions{After: c.resume.to, Limit: len(c.pending) - done})
		if err != nil {
			return fmt.Errorf("read back the events copied after target position %s: %w", c.resume.to, err)
		}
		if len(got) == 0 {
			return fmt.Errorf("the target does not hold the events just copied after its position %s", c.resume.to)
		}
		for _, b := range got {
			if b.ID != c.pending[done].ID {
				return domain.Invalidf("--to", "the target's event after position %s is %s, not the one copied (id %s): something else writes the target; stop it and run migrate again",
					c.resume.to, describeEvent(b), c.pending[done].ID)
			}
			if err := c.resume.positions.Add(c.pendingFrom[done], b.Position); err != nil {
				return err
			}
			c.resume.have++
			c.resume.from, c.resume.to = c.pendingFrom[done], b.Position
			done++
		}
	}
	c.pending, c.pendingFrom = c.pending[:0], c.pendingFrom[:0]
	return nil
}

// importEvent is the source's event e as the target imports it: at the
// same version of its stream, with its id and recorded time.
func importEvent(e domain.RecordedEvent) domain.ImportEvent {
	expected := domain.NoStream
	if e.Version > 0 {
		expected = domain.ExactVersion(e.Version - 1)
	}
	return domain.ImportEvent{
		Stream:     e.Stream,
		Expected:   expected,
		EventData:  domain.EventData{ID: e.ID, Type: e.Type, Data: e.Data, Metadata: e.Metadata},
		RecordedAt: e.RecordedAt,
	}
}

// logSummary is what verification says of one log.
type logSummary struct {
	count int
	sum   hash.Hash
	head  domain.Position
}

func (s logSummary) checksum() string { return "sha256:" + hex.EncodeToString(s.sum.Sum(nil)) }

// verify reads both logs whole, in log order, and compares them: counts,
// checksums and event by event. A difference is an error naming the first
// event that differs.
func (m migration) verify(ctx context.Context) error {
	src, dst := newLogCursor(m.from, m.batch), newLogCursor(m.to, m.batch)
	from := logSummary{sum: sha256.New()}
	to := logSummary{sum: sha256.New()}
	first := ""
	positions := &domain.PositionMap{}
	carriedOver := 0
	for {
		a, okA, err := src.next(ctx)
		if err != nil {
			return fmt.Errorf("read the source: %w", err)
		}
		b, okB, err := dst.next(ctx)
		if err != nil {
			return fmt.Errorf("read the target: %w", err)
		}
		if !okA && !okB {
			break
		}
		diff := ""
		if okA && okB {
			// The source's event as the target holds it: the
			// positions it names in the target's numbering.
			before := a.Data
			if a, err = carried(a, positions); err != nil {
				diff = err.Error()
			} else if !bytes.Equal(before, a.Data) {
				carriedOver++
			}
			if err := positions.Add(a.Position, b.Position); err != nil && diff == "" {
				diff = err.Error()
			}
		}
		if okA {
			from.count++
			from.head = a.Position
			hashEvent(from.sum, a)
		}
		if okB {
			to.count++
			to.head = b.Position
			hashEvent(to.sum, b)
		}
		if first != "" {
			continue
		}
		n := max(from.count, to.count)
		switch {
		case !okB:
			first = fmt.Sprintf("the source's event %d (%s) is not in the target (a copy that stopped there is finished by running migrate again, without --verify-only)", n, describeEvent(a))
		case !okA:
			first = fmt.Sprintf("the target's event %d (%s) is not in the source", n, describeEvent(b))
		case diff != "":
			first = fmt.Sprintf("event %d: %s", n, diff)
		default:
			if field := eventDiff(a, b); field != "" {
				first = fmt.Sprintf("event %d differs in its %s: the source's is %s, the target's %s", n, field, describeEvent(a), describeEvent(b))
			}
		}
	}
	fmt.Fprintf(m.out, "source: %d events, %s\n", from.count, from.checksum())
	fmt.Fprintf(m.out, "target: %d events, %s\n", to.count, to.checksum())
	if first != "" {
		return &mismatchError{first}
	}
	if positions.Identical() {
		fmt.Fprintln(m.out, "the logs are equal, at the same positions")
	} else {
		fmt.Fprintf(m.out, "the logs are equal; the target numbers its positions otherwise, and the %d events that name positions name the same events in it\n", carriedOver)
	}
	return nil
}

// mismatchError is the error of logs that differ.
type mismatchError struct{ first string }

func (e *mismatchError) Error() string { return "the logs differ: " + e.first }

// eventDiff names the first field in which a and b differ ("" when the
// same event): what the checksum covers, positions aside.
func eventDiff(a, b domain.RecordedEvent) string {
	switch {
	case a.ID != b.ID:
		return "id"
	case a.Stream != b.Stream:
		return "stream"
	case a.Version != b.Version:
		return "version"
	case a.Type != b.Type:
		return "type"
	case !bytes.Equal(a.Data, b.Data):
		return "data"
	case !bytes.Equal(a.Metadata, b.Metadata):
		return "metadata"
	case !a.RecordedAt.Equal(b.RecordedAt):
		return "recorded time"
	}
	return ""
}

// describeEvent names an event for a person: id, stream, version, type,
// position and time (never its data, which may hold personal data).
func describeEvent(e domain.RecordedEvent) string {
	return fmt.Sprintf("id %s, %s version %d, %s, at position %s, recorded %s",
		e.ID, e.Stream, e.Version, e.Type, e.Position, e.RecordedAt.UTC().Format(time.RFC3339Nano))
}

// hashEvent adds e to the checksum: id, stream, version, type, data,
// metadata and recorded time (Unix nanoseconds), strings and bytes each
// after its length, numbers as 8 bytes big-endian. Positions are left
// out: another store numbers its log otherwise.
func hashEvent(h hash.Hash, e domain.RecordedEvent) {
	var n [8]byte
	num := func(v uint64) {
		binary.BigEndian.PutUint64(n[:], v)
		h.Write(n[:])
	}
	blob := func(b []byte) {
		num(uint64(len(b)))
		h.Write(b)
	}
	blob([]byte(e.ID))
	blob([]byte(e.Stream))
	num(e.Version)
	blob([]byte(e.Type))
	blob(e.Data)
	blob(e.Metadata)
	num(uint64(e.RecordedAt.UnixNano()))
}

// rate formats n events over d as events a second.
func rate(n int, d time.Duration) string {
	if d <= 0 || n == 0 {
		return "0 events/s"
	}
	return fmt.Sprintf("%.0f events/s", float64(n)/d.Seconds())
}

// logCursor reads a store's log event by event, a page at a time.
type logCursor struct {
	store domain.EventStore
	page  int
	after domain.Position
	buf   []domain.RecordedEvent
	i     int
	done  bool
}

func newLogCursor(s domain.EventStore, page int) *logCursor {
	return &logCursor{store: s, page: max(page, 100)}
}

// next returns the next event; ok is false at the end of the log.
func (c *logCursor) next(ctx context.Context) (domain.RecordedEvent, bool, error) {
	if c.i == len(c.buf) {
		if c.done {
			return domain.RecordedEvent{}, false, nil
		}
		evs, err := c.store.ReadAll(ctx, domain.ReadAllOptions{After: c.after, Limit: c.page})
		if err != nil {
			return domain.RecordedEvent{}, false, err
		}
		c.buf, c.i = evs, 0
		if len(evs) == 0 {
			// A short page is not the end: a store may leave out
			// events of others (and its own system events) from a page.
			c.done = true
			return domain.RecordedEvent{}, false, nil
		}
		c.after = evs[len(evs)-1].Position
	}
	e := c.buf[c.i]
	c.i++
	return e, true, nil
}
