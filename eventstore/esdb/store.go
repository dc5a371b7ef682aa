// Package esdb is the event-store port over EventStoreDB / KurrentDB, through
// the gRPC client github.com/EventStore/EventStore-Client-Go/v4.
//
// The mapping (docs/architecture.md, "The event store"):
//   - a carecost stream is a server stream of the same name; an expected
//     version is NoStream, Revision(n) or Any; a wrong expected version is
//     domain.ErrConcurrency;
//   - event ids are the ones given (the domain derives them from the command
//     id), so a retried append is idempotent on the server too; the content
//     type is JSON and carecost's metadata is the event's user metadata;
//   - the global position is the $all position (commit, prepare), neither
//     dense nor starting at 1;
//   - ReadAll, Head and Subscribe see only carecost's events: those whose
//     type starts with the store's type prefix ("carecost."). System events
//     ("$...") and other applications' events in the same log are skipped;
//   - RecordedAt is the server's "created" time; Append reads its last event
//     back, so AppendResult.RecordedAt is exactly what a read returns;
//   - Import (import.go) writes each event's recorded time into its user
//     metadata (meta.go), which every read takes out again, and writes a
//     call stream by stream: the server has no transaction across streams.
package esdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdurl "net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"carecost/domain"
)

// DefaultTypePrefix is the prefix of every carecost event type.
const DefaultTypePrefix = "carecost."

type config struct {
	prefix   string
	timeout  time.Duration
	page     uint64
	backoff  time.Duration
	maxDelay time.Duration
}

// Option changes how a Store works.
type Option func(*config)

// WithTypePrefix sets the event-type prefix of the application's events;
// the others in the log are not its own and are never returned.
func WithTypePrefix(p string) Option { return func(c *config) { c.prefix = p } }

// WithTimeout sets the deadline of every call to the server (default 5 s):
// an append, one page of a read, the opening of a subscription.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithPageSize sets how many events one read of the server asks for
// (default 500, at least 2).
func WithPageSize(n int) Option { return func(c *config) { c.page = uint64(max(2, n)) } }

// WithBackoff sets the first pause before the client is made again after
// the server was unreachable at its first call, and the longest (defaults
// 100 ms and 5 s); subscriptions open again after the same pauses.
func WithBackoff(first, longest time.Duration) Option {
	return func(c *config) { c.backoff, c.maxDelay = first, longest }
}

// Store is the event store over one EventStoreDB server or cluster.
type Store struct {
	cfg    config
	conn   *kdb.Configuration
	closed atomic.Bool
	life   context.Context // ends at Close; subscriptions run under it
	end    context.CancelFunc

	mu      sync.Mutex
	client  *kdb.Client
	deadAt  time.Time     // when the client closed itself for good
	delay   time.Duration // pause before the next client is made
	subs    map[*subscription]struct{}
	clients int // clients made so far

	memo headMemo // what Head learnt (head.go)
	// running counts the subscriptions' goroutines, which may still be in
	// a call on the client after their subscription closed.
	running sync.WaitGroup
}

// Open returns a Store for the connection string url, e.g.
// "esdb://localhost:2113?tls=false". It does not dial: the client connects
// on its first call.
func Open(url string, opts ...Option) (*Store, error) {
	cfg := config{prefix: DefaultTypePrefix, timeout: 5 * time.Second, page: 500, backoff: 100 * time.Millisecond, maxDelay: 5 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	conn, err := kdb.ParseConnectionString(url)
	if err != nil {
		return nil, domain.Invalidf("store", "the connection string cannot be read: %s", parseProblem(err))
	}
	conn.Logger = kdb.NoopLogging()
	life, end := context.WithCancel(context.Background())
	s := &Store{cfg: cfg, conn: conn, life: life, end: end, subs: map[*subscription]struct{}{}, delay: cfg.backoff}
	return s, nil
}

// parseProblem says what is wrong with a connection string without
// repeating it: a connection string may hold a password, and the URL
// parser's errors quote the whole string (or, for a bad escape, part of
// what follows a percent sign).
func parseProblem(err error) string {
	var esc stdurl.EscapeError
	var host stdurl.InvalidHostError
	var ue *stdurl.Error
	switch {
	case errors.As(err, &esc):
		return "a % in it does not begin an escape such as %40 (write a % in a password as %25)"
	case errors.As(err, &host):
		return "its host is not a host name or address"
	case errors.As(err, &ue):
		return RedactPassword(ue.Err.Error())
	}
	return RedactPassword(err.Error())
}

// userinfo is the user:password@ of a connection string.
var userinfo = regexp.MustCompile(`(://[^:/@\s]*):[^@/\s]*@`)

// RedactPassword hides the password of any connection string in s
// (esdb://user:***@host).
func RedactPassword(s string) string { return userinfo.ReplaceAllString(s, "$1:***@") }

// Close ends every subscription and closes the client; later calls return
// domain.ErrClosed.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.end()
	s.mu.Lock()
	subs := s.subs
	s.subs = nil
	c := s.client
	s.client = nil
	s.mu.Unlock()
	for sub := range subs {
		sub.Close()
	}
	// A subscription's goroutine may be in a call on the client (opening
	// it again after an outage), waiting for a connection the client will
	// never hand out when it gave up connecting: closing the client under
	// that call panics it (release.go). So the calls still waiting are
	// answered in the client's place, and the client is closed once every
	// subscription's goroutine has ended (else it is left to the
	// collector).
	if c != nil {
		stop := make(chan struct{})
		defer close(stop)
		go release(c, stop, s.cfg.timeout)
	}
	ended := make(chan struct{})
	go func() {
		s.running.Wait()
		close(ended)
	}()
	select {
	case <-ended:
		if c != nil {
			c.Close()
		}
	case <-time.After(2 * s.cfg.timeout):
	}
	return nil
}

