package esdb_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb/esdbtest"
	"carecost/eventstore/sqlite"
)

// copyLog imports the whole log of from into to, batch events a call, and
// returns the sums of the results.
func copyLog(t *testing.T, from domain.EventStore, to domain.Importer, batch int) domain.ImportResult {
	t.Helper()
	ctx := context.Background()
	src, err := from.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sum domain.ImportResult
	for start := 0; start < len(src); start += batch {
		var call []domain.ImportEvent
		for _, e := range src[start:min(start+batch, len(src))] {
			exp := domain.NoStream
			if e.Version > 0 {
				exp = domain.ExactVersion(e.Version - 1)
			}
			call = append(call, domain.ImportEvent{Stream: e.Stream, Expected: exp, RecordedAt: e.RecordedAt,
				EventData: domain.EventData{ID: e.ID, Type: e.Type, Data: e.Data, Metadata: e.Metadata}})
		}
		res, err := to.Import(ctx, call)
		if err != nil {
			t.Fatalf("import of events %d and on: %v", start, err)
		}
		sum.Imported += res.Imported
		sum.Skipped += res.Skipped
		sum.Position = res.Position
	}
	return sum
}

// sameLog checks that got holds the events of want with the same ids,
// streams, types, versions, data, metadata and recorded times, byte for
// byte.
func sameLog(t *testing.T, what string, got, want []domain.RecordedEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d events %v, want %d %v", what, len(got), ids(got), len(want), ids(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Version != w.Version ||
			string(g.Data) != string(w.Data) || string(g.Metadata) != string(w.Metadata) ||
			!g.RecordedAt.Equal(w.RecordedAt) || g.RecordedAt.Format(time.RFC3339Nano) != w.RecordedAt.Format(time.RFC3339Nano) {
			t.Errorf("%s, event %d:\n got %s %s@%d %s %q %q %s\nwant %s %s@%d %s %q %q %s", what, i,
				g.ID, g.Stream, g.Version, g.Type, g.Data, g.Metadata, g.RecordedAt.Format(time.RFC3339Nano),
				w.ID, w.Stream, w.Version, w.Type, w.Data, w.Metadata, w.RecordedAt.Format(time.RFC3339Nano))
		}
	}
}

