package sqlite

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"carecost/domain"
)

// The log is read in pages by catch-up, rebuilds, subscriptions and
// migrate: most of the events a replay handles go through ReadAll. Through
// database/sql, each column of each row costs a call into the driver, which
// takes the connection's SQLite mutex, allocates the value, and converts it
// again for Scan; that was over half the CPU of a replay. ReadAll reads
// through connections of its own instead (rawReader): opened with
// SQLITE_OPEN_NOMUTEX (a connection is used by one goroutine at a time, so
// SQLite needs no mutex), one prepared statement, and each row's values
// copied once, straight from SQLite's memory into the page's arena. The ids
// are strings over the arena, and the stream and type names repeated along a
// page are shared. docs/performance.md has the measurements.

// rawReader is one read-only connection to the log and its page query.
// It is not safe for concurrent use: rawPool hands it to one caller at a
// time.
type rawReader struct {
	tls  *libc.TLS
	db   uintptr
	all  uintptr // the page statement
	path string
	read int64 // bytes of events read since opened
}

const rawPageSQL = "SELECT position, event_id, stream, version, type, data, metadata, recorded_at FROM events " +
	"WHERE position > ?1 AND position <= ?2 ORDER BY position LIMIT ?3"

// openRawReader opens a read-only connection to the log at path, with the
// pragmas given (statements run once after opening).
func openRawReader(path string, busyMillis int, pragmas []string) (r *rawReader, err error) {
	r = &rawReader{tls: libc.NewTLS(), path: path}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	name, err := libc.CString(fileURI(path))
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(r.tls, name)
	pdb := r.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer r.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	rc := sqlite3.Xsqlite3_open_v2(r.tls, name, pdb, sqlite3.SQLITE_OPEN_READONLY|sqlite3.SQLITE_OPEN_NOMUTEX|sqlite3.SQLITE_OPEN_URI, 0)
	r.db = *(*uintptr)(cmem(pdb))
	if rc != sqlite3.SQLITE_OK {
		return nil, r.err("open", rc)
	}
	sqlite3.Xsqlite3_extended_result_codes(r.tls, r.db, 1)
	sqlite3.Xsqlite3_busy_timeout(r.tls, r.db, int32(busyMillis))
	for _, p := range pragmas {
		if err := r.exec(p); err != nil {
			return nil, err
		}
	}
	if r.all, err = r.prepare(rawPageSQL); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rawReader) exec(sql string) error {
	s, err := libc.CString(sql)
	if err != nil {
		return err
	}
	defer libc.Xfree(r.tls, s)
	if rc := sqlite3.Xsqlite3_exec(r.tls, r.db, s, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return r.err(sql, rc)
	}
	return nil
}

func (r *rawReader) prepare(sql string) (uintptr, error) {
	s, err := libc.CString(sql)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(r.tls, s)
	pp := r.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer r.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	if rc := sqlite3.Xsqlite3_prepare_v2(r.tls, r.db, s, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return 0, r.err("prepare", rc)
	}
	return *(*uintptr)(cmem(pp)), nil
}

// err describes the failure rc of op, with SQLite's message.
func (r *rawReader) err(op string, rc int32) error {
	msg := ""
	if r.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(r.tls, r.db))
	}
	return fmt.Errorf("%s: %s (%d)", op, msg, rc)
}

func (r *rawReader) close() {
	if r.all != 0 {
		sqlite3.Xsqlite3_finalize(r.tls, r.all)
		r.all = 0
	}
	if r.db != 0 {
		sqlite3.Xsqlite3_close_v2(r.tls, r.db)
		r.db = 0
	}
	if r.tls != nil {
		r.tls.Close()
		r.tls = nil
	}
}

