// Package esdbtest is an in-process EventStoreDB server for tests: it speaks
// the parts of the gRPC Streams protocol that carecost uses (append with an
// expected revision, reads of a stream and of $all, filtered catch-up
// subscriptions to $all), keeps everything in memory, and serves on
// 127.0.0.1 so the real client talks to it as to a server.
//
// It behaves like a server where it matters to a client: log positions are
// (commit, prepare) pairs that grow but are not dense, events of one append
// share a commit position, the "created", "type" and "content-type" system
// metadata come with every event, and the log may hold system events (types
// starting with "$") and other applications' events beside the caller's.
package esdbtest

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// Position is a place in the server's log.
type Position struct {
	Commit, Prepare uint64
}

// Less reports whether p comes before q in log order.
func (p Position) Less(q Position) bool {
	if p.Commit != q.Commit {
		return p.Commit < q.Commit
	}
	return p.Prepare < q.Prepare
}

// Event is one event of the log as the server keeps it.
type Event struct {
	ID          uuid.UUID
	Stream      string
	Revision    uint64
	Type        string
	ContentType string
	Data        []byte
	Metadata    []byte
	Position    Position
	Created     time.Time
}

// Server is an in-process Streams server.
type Server struct {
	api.UnimplementedStreamsServer

	addr string

	mu      sync.Mutex
	log     []*Event
	streams map[string][]int // stream name -> indexes into log
	ids     map[uuid.UUID]int
	offset  uint64        // next free byte of the imaginary log file
	changed chan struct{} // closed and replaced on every write
	appends int
	noise   int
	now     func() time.Time
	gs      *grpc.Server
	filters []string
	starts  []Position
	ahead   bool
	sent    atomic.Int64 // events sent by reads
}

// Option changes a Server.
type Option func(*Server)

// WithNoise makes the server write, after every n-th append, a system event
// and an event of another application, the way a real log mixes them in.
func WithNoise(n int) Option { return func(s *Server) { s.noise = n } }

// WithCheckpointsAhead makes the server's checkpoints name the position it
// will read next (the event after the window it passed over, when there is
// one) rather than the last event it passed over, as a real server's may:
// that position can be an event the subscription delivers next.
func WithCheckpointsAhead() Option { return func(s *Server) { s.ahead = true } }

// WithClock sets the clock the server stamps "created" with.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Start starts a server on 127.0.0.1 with a free port; it stops when t ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		streams: map[string][]int{},
		ids:     map[uuid.UUID]int{},
		offset:  4096,
		changed: make(chan struct{}),
		now:     time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("esdbtest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// URL is the connection string of the server.
func (s *Server) URL() string { return "esdb://" + s.addr + "?tls=false" }

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

func (s *Server) serve(ln net.Listener) {
	// The client pings every 10 s; a server accepts that (grpc's default
	// policy answers pings more often than every 5 minutes with GOAWAY).
	gs := grpc.NewServer(grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: time.Second, PermitWithoutStream: true}))
	api.RegisterStreamsServer(gs, s)
	s.mu.Lock()
	s.gs = gs
	s.mu.Unlock()
	go gs.Serve(ln)
}

// Stop stops serving: open calls and subscriptions end, new ones find no
// server. The log stays; Restart serves it again on the same address.
func (s *Server) Stop() {
	s.mu.Lock()
	gs := s.gs
	s.gs = nil
	s.mu.Unlock()
	if gs != nil {
		gs.Stop()
	}
}

// Restart serves the log again on the address it had, after Stop.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 100 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("esdbtest: listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// Write appends one event of any type to stream, whatever its revision: a
// test uses it for system events and other applications' events.
func (s *Server) Write(stream, eventType string, data []byte) Position {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.write(stream, []proposed{{id: uuid.New(), typ: eventType, contentType: "application/json", data: data}})
	return e.Position
}

// Filters returns the filter of every $all subscription opened so far, as
// "prefix:p1,p2" or "regex:r" ("none" without one).
func (s *Server) Filters() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.filters...)
}

// Starts returns the position after which each $all subscription opened so
// far began, in order (zero for one from the start of the log).
func (s *Server) Starts() []Position {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Position(nil), s.starts...)
}

// EventsRead returns how many events the server has sent in answer to
// reads (of streams and of $all; not to subscriptions).
func (s *Server) EventsRead() int64 { return s.sent.Load() }

// Events returns a copy of the whole log, system events included.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Event, len(s.log))
	for i, e := range s.log {
		out[i] = *e
	}
	return out
}

// proposed is an event an append brings.
type proposed struct {
	id          uuid.UUID
	typ         string
	contentType string
	data        []byte
	meta        []byte
}

// write appends events to stream as one commit and returns the last; the
// caller holds s.mu. Each event takes a stretch of the log that depends on
// its size, and the commit record after them takes one more, so positions
// grow in steps of varying size.
func (s *Server) write(stream string, evs []proposed) *Event {
	created := s.now()
	first := len(s.log)
	for _, p := range evs {
		e := &Event{
			ID:          p.id,
			Stream:      stream,
			Revision:    uint64(len(s.streams[stream])),
			Type:        p.typ,
			ContentType: p.contentType,
			Data:        append([]byte(nil), p.data...),
			Metadata:    append([]byte(nil), p.meta...),
			Position:    Position{Prepare: s.offset},
			Created:     created,
		}
		s.offset += 97 + uint64(len(stream)+len(p.typ)+len(p.data)+len(p.meta))
		s.ids[p.id] = len(s.log)
		s.streams[stream] = append(s.streams[stream], len(s.log))
		s.log = append(s.log, e)
	}
	commit := s.offset
	s.offset += 61 + uint64(len(evs))*7
	for _, e := range s.log[first:] {
		e.Position.Commit = commit
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return s.log[len(s.log)-1]
}

// writeNoise writes a system event and another application's event after
// every n-th append; the caller holds s.mu.
func (s *Server) writeNoise() {
	s.appends++
	if s.noise <= 0 || s.appends%s.noise != 0 {
		return
	}
	n := strconv.Itoa(s.appends)
	s.write("$stats-127.0.0.1:2113", []proposed{{id: uuid.New(), typ: "$statsCollected", contentType: "application/json", data: []byte(`{"n":` + n + `}`)}})
	s.write("billing-"+n, []proposed{{id: uuid.New(), typ: "billing.invoice_sent", contentType: "application/json", data: []byte(`{"invoice":` + n + `}`)}})
}

// ticks is t as .NET ticks (100 ns) since the Unix epoch, the way the
// server writes "created".
func ticks(t time.Time) string { return strconv.FormatInt(t.UnixNano()/100, 10) }

func (e *Event) String() string {
	return fmt.Sprintf("%s@%d %s (%d/%d)", e.Stream, e.Revision, e.Type, e.Position.Commit, e.Position.Prepare)
}