// get returns the client, making one when there is none. A client whose
// server was unreachable at its first call closes itself for good; get
// makes a new one once the back-off pause since then has passed, and
// reports the store unavailable until it has.
func (s *Store) get(op string) (*kdb.Client, error) {
	if s.closed.Load() {
		return nil, errClosed(op)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client, nil
	}
	if wait := s.delay - time.Since(s.deadAt); !s.deadAt.IsZero() && wait > 0 {
		return nil, fmt.Errorf("esdb: %s: %w: the server was unreachable, trying again in %v", op, domain.ErrUnavailable, wait.Round(time.Millisecond))
	}
	c, err := kdb.NewClient(s.conn)
	if err != nil {
		return nil, fmt.Errorf("esdb: %s: %w: %v", op, domain.ErrUnavailable, err)
	}
	s.client = c
	s.clients++
	return c, nil
}

// failed looks at an error of c: a client closed for good is dropped, so
// the next call makes a new one after a pause that doubles each time; any
// other outcome resets the pause.
//
// A client that closed itself for good leaves the calls that raced with
// its closing waiting; release answers them.
func (s *Store) failed(c *kdb.Client, err error) {
	if !closedForGood(err) {
		if err == nil {
			s.mu.Lock()
			s.delay = s.cfg.backoff
			s.mu.Unlock()
		}
		return
	}
	s.mu.Lock()
	dropped := s.client == c
	if dropped {
		s.client = nil
		if !s.deadAt.IsZero() {
			s.delay = min(2*s.delay, s.cfg.maxDelay)
		}
		s.deadAt = time.Now()
	}
	s.mu.Unlock()
	if dropped {
		go release(c, s.life.Done(), max(10*time.Second, 2*s.cfg.timeout))
	}
}

// errClientGone is the answer release gives a call that was waiting for a
// client that closed itself for good.
var errClientGone = errors.New("the client closed itself for good under the call")

// closedForGood reports whether err says the client has closed itself for
// good: ConnectionClosed for a call after it did, and for the call whose
// connection it could not make, the error of its discovery (which carries
// the gRPC code of the last attempt, so only its text tells it apart).
func closedForGood(err error) bool {
	return err != nil && (codeOf(err) == kdb.ErrorCodeConnectionClosed || errors.Is(err, errClientGone) ||
		strings.Contains(err.Error(), "maximum discovery attempt count reached"))
}

// Clients returns how many clients the store has made (a new one each time
// the server was unreachable at a client's first call).
func (s *Store) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clients
}