// A log copied from SQLite into EventStoreDB reads back from ReadAll,
// ReadStream and Subscribe as it reads from SQLite, byte for byte and with
// the same recorded times, whatever its metadata looks like (none, empty,
// spaced, not an object, or even the form that carries an imported time).
// Copying it again writes nothing. An append after the copy is recorded at
// the server's time.
func TestImportFromSQLite(t *testing.T) {
	ctx := context.Background()
	src, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	metas := []string{
		"", `{}`, `{"actor":"a"}`, " { \"actor\" : [1, 2] }\n", `null`, `[1]`, `"text"`,
		`{"carecost.recorded_at":"2020-01-01T00:00:00Z"}`,
		`{"carecost.recorded_at":"2020-01-01T00:00:00Z","carecost.metadata":{"x":1}}`,
		`{"carecost.recorded_at":"2020-01-01T00:00:00Z","carecost.metadata":}`,
	}
	streams := []string{"estimate-1", "catalogue", "estimate-2"}
	at := time.Date(2024, 3, 1, 7, 30, 0, 123456789, time.UTC)
	var log []domain.ImportEvent
	version := map[string]int64{}
	for i, m := range metas {
		s := streams[i%len(streams)]
		v, ok := version[s]
		if !ok {
			v = -1
		}
		version[s] = v + 1
		e := ev(fmt.Sprintf("carecost.thing_%d", i))
		e.Metadata = []byte(m)
		if m == "" && i%2 == 0 {
			e.Metadata = nil
		}
		if i != 3 {
			at = at.Add(time.Hour + time.Duration(i)*time.Nanosecond)
		}
		log = append(log, domain.ImportEvent{Stream: s, Expected: domain.ExpectedVersion(v), EventData: e, RecordedAt: at})
	}
	if _, err := src.Import(ctx, log); err != nil {
		t.Fatal(err)
	}
	// And two appended at the source's own time.
	if _, err := src.Append(ctx, "estimate-1", domain.ExactVersion(uint64(version["estimate-1"])), ev("carecost.later"), ev("carecost.later")); err != nil {
		t.Fatal(err)
	}
	want, err := src.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}

	serverNow := time.Date(2031, 1, 2, 3, 4, 5, 123456789, time.UTC)
	srv := esdbtest.Start(t, esdbtest.WithNoise(2), esdbtest.WithClock(func() time.Time { return serverNow }))
	dst := open(t, srv)
	res := copyLog(t, src, dst, 4)
	if res.Imported != len(want) || res.Skipped != 0 {
		t.Errorf("the copy: got %+v, want %d imported", res, len(want))
	}
	all, err := dst.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameLog(t, "ReadAll", all, want)
	if head, err := dst.Head(ctx); err != nil || head != res.Position || head != all[len(all)-1].Position {
		t.Errorf("Head: got %v, %v; want the copy's last position %v", head, err, res.Position)
	}
	for _, s := range streams {
		w, err := src.ReadStream(ctx, s, domain.ReadStreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		g, err := dst.ReadStream(ctx, s, domain.ReadStreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sameLog(t, "ReadStream "+s, g, w)
	}
	sub, err := dst.Subscribe(ctx, domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	sameLog(t, "Subscribe", next(t, sub, len(want)), want)

	// Again: nothing written.
	if again := copyLog(t, src, dst, 3); again.Imported != 0 || again.Skipped != len(want) || again.Position != res.Position {
		t.Errorf("the copy again: got %+v, want %d skipped at %v", again, len(want), res.Position)
	}
	if after, err := dst.ReadAll(ctx, domain.ReadAllOptions{}); err != nil || len(after) != len(want) {
		t.Errorf("after the copy again: %d events, %v; want %d", len(after), err, len(want))
	}

	// An append after the import: the server's time, the metadata given.
	e := ev("carecost.appended")
	app, err := dst.Append(ctx, "estimate-2", domain.ExactVersion(uint64(version["estimate-2"])), e)
	if err != nil {
		t.Fatal(err)
	}
	stamped := serverNow.Truncate(100 * time.Nanosecond)
	if !app.RecordedAt.Equal(stamped) {
		t.Errorf("the append's result: recorded at %v, want the server's %v", app.RecordedAt, stamped)
	}
	got, err := dst.ReadStream(ctx, "estimate-2", domain.ReadStreamOptions{From: app.Version})
	if err != nil || len(got) != 1 || !got[0].RecordedAt.Equal(stamped) || string(got[0].Metadata) != string(e.Metadata) {
		t.Fatalf("the appended event: got %+v, %v; want it recorded at %v with metadata %s", got, err, stamped, e.Metadata)
	}
	if live := next(t, sub, 1); live[0].ID != e.ID || !live[0].RecordedAt.Equal(stamped) || string(live[0].Metadata) != string(e.Metadata) {
		t.Errorf("the subscription's live event: got %+v, want %s recorded at %v", live[0], e.ID, stamped)
	}
	sub.Close()

	// On the server, the recorded time is in the user metadata; the
	// metadata given is inside it, as it was.
	for _, se := range srv.Events() {
		if se.ID.String() == want[1].ID {
			if w := `{"carecost.recorded_at":"` + want[1].RecordedAt.Format(time.RFC3339Nano) + `","carecost.metadata":{}}`; string(se.Metadata) != w {
				t.Errorf("on the server: metadata %s, want %s", se.Metadata, w)
			}
		}
	}
}

// Metadata of the form that carries an imported time is refused on
// Append, naming the field, and nothing is written; metadata that only
// looks like it is appended and reads back as given, at the server's time.
func TestAppendMetadataNeverMisread(t *testing.T) {
	at := time.Date(2030, 6, 7, 8, 9, 10, 0, time.UTC)
	srv := esdbtest.Start(t, esdbtest.WithClock(func() time.Time { return at }))
	s := open(t, srv)
	ctx := context.Background()
	for _, m := range []string{
		`{"carecost.recorded_at":"2024-01-01T00:00:00Z"}`,
		`{"carecost.recorded_at":"2024-01-01T00:00:00.5Z","carecost.metadata":{"actor":"x"}}`,
	} {
		e := ev("carecost.a")
		e.Metadata = []byte(m)
		_, err := s.Append(ctx, "refused", domain.NoStream, ev("carecost.a"), e)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != "events[1].metadata" {
			t.Errorf("Append with metadata %s: got %v, want events[1].metadata invalid", m, err)
		}
	}
	if _, err := s.ReadStream(ctx, "refused", domain.ReadStreamOptions{}); !errors.Is(err, domain.ErrStreamNotFound) {
		t.Errorf("the refused appends wrote: %v", err)
	}
	lookalikes := []string{
		`{"carecost.recorded_at":"2024-01-01T00:00:00.000Z"}`,
		`{"carecost.recorded_at":"2024-01-01T02:00:00+02:00"}`,
		`{"carecost.recorded_at":"2024-01-01T00:00:00Z","other":1}`,
		`{"carecost.recorded_at":"2024-01-01T00:00:00Z"} `,
		`{"carecost.recorded_at":"2024-01-01T00:00:00Z","carecost.metadata":}`,
		`{"carecost.recorded_at":"yesterday"}`,
		`{"carecost.recorded_at":"2024-01-01T00:00:00Z"`,
	}
	var evs []domain.EventData
	for _, m := range lookalikes {
		e := ev("carecost.a")
		e.Metadata = []byte(m)
		evs = append(evs, e)
	}
	if _, err := s.Append(ctx, "lookalikes", domain.NoStream, evs...); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadStream(ctx, "lookalikes", domain.ReadStreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		if string(g.Metadata) != lookalikes[i] || !g.RecordedAt.Equal(at) {
			t.Errorf("event %d: got metadata %s recorded at %v, want %s at the server's %v", i, g.Metadata, g.RecordedAt, lookalikes[i], at)
		}
	}
}

// The server has no transaction across streams: a call that fails at its
// third stream (here an id the test server knows in another stream) has
// written the appends before it, in order and with their times; the
// corrected call run again skips them and writes the rest.
func TestImportStopsPartWay(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(1))
	s := open(t, srv)
	ctx := context.Background()
	taken := ev("carecost.other")
	if _, err := s.Append(ctx, "elsewhere", domain.NoStream, taken); err != nil {
		t.Fatal(err)
	}
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Second).UTC()
	mk := func(stream string, exp domain.ExpectedVersion, e domain.EventData, d time.Duration) domain.ImportEvent {
		return domain.ImportEvent{Stream: stream, Expected: exp, EventData: e, RecordedAt: at.Add(d)}
	}
	call := []domain.ImportEvent{
		mk("a", domain.NoStream, ev("carecost.x"), 0),
		mk("a", domain.ExactVersion(0), ev("carecost.x"), 1),
		mk("b", domain.NoStream, ev("carecost.x"), 2),
		mk("a", domain.ExactVersion(1), taken, 3),
		mk("b", domain.ExactVersion(0), ev("carecost.x"), 4),
	}
	_, err = s.Import(ctx, call)
	if !errors.Is(err, domain.ErrConcurrency) || !strings.Contains(err.Error(), "events 0 to 2 of the call are stored") {
		t.Fatalf("got error %v, want ErrConcurrency saying events 0 to 2 are stored", err)
	}
	got, err := s.ReadAll(ctx, domain.ReadAllOptions{After: head})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "after the failed call", got, call[0].EventData, call[1].EventData, call[2].EventData)
	for i, g := range got {
		if !g.RecordedAt.Equal(call[i].RecordedAt) {
			t.Errorf("event %d recorded at %v, want %v", i, g.RecordedAt, call[i].RecordedAt)
		}
	}
	call[3].EventData = ev("carecost.x")
	res, err := s.Import(ctx, call)
	if err != nil || res.Skipped != 3 || res.Imported != 2 {
		t.Fatalf("the call again: got %+v, %v; want 3 skipped and 2 imported", res, err)
	}
	got, err = s.ReadAll(ctx, domain.ReadAllOptions{After: head})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "after the call again", got, call[0].EventData, call[1].EventData, call[2].EventData, call[3].EventData, call[4].EventData)
	if res.Position != got[4].Position {
		t.Errorf("result at %v, want the last event's %v", res.Position, got[4].Position)
	}
}

// An import whose id is not a UUID in lower-case text is refused before
// anything is written, naming the event.
func TestImportInvalidID(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	e := ev("carecost.x")
	e.ID = strings.ToUpper("0000000a-0000-4000-8000-000000000001")
	_, err := s.Import(context.Background(), []domain.ImportEvent{
		{Stream: "a", Expected: domain.NoStream, EventData: ev("carecost.x"), RecordedAt: time.Now()},
		{Stream: "a", Expected: domain.ExactVersion(0), EventData: e, RecordedAt: time.Now()},
	})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != "events[1].id" {
		t.Errorf("got %v, want events[1].id invalid", err)
	}
	if head, _ := s.Head(context.Background()); !head.IsZero() {
		t.Errorf("the refused import wrote: head %v", head)
	}
}
