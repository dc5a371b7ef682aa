package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The statements that write many rows at once (a replay's batches:
// estimates, their personal data, decisions and their services, usage)
// bind thousands of values each. Through database/sql every value is
// checked and converted, and the driver copies every string into memory
// of its own before SQLite copies it again: about a fifth of the time of
// the goroutine that applies a replay's pages. Those statements run on the
// writer's connection itself instead, inside the write transaction: the
// values are bound straight from Go's memory (SQLite copies each string
// once), and the statements stay prepared while the connection lives.
// The connection's SQLite handle is the driver connection's field db
// (modernc.org/sqlite), read by reflection and checked by name and kind;
// should a driver change it, rawHandle finds none and the statements go
// through database/sql as before (TestRawWritesAreUsed fails then, so the
// change is seen). docs/performance.md has the measurements.

// rawWriter runs many-row write statements on the writer connection's
// SQLite handle.
type rawWriter struct {
	mu    sync.Mutex
	tls   *libc.TLS
	db    uintptr            // the handle the statements were prepared on
	stmts map[string]uintptr // prepared statements by SQL
	used  int64              // statements run this way
	buf   []byte             // the running statement's texts, in SQLite's memory
}

// errNoRawHandle: the driver connection has no SQLite handle this code
// knows how to read.
var errNoRawHandle = errors.New("projections: the driver connection's SQLite handle is not readable")

// rawHandle returns the SQLite handle (sqlite3*) of a modernc.org/sqlite
// driver connection: the uintptr field db of the struct it points to.
func rawHandle(driverConn any) (uintptr, bool) {
	v := reflect.ValueOf(driverConn)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0, false
	}
	i, ok := handleField(v.Elem().Type())
	if !ok {
		return 0, false
	}
	h := v.Elem().Field(i).Uint()
	return uintptr(h), h != 0
}

// handleFields holds, by driver connection type, the index of its handle
// field (-1: none).
var handleFields sync.Map

// handleField returns the index of the field db of a modernc.org/sqlite
// connection struct t, when it is a uintptr.
func handleField(t reflect.Type) (int, bool) {
	if i, ok := handleFields.Load(t); ok {
		return i.(int), i.(int) >= 0
	}
	i := -1
	if f, ok := t.FieldByName("db"); ok && t.PkgPath() == "modernc.org/sqlite" && f.Type.Kind() == reflect.Uintptr && len(f.Index) == 1 {
		i = f.Index[0]
	}
	handleFields.Store(t, i)
	return i, i >= 0
}

// exec runs query with args (int64, string, []byte, bool, nil or a
// *bool) on handle db, which must be the connection of the transaction
// the caller is in; a value of another type is errRawArgs, before
// anything ran (the caller then uses database/sql).
func (w *rawWriter) exec(db uintptr, query string, args []any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tls == nil {
		w.tls = libc.NewTLS()
	}
	if db != w.db {
		w.finalizeLocked()
		w.db, w.stmts = db, map[string]uintptr{}
	}
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.prepare(query); err != nil {
			return err
		}
		w.stmts[query] = st
	}
	t := w.tls
	if n := int(sqlite3.Xsqlite3_bind_parameter_count(t, st)); n != len(args) {
		return fmt.Errorf("projections: %d values for %d parameters", len(args), n)
	}
	// The texts and blobs are copied once into one buffer of SQLite's
	// memory, which the statement reads until it is reset (SQLite must not
	// be handed pointers into Go's memory).
	size := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			size += len(v)
		case []byte:
			size += len(v)
		}
	}
	buf := libc.Xmalloc(t, libc.Tsize_t(max(size, 1)))
	if buf == 0 {
		return errors.New("projections: out of memory binding a statement's values")
	}
	w.buf = unsafe.Slice((*byte)(unsafe.Add(nil, buf)), max(size, 1))[:0]
	defer func() { // the statement lets go of the values before they are freed
		sqlite3.Xsqlite3_reset(t, st)
		sqlite3.Xsqlite3_clear_bindings(t, st)
		w.buf = nil
		libc.Xfree(t, buf)
	}()
	for i, a := range args {
		if err := w.bind(st, int32(i+1), a); err != nil {
			return err
		}
	}
	switch rc := sqlite3.Xsqlite3_step(t, st); rc {
	case sqlite3.SQLITE_DONE, sqlite3.SQLITE_ROW:
		w.used++
		return nil
	default:
		return w.err(rc)
	}
}