// Append writes events to stream if it is at the expected version. The
// result is read back from the server: the version and position of the last
// event and its "created" time, for a repeated append those of the first.
func (s *Store) Append(ctx context.Context, stream string, expected domain.ExpectedVersion, events ...domain.EventData) (domain.AppendResult, error) {
	const op = "append"
	data, err := toEventData(stream, expected, events)
	if err != nil {
		return domain.AppendResult{}, err
	}
	c, err := s.get(op)
	if err != nil {
		return domain.AppendResult{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.timeout)
	defer cancel()
	wr, err := c.AppendToStream(cctx, stream, kdb.AppendToStreamOptions{ExpectedRevision: revision(expected), Deadline: &s.cfg.timeout}, data...)
	s.failed(c, err)
	if err != nil {
		return domain.AppendResult{}, s.wrap(ctx, op, err)
	}
	last, err := s.readStreamPage(ctx, c, stream, wr.NextExpectedVersion, 1)
	if err != nil {
		return domain.AppendResult{}, err
	}
	if len(last) != 1 || last[0].ID != events[len(events)-1].ID {
		// The append landed, but its read-back did not come whole (the
		// server went away between the two): unavailable, so a retry with
		// the same event ids finds the append done.
		return domain.AppendResult{}, fmt.Errorf("esdb: append to %q: %w: the server answered version %d, which could not be read back",
			stream, domain.ErrUnavailable, wr.NextExpectedVersion)
	}
	e := last[0]
	return domain.AppendResult{Version: e.Version, Position: e.Position, RecordedAt: e.RecordedAt}, nil
}

func revision(v domain.ExpectedVersion) kdb.ExpectedRevision {
	switch v {
	case domain.NoStream:
		return kdb.NoStream{}
	case domain.AnyVersion:
		return kdb.Any{}
	}
	return kdb.Revision(uint64(v))
}

// toEventData checks an append the way every adapter does and turns the
// events into the client's.
func toEventData(stream string, expected domain.ExpectedVersion, events []domain.EventData) ([]kdb.EventData, error) {
	switch {
	case stream == "":
		return nil, domain.Invalidf("stream", "the stream name is empty")
	case expected < domain.AnyVersion:
		return nil, domain.Invalidf("expected", "%d is not an expected version", expected)
	case len(events) == 0:
		return nil, domain.Invalidf("events", "there are no events to append")
	}
	out := make([]kdb.EventData, len(events))
	seen := make(map[string]int, len(events))
	for i, e := range events {
		field := func(name string) string { return fmt.Sprintf("events[%d].%s", i, name) }
		id, err := uuid.Parse(e.ID)
		switch {
		case e.ID == "":
			return nil, domain.Invalidf(field("id"), "the event id is empty")
		case err != nil || id.String() != e.ID:
			return nil, domain.Invalidf(field("id"), "%q is not a UUID in lower-case text form", e.ID)
		case e.Type == "":
			return nil, domain.Invalidf(field("type"), "the event type is empty")
		}
		if _, _, ok := splitTime(e.Metadata); ok {
			return nil, domain.Invalidf(field("metadata"), "metadata of the form %s...} is the store's own, for imported events", timeOpen)
		}
		if j, ok := seen[e.ID]; ok {
			return nil, domain.Invalidf(field("id"), "event id %q is also event %d", e.ID, j)
		}
		seen[e.ID] = i
		out[i] = kdb.EventData{EventID: id, EventType: e.Type, ContentType: kdb.ContentTypeJson, Data: e.Data, Metadata: e.Metadata}
	}
	return out, nil
}

// codeOf returns the client's error code of err, or -1.
func codeOf(err error) kdb.ErrorCode {
	var e *kdb.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return -1
}

// wrap maps an error of the client to the port's: a wrong expected version
// is ErrConcurrency, a missing stream ErrStreamNotFound, a server that does
// not answer (down, no leader, past the deadline) ErrUnavailable. When the
// caller's ctx ended, its error is returned; after Close, ErrClosed.
func (s *Store) wrap(ctx context.Context, op string, err error) error {
	switch {
	case s.closed.Load():
		return errClosed(op)
	case ctx.Err() != nil:
		return fmt.Errorf("esdb: %s: %w", op, ctx.Err())
	}
	switch codeOf(err) {
	case kdb.ErrorCodeWrongExpectedVersion:
		return fmt.Errorf("esdb: %s: %w: %v", op, domain.ErrConcurrency, err)
	case kdb.ErrorCodeResourceNotFound:
		return fmt.Errorf("esdb: %s: %w", op, domain.ErrStreamNotFound)
	case kdb.ErrorUnavailable, kdb.ErrorCodeConnectionClosed, kdb.ErrorCodeDeadlineExceeded, kdb.ErrorCodeNotLeader:
		return fmt.Errorf("esdb: %s: %w: %v", op, domain.ErrUnavailable, err)
	case kdb.ErrorCodeAccessDenied, kdb.ErrorCodeUnauthenticated:
		return refused(op, err)
	}
	// A stream the connection broke under answers a send with io.EOF (the
	// client wraps it as an unknown error): nothing was committed, since the
	// server commits an append only when the whole request has arrived.
	if closedForGood(err) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("esdb: %s: %w: %v", op, domain.ErrUnavailable, err)
	}
	// A read's stream can fail with a bare gRPC status the client does not
	// wrap (the connection refused while it reads).
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.Aborted:
		return fmt.Errorf("esdb: %s: %w: %v", op, domain.ErrUnavailable, err)
	case codes.PermissionDenied, codes.Unauthenticated:
		return refused(op, err)
	}
	return fmt.Errorf("esdb: %s: %w", op, err)
}

// refused is the error of a call the server refused carecost's user: the
// store is unusable until an operator mends the user or its rights, which
// the message names (a 503 for the caller, the store "away" for /readyz and
// the metrics, so the alert fires).
func refused(op string, err error) error {
	return fmt.Errorf("esdb: %s: %w: the server refused carecost's user (%v): the user in the connection string must exist, "+
		"its password be right, and it may read $all (by default only $admins may) and write carecost's streams", op, domain.ErrUnavailable, err)
}

func errClosed(op string) error { return fmt.Errorf("esdb: %s: %w", op, domain.ErrClosed) }
