package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"time"

	"carecost/domain"
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

After copying, migrate reads both logs again and compares them: the number of
events and a SHA-256 checksum over each event's id, stream, version, type,
data, metadata and recorded time in log order. A difference exits 1 naming
the first event that differs. --verify-only compares without copying.

Progress goes to standard error, the summary to standard output. Exit codes:
0 copied and equal; 1 the logs differ, or a failure; 2 a source or target
refused (none, the same store on both sides, other events in the target).

`

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", envOr(e.getenv, "CARECOST_DATA", "./data"), "data `folder` whose event log is the default source (CARECOST_DATA)")
	from := fs.String("from", envOr(e.getenv, "CARECOST_STORE", ""), "source `store`: sqlite:PATH or esdb://...; default: the data folder's events.db (CARECOST_STORE)")
	to := fs.String("to", "", "target `store`: sqlite:PATH or esdb://... (required)")
	batch := fs.Int("batch", 500, "events per import `call`; each call is written all or nothing")
	verifyOnly := fs.Bool("verify-only", false, "only compare the two logs (counts and checksums), copying nothing")
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
	source, closeSource, err := openStoreURL(ctx, "--from", src, false)
	if err != nil {
		return err
	}
	defer closeSource.Close()
	target, closeTarget, err := openStoreURL(ctx, "--to", dst, !*verifyOnly)
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
	have, resume, err := m.resumePoint(ctx)
	if err != nil {
		return err
	}
	head, err := m.from.Head(ctx)
	if err != nil {
		return fmt.Errorf("read the source's head: %w", err)
	}
	if have > 0 {
		fmt.Fprintf(m.progress, "the target holds the source's first %d events; copying from there\n", have)
	}
	start := time.Now()
	copied, skipped, err := m.copy(ctx, imp, resume, head, have)
	elapsed := time.Since(start)
	if err != nil {
		fmt.Fprintf(m.progress, "stopped after copying %d events; run the same command again to go on from there\n", copied)
		return err
	}
	fmt.Fprintf(m.out, "copied %d events in %s (%s); the target held %d already", copied, elapsed.Round(time.Millisecond), rate(copied, elapsed), have)
	if skipped > 0 {
		fmt.Fprintf(m.out, ", %d more found stored", skipped)
	}
	fmt.Fprintln(m.out)
	return m.verify(ctx)
}

// resumePoint walks the target beside the source: the target must hold
// the source's first events, the same ones in the same order (an earlier
// copy, or none). It returns how many it holds and the source's position
// of the last of them (where copying goes on).
func (m migration) resumePoint(ctx context.Context) (int, domain.Position, error) {
	dst := newLogCursor(m.to, m.batch)
	src := newLogCursor(m.from, m.batch)
	var n int
	var at domain.Position
	for {
		b, ok, err := dst.next(ctx)
		if err != nil {
			return 0, at, fmt.Errorf("read the target: %w", err)
		}
		if !ok {
			return n, at, nil
		}
		a, ok, err := src.next(ctx)
		if err != nil {
			return 0, at, fmt.Errorf("read the source: %w", err)
		}
		if !ok {
			return 0, at, domain.Invalidf("--to", "the target holds more events than the source (its event %d, %s, is not in the source); migrate copies into an empty store or one holding the start of the same log",
				n+1, describeEvent(b))
		}
		if field := eventDiff(a, b); field != "" {
			return 0, at, domain.Invalidf("--to", "the target holds other events than the source: its event %d is %s, the source's is %s (%s differs); migrate copies into an empty store or one holding the start of the same log",
				n+1, describeEvent(b), describeEvent(a), field)
		}
		n++
		at = a.Position
	}
}

// copy imports the source's events after resume up to head, a batch a
// call; it returns how many the target wrote and how many it found stored.
func (m migration) copy(ctx context.Context, imp domain.Importer, resume, head domain.Position, have int) (copied, skipped int, err error) {
	start, last := time.Now(), time.Now()
	after := resume
	batch := make([]domain.ImportEvent, 0, m.batch)
	for {
		if err := ctx.Err(); err != nil {
			return copied, skipped, err
		}
		evs, err := m.from.ReadAll(ctx, domain.ReadAllOptions{After: after, Limit: m.batch, AsOf: head})
		if err != nil {
			return copied, skipped, fmt.Errorf("read the source after position %s: %w", after, err)
		}
		if len(evs) == 0 {
			return copied, skipped, nil
		}
		batch = batch[:0]
		for _, e := range evs {
			batch = append(batch, importEvent(e))
		}
		res, err := imp.Import(ctx, batch)
		if err != nil {
			return copied, skipped, fmt.Errorf("import the source's events after position %s: %w", after, err)
		}
		copied += res.Imported
		skipped += res.Skipped
		after = evs[len(evs)-1].Position
		if now := time.Now(); now.Sub(last) >= m.every {
			last = now
			fmt.Fprintf(m.progress, "copied %d events (%d in the target), at source position %s of %s, %s\n",
				copied, have+copied+skipped, after, head, rate(copied, now.Sub(start)))
		}
	}
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
	samePositions := true
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
		if okA && okB && a.Position != b.Position {
			samePositions = false
		}
		if first != "" {
			continue
		}
		n := max(from.count, to.count)
		switch {
		case !okB:
			first = fmt.Sprintf("the source's event %d (%s) is not in the target", n, describeEvent(a))
		case !okA:
			first = fmt.Sprintf("the target's event %d (%s) is not in the source", n, describeEvent(b))
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
	if samePositions {
		fmt.Fprintln(m.out, "the logs are equal, at the same positions")
	} else {
		fmt.Fprintln(m.out, "the logs are equal; the target numbers its positions otherwise")
		fmt.Fprintln(m.out, "warning: the decisions name catalogue positions in the source's numbering; on the target, touched and a version's impact "+
			"answer wrongly for them until the positions are carried over (docs/operations.md, \"Moving the log to another store\")")
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