// errRawArgs: a value of a type exec does not bind.
var errRawArgs = errors.New("projections: a value exec does not bind")

func (w *rawWriter) bind(st uintptr, i int32, a any) error {
	t := w.tls
	var rc int32
	switch v := a.(type) {
	case nil:
		rc = sqlite3.Xsqlite3_bind_null(t, st, i)
	case int64:
		rc = sqlite3.Xsqlite3_bind_int64(t, st, i, v)
	case bool:
		var n int64
		if v {
			n = 1
		}
		rc = sqlite3.Xsqlite3_bind_int64(t, st, i, n)
	case *bool:
		if v == nil {
			rc = sqlite3.Xsqlite3_bind_null(t, st, i)
		} else {
			return w.bind(st, i, *v)
		}
	case string:
		// Bound in place (SQLITE_STATIC): the buffer outlives the step.
		// An empty text has a pointer too (none binds NULL).
		rc = sqlite3.Xsqlite3_bind_text(t, st, i, w.put(v), int32(len(v)), 0)
	case []byte:
		if v == nil {
			rc = sqlite3.Xsqlite3_bind_null(t, st, i)
			break
		}
		rc = sqlite3.Xsqlite3_bind_blob(t, st, i, w.put(string(v)), int32(len(v)), 0)
	default:
		return errRawArgs
	}
	if rc != sqlite3.SQLITE_OK {
		return w.err(rc)
	}
	return nil
}

// put copies s to the end of the statement's buffer and returns its
// address there.
func (w *rawWriter) put(s string) uintptr {
	start := len(w.buf)
	if start+len(s) > cap(w.buf) {
		panic("projections: a statement's values outgrew the buffer sized for them")
	}
	w.buf = append(w.buf, s...) // within its capacity: still SQLite's memory
	return uintptr(unsafe.Pointer(unsafe.SliceData(w.buf))) + uintptr(start)
}

func (w *rawWriter) prepare(query string) (uintptr, error) {
	t := w.tls
	s, err := libc.CString(query)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(t, s)
	pp := t.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer t.Free(int(unsafe.Sizeof(uintptr(0))))
	if rc := sqlite3.Xsqlite3_prepare_v2(t, w.db, s, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return 0, w.err(rc)
	}
	return *(*uintptr)(unsafe.Add(nil, pp)), nil // SQLite's memory, outside Go's heap
}

// err is SQLite's message for the failure rc, worded as the driver words
// it ("database is locked (5) (SQLITE_BUSY)" reads as transient).
func (w *rawWriter) err(rc int32) error {
	msg := libc.GoString(sqlite3.Xsqlite3_errmsg(w.tls, w.db))
	return fmt.Errorf("%s (%d) (%s)", msg, rc, libc.GoString(sqlite3.Xsqlite3_errstr(w.tls, rc)))
}

// finalizeLocked finalizes the prepared statements (before their
// connection closes; a closed connection waits for them, so finalizing
// them later is safe too).
func (w *rawWriter) finalizeLocked() {
	for _, st := range w.stmts {
		sqlite3.Xsqlite3_finalize(w.tls, st)
	}
	w.stmts = nil
}

// close finalizes the statements and frees the writer's memory.
func (w *rawWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tls == nil {
		return
	}
	w.finalizeLocked()
	w.tls.Close()
	w.tls = nil
}

// execRows runs a statement that writes many rows inside tx: on the
// writer's connection itself when the transaction is one of writeThen's
// and the values' types allow, else through database/sql.
func (db *DB) execRows(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c := db.wconn; c != nil && db.wtx == tx {
		err := c.Raw(func(dc any) error {
			h, ok := rawHandle(dc)
			if !ok {
				return errNoRawHandle
			}
			return db.raw.exec(h, query, args)
		})
		if !errors.Is(err, errNoRawHandle) && !errors.Is(err, errRawArgs) {
			return err
		}
	}
	return db.exec(ctx, tx, query, args...)
}

// RawWrites reports how many statements ran on the writer's connection
// itself (execRows).
func (db *DB) RawWrites() int64 {
	db.raw.mu.Lock()
	defer db.raw.mu.Unlock()
	return db.raw.used
}
