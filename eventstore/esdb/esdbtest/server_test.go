package esdbtest_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"carecost/eventstore/esdb/esdbtest"
)

// The server is checked through the real client, the way the adapter uses it.

func client(t *testing.T, s *esdbtest.Server) *esdb.Client {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = esdb.NoopLogging()
	c, err := esdb.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func event(typ string) esdb.EventData {
	return esdb.EventData{EventID: uuid.New(), EventType: typ, ContentType: esdb.ContentTypeJson, Data: []byte(`{}`), Metadata: []byte(`{"m":1}`)}
}

// drain returns a function that reads a ReadStream to its end.
func drain(t *testing.T) func(*esdb.ReadStream, error) []*esdb.RecordedEvent {
	return func(rs *esdb.ReadStream, err error) []*esdb.RecordedEvent { return readAll(t, rs, err) }
}

func readAll(t *testing.T, rs *esdb.ReadStream, err error) []*esdb.RecordedEvent {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []*esdb.RecordedEvent
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		out = append(out, e.Event)
	}
}

func code(err error) esdb.ErrorCode {
	var e *esdb.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return -1
}

func TestAppendAndRead(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 123456700, time.UTC)
	s := esdbtest.Start(t, esdbtest.WithClock(func() time.Time { return at }))
	c := client(t, s)
	ctx := context.Background()
	a, b := event("app.a"), event("app.b")
	w1, err := c.AppendToStream(ctx, "s", esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, a, b)
	if err != nil || w1.NextExpectedVersion != 1 {
		t.Fatalf("append: %+v, %v", w1, err)
	}
	again, err := c.AppendToStream(ctx, "s", esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, a, b)
	if err != nil || *again != *w1 {
		t.Errorf("repeated append: got %+v, %v; want %+v", again, err, w1)
	}
	for name, exp := range map[string]esdb.ExpectedRevision{"NoStream": esdb.NoStream{}, "Revision(0)": esdb.Revision(0), "Revision(5)": esdb.Revision(5)} {
		if _, err := c.AppendToStream(ctx, "s", esdb.AppendToStreamOptions{ExpectedRevision: exp}, event("app.c")); code(err) != esdb.ErrorCodeWrongExpectedVersion {
			t.Errorf("%s on revision 1: got %v, want wrong expected version", name, err)
		}
	}
	if _, err := c.AppendToStream(ctx, "new", esdb.AppendToStreamOptions{ExpectedRevision: esdb.StreamExists{}}, event("app.c")); code(err) != esdb.ErrorCodeWrongExpectedVersion {
		t.Errorf("StreamExists on a missing stream: got %v", err)
	}
	if _, err := c.AppendToStream(ctx, "s", esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(0)}, b, event("app.c")); code(err) != esdb.ErrorCodeWrongExpectedVersion {
		t.Errorf("a batch repeating only part of an earlier one: got %v", err)
	}
	w2, err := c.AppendToStream(ctx, "t", esdb.AppendToStreamOptions{ExpectedRevision: esdb.Any{}}, event("app.d"))
	if err != nil || w2.NextExpectedVersion != 0 || !(w1.CommitPosition < w2.CommitPosition) {
		t.Fatalf("append to t: %+v, %v after %+v", w2, err, w1)
	}

	got := drain(t)(c.ReadStream(ctx, "s", esdb.ReadStreamOptions{}, 10))
	if len(got) != 2 || got[0].EventID != a.EventID || got[1].EventNumber != 1 || string(got[1].UserMetadata) != `{"m":1}` ||
		got[0].ContentType != "application/json" || !got[0].CreatedDate.Equal(at) {
		t.Fatalf("ReadStream: %+v", got)
	}
	if got[0].Position.Commit != got[1].Position.Commit || got[0].Position.Prepare >= got[1].Position.Prepare {
		t.Errorf("one append, one commit: got positions %v and %v", got[0].Position, got[1].Position)
	}
	if back := drain(t)(c.ReadStream(ctx, "s", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)); len(back) != 1 || back[0].EventID != b.EventID {
		t.Errorf("ReadStream backwards from the end: %+v", back)
	}
	if from := drain(t)(c.ReadStream(ctx, "s", esdb.ReadStreamOptions{From: esdb.Revision(1)}, 10)); len(from) != 1 || from[0].EventID != b.EventID {
		t.Errorf("ReadStream from revision 1: %+v", from)
	}
	rs, err := c.ReadStream(ctx, "missing", esdb.ReadStreamOptions{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Recv(); code(err) != esdb.ErrorCodeResourceNotFound {
		t.Errorf("missing stream: got %v, want resource not found", err)
	}
	rs.Close()

	all := drain(t)(c.ReadAll(ctx, esdb.ReadAllOptions{}, 100))
	if len(all) != 3 {
		t.Fatalf("ReadAll: %d events", len(all))
	}
	if from := drain(t)(c.ReadAll(ctx, esdb.ReadAllOptions{From: all[1].Position}, 100)); len(from) != 2 || from[0].EventID != b.EventID {
		t.Errorf("ReadAll from a position includes the event there: %+v", from)
	}
	if back := drain(t)(c.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 2)); len(back) != 2 || back[0].StreamID != "t" {
		t.Errorf("ReadAll backwards: %+v", back)
	}
	if back := drain(t)(c.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: all[1].Position}, 5)); len(back) != 1 || back[0].EventID != a.EventID {
		t.Errorf("ReadAll backwards from a position starts before it: %+v", back)
	}
}

