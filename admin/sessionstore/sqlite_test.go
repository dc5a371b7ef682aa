package sessionstore_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "modernc.org/sqlite"

	"carecost/admin/sessionstore"
)

var _ fiber.Storage = (*sessionstore.SQLite)(nil)

func open(t *testing.T) (*sessionstore.SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sessions.db")
	s, err := sessionstore.Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// Values come back until they expire or are deleted; a missing key is nil
// without an error.
func TestSetGetExpireDelete(t *testing.T) {
	s, _ := open(t)
	now := time.Unix(1_800_000_000, 0)
	s.SetClock(func() time.Time { return now })
	if v, err := s.Get("nobody"); v != nil || err != nil {
		t.Fatalf("missing key: %q, %v", v, err)
	}
	must(t, s.Set("a", []byte("one"), time.Minute))
	must(t, s.Set("b", []byte("two"), 0))
	must(t, s.Set("a", []byte("uno"), time.Minute)) // replaces
	if v, _ := s.Get("a"); string(v) != "uno" {
		t.Fatalf("a = %q", v)
	}
	now = now.Add(time.Minute)
	if v, _ := s.Get("a"); v != nil {
		t.Fatalf("expired a = %q", v)
	}
	if n, err := s.Purge(); n != 1 || err != nil {
		t.Fatalf("purged %d, %v", n, err)
	}
	if v, _ := s.Get("b"); string(v) != "two" {
		t.Fatalf("b = %q", v)
	}
	must(t, s.Delete("b"))
	must(t, s.Delete("b"))
	if v, _ := s.Get("b"); v != nil {
		t.Fatalf("deleted b = %q", v)
	}
	must(t, s.Set("c", []byte("x"), 0))
	must(t, s.Reset())
	if n, _ := s.Len(); n != 0 {
		t.Fatalf("%d entries after reset", n)
	}
}

// The file holds hashes of the keys, never a key: a copy of it gives no
// session id.
func TestKeysAreHashed(t *testing.T) {
	s, path := open(t)
	key := "session-id-that-must-not-be-stored"
	must(t, s.Set(key, []byte("v"), time.Hour))
	must(t, s.Close())
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(key)) {
			t.Errorf("%s holds the key", filepath.Base(f))
		}
	}
	again, err := sessionstore.Open(path, 0)
	must(t, err)
	defer again.Close()
	if v, _ := again.Get(key); string(v) != "v" {
		t.Fatalf("after reopening: %q", v)
	}
}

// The purger runs on its own and stops with Close.
func TestPurgeLoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s, err := sessionstore.Open(path, 10*time.Millisecond)
	must(t, err)
	must(t, s.Set("short", []byte("v"), time.Millisecond))
	deadline := time.Now().Add(5 * time.Second)
	for n, _ := s.Len(); n != 0; n, _ = s.Len() {
		if time.Now().After(deadline) {
			t.Fatal("the expired entry was not purged")
		}
		time.Sleep(5 * time.Millisecond)
	}
	must(t, s.Close())
}

// A folder that cannot hold the file fails the open, naming it.
func TestOpenFails(t *testing.T) {
	_, err := sessionstore.Open(filepath.Join(t.TempDir(), "missing", "sessions.db"), 0)
	if err == nil || !strings.HasPrefix(err.Error(), "sessionstore: ") {
		t.Fatalf("err = %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