// page appends to buf the events after position after, up to position
// upTo, at most n of them (n < 0: all), in one read transaction (the
// statement's). ctx is checked every few hundred rows.
func (r *rawReader) page(ctx context.Context, after, upTo, n int64, buf []domain.RecordedEvent) ([]domain.RecordedEvent, error) {
	t, st := r.tls, r.all
	defer func() {
		sqlite3.Xsqlite3_reset(t, st)
	}()
	for i, v := range [...]int64{after, upTo, n} {
		if rc := sqlite3.Xsqlite3_bind_int64(t, st, int32(i+1), v); rc != sqlite3.SQLITE_OK {
			return buf, r.err("bind", rc)
		}
	}
	var a arena
	names := map[string]string{}
	// text copies column i into the arena and returns it.
	text := func(i int32) []byte {
		p := sqlite3.Xsqlite3_column_blob(t, st, i)
		l := int(sqlite3.Xsqlite3_column_bytes(t, st, i))
		if p == 0 || l == 0 {
			return nil
		}
		return a.copy(unsafe.Slice((*byte)(cmem(p)), l))
	}
	// name returns column i as a string shared along the page.
	name := func(i int32) string {
		p := sqlite3.Xsqlite3_column_text(t, st, i)
		l := int(sqlite3.Xsqlite3_column_bytes(t, st, i))
		if p == 0 || l == 0 {
			return ""
		}
		b := unsafe.Slice((*byte)(cmem(p)), l)
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	for rows := 0; ; rows++ {
		if rows&255 == 255 {
			if err := ctx.Err(); err != nil {
				return buf, err
			}
		}
		switch rc := sqlite3.Xsqlite3_step(t, st); rc {
		case sqlite3.SQLITE_DONE:
			return buf, nil
		case sqlite3.SQLITE_ROW:
		default:
			return buf, r.err("step", rc)
		}
		id := text(1)
		e := domain.RecordedEvent{
			Position:   domain.SeqPosition(uint64(sqlite3.Xsqlite3_column_int64(t, st, 0))),
			ID:         unsafe.String(unsafe.SliceData(id), len(id)),
			Stream:     name(2),
			Version:    uint64(sqlite3.Xsqlite3_column_int64(t, st, 3)),
			Type:       name(4),
			RecordedAt: recordedAt(sqlite3.Xsqlite3_column_int64(t, st, 7)),
		}
		e.Data = text(5)
		e.Metadata = text(6)
		r.read += int64(len(id) + len(e.Data) + len(e.Metadata))
		buf = append(buf, e)
	}
}

// arena is memory for the bytes of a page's events, in blocks that the
// bytes fill one after the other: the first of 4 KiB (a live page holds a
// few events), each next one twice as large up to 64 KiB, or one value's
// size. A block is a strings.Builder's buffer, which Go allocates without
// clearing it first (every byte of it is written before it is read): a
// replay copies about a gigabyte of payloads per million events, and
// clearing each block before the copy cost as much again. What the arena
// hands out is never written again.
type arena struct {
	b     strings.Builder
	block int // the size of the last block
}

// copy returns a copy of src in the arena.
func (a *arena) copy(src []byte) []byte {
	if a.b.Cap()-a.b.Len() < len(src) {
		a.block = min(max(2*a.block, 4<<10), 64<<10)
		a.b = strings.Builder{}
		a.b.Grow(max(a.block, len(src)))
	}
	start := a.b.Len()
	a.b.Write(src)
	s := a.b.String()[start:]
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// cmem is a pointer to the memory at address p, which SQLite allocated
// (outside Go's heap: the collector neither moves nor frees it).
func cmem(p uintptr) unsafe.Pointer { return unsafe.Add(nil, p) }

// rawPool lends raw readers, opening them as needed and keeping a few. A
// reader maps the whole log file (reading mapped pages costs no system
// call), and is closed once it has read budget bytes: the pages of the file
// it touched leave the process's resident memory with it, so a replay of a
// large log keeps about budget bytes of it resident per reader, not the
// whole file. A budget of 0 maps nothing (every page is read with a system
// call).
type rawPool struct {
	path    string
	busy    int
	budget  int64
	pragmas []string
	mu      sync.Mutex
	idle    []*rawReader
	closed  bool
}

// maxIdleRaw is how many idle raw readers the pool keeps open.
const maxIdleRaw = 4

func (p *rawPool) get() (*rawReader, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, domain.ErrClosed
	}
	if n := len(p.idle); n > 0 {
		r := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return r, nil
	}
	p.mu.Unlock()
	return openRawReader(p.path, p.busy, p.pragmas)
}

func (p *rawPool) put(r *rawReader) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= maxIdleRaw || (p.budget > 0 && r.read >= p.budget) {
		r.close()
		return
	}
	p.idle = append(p.idle, r)
}

func (p *rawPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, r := range p.idle {
		r.close()
	}
	p.idle = nil
}