func TestSubscribeToAll(t *testing.T) {
	s := esdbtest.Start(t)
	c := client(t, s)
	ctx := context.Background()
	first, err := c.AppendToStream(ctx, "x", esdb.AppendToStreamOptions{}, event("app.one"))
	if err != nil {
		t.Fatal(err)
	}
	s.Write("$stats", "$statsCollected", []byte(`{}`))
	for range 5 {
		s.Write("other", "other.thing", []byte(`{}`))
	}
	if _, err := c.AppendToStream(ctx, "x", esdb.AppendToStreamOptions{}, event("app.two")); err != nil {
		t.Fatal(err)
	}
	sub, err := c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{
		From:            esdb.Position{Commit: first.CommitPosition, Prepare: first.PreparePosition},
		Filter:          &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Prefixes: []string{"app."}},
		MaxSearchWindow: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var types []string
	checkpoints := 0
	go func() {
		time.Sleep(20 * time.Millisecond)
		c.AppendToStream(ctx, "y", esdb.AppendToStreamOptions{}, event("app.three"))
	}()
	for len(types) < 2 {
		se := sub.Recv()
		switch {
		case se.EventAppeared != nil:
			types = append(types, se.EventAppeared.Event.EventType)
		case se.CheckPointReached != nil:
			checkpoints++
		case se.SubscriptionDropped != nil:
			t.Fatalf("dropped: %v", se.SubscriptionDropped.Error)
		}
	}
	if types[0] != "app.two" || types[1] != "app.three" {
		t.Errorf("got %v, want app.two (after the start position, which is exclusive) then the live app.three", types)
	}
	if checkpoints != 3 {
		t.Errorf("got %d checkpoints over 6 filtered events with a window of 2, want 3", checkpoints)
	}

	regex, err := c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: esdb.Start{}, Filter: &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "^other"}})
	if err != nil {
		t.Fatal(err)
	}
	defer regex.Close()
	if se := regex.Recv(); se.EventAppeared == nil || se.EventAppeared.Event.EventType != "other.thing" {
		t.Errorf("regex filter: got %+v", se)
	}
}

func TestStopAndRestart(t *testing.T) {
	s := esdbtest.Start(t)
	c := client(t, s)
	ctx := context.Background()
	if _, err := c.AppendToStream(ctx, "x", esdb.AppendToStreamOptions{}, event("app.one")); err != nil {
		t.Fatal(err)
	}
	sub, err := c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: esdb.End{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	s.Stop()
	for {
		if se := sub.Recv(); se.SubscriptionDropped != nil {
			break
		}
	}
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := c.AppendToStream(short, "x", esdb.AppendToStreamOptions{}, event("app.two")); err == nil {
		t.Fatal("append with the server stopped succeeded")
	}
	s.Restart(t)
	var err2 error
	for range 50 {
		if _, err2 = c.AppendToStream(ctx, "x", esdb.AppendToStreamOptions{}, event("app.two")); err2 == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err2 != nil {
		t.Fatalf("append after restart: %v", err2)
	}
	if n := len(s.Events()); n != 2 {
		t.Errorf("log after restart: %d events, want 2", n)
	}
}
