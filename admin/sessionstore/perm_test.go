package sessionstore

import (
	"os"
	"path/filepath"
	"testing"
)

// A new sessions file, and the files SQLite keeps beside it, are their
// owner's only.
func TestNewFileIsTheOwnersOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", filepath.Base(p), st.Mode().Perm())
		}
	}
}
