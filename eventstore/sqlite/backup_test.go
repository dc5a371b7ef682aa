package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"carecost/domain"
)

func TestBackup(t *testing.T) {
	t.Run("the copy opens and holds every event", testBackupComplete)
	t.Run("refuses to overwrite a file", testBackupNoOverwrite)
	t.Run("a copy taken during appends is a prefix of the log", testBackupDuringAppends)
}

func testBackupComplete(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for i := range 50 {
		if _, err := s.Append(ctx, fmt.Sprint("s", i%5), domain.AnyVersion, events(fmt.Sprint("e", i))...); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := s.ReadAll(ctx, domain.ReadAllOptions{})
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the copy's mode: %v, %v; want only its owner to read it (0600)", fi.Mode(), err)
	}
	copied := mustOpen(t, path)
	defer copied.Close()
	got, err := copied.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil || len(got) != len(want) {
		t.Fatalf("events in the copy: got %d, %v; want %d", len(got), err, len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || got[i].Position != want[i].Position || !got[i].RecordedAt.Equal(want[i].RecordedAt) {
			t.Errorf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if res, err := copied.Append(ctx, "s0", domain.ExactVersion(9), events("after")...); err != nil || res.Version != 10 {
		t.Errorf("append to the copy: got %+v, %v; want version 10", res, err)
	}
}

func testBackupNoOverwrite(t *testing.T) {
	s := openTemp(t)
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), path); err == nil {
		t.Errorf("second Backup to %s: got no error", path)
	}
}

func testBackupDuringAppends(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	l := startLoad(t, s, 4)
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, path)
	l.wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	copied := mustOpen(t, path)
	defer copied.Close()
	got, _ := copied.ReadAll(ctx, domain.ReadAllOptions{})
	all, _ := s.ReadAll(ctx, domain.ReadAllOptions{})
	if len(got) > len(all) {
		t.Fatalf("copy holds %d events, the store only %d", len(got), len(all))
	}
	for i, e := range got {
		if e.ID != all[i].ID || e.Position != domain.SeqPosition(uint64(i+1)) {
			t.Fatalf("copy event %d: got %q at %v, want %q at %d", i, e.ID, e.Position, all[i].ID, i+1)
		}
	}
	t.Logf("copy holds %d of %d events", len(got), len(all))
}
