package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"carecost/domain"
)

// A backup taken while carecost serves, restored into another data folder,
// gives the same estimates after a start.
func TestBackupAndRestore(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	a := startTestServer(t, src, true)
	want := allEstimates(t, a)
	backup := filepath.Join(t.TempDir(), "log.db")
	if code, out, errs := runCmd(t, "", "backup", "--data", src, "--to", backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d %s %s", code, out, errs)
	}
	if code, _, _ := runCmd(t, "", "backup", "--data", src, "--to", backup); code != 2 {
		t.Errorf("a backup over an existing file: exit %d, want 2", code)
	}
	if code, out, errs := runCmd(t, "", "restore", "--data", dst, "--from", backup); code != 0 {
		t.Fatalf("restore: exit %d %s %s", code, out, errs)
	}
	b := startTestServer(t, dst, false)
	if got := allEstimates(t, b); len(got) != len(want) || !reflect.DeepEqual(got, want) {
		t.Errorf("restored %d estimates, backed up %d (or they differ)", len(got), len(want))
	}
}

// restore reads its backup and never writes it: a path with no file, an
// empty file and a database that is not an event log are refused (exit 2)
// with the log untouched and no file made; a backup restored stays the same
// bytes; each restore keeps the log it replaces under a name of its own.
func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	data, _ := demoSource(t)
	log := filepath.Join(data, "events.db")
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	other := filepath.Join(dir, "other.db")
	if code, _, errs := runCmd(t, "", "backup", "--data", data, "--to", other); code != 0 {
		t.Fatal(errs)
	}
	otherDB, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := otherDB.Exec(`DROP TABLE events`); err != nil {
		t.Fatal(err)
	}
	otherDB.Close()
	before, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{missing, empty, other, dir} {
		code, _, errs := runCmd(t, "", "restore", "--data", data, "--from", from)
		if code != 2 || !strings.Contains(errs, "--from") {
			t.Errorf("restore --from %s: exit %d, %s", from, code, errs)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("restore made a file where none was")
	}
	if after, _ := os.ReadFile(log); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the log")
	}
	if _, err := os.Stat(log + ".before-restore"); !os.IsNotExist(err) {
		t.Error("a refused restore moved the log")
	}

	backup := filepath.Join(dir, "good.db")
	if code, _, errs := runCmd(t, "", "backup", "--data", data, "--to", backup); code != 0 {
		t.Fatal(errs)
	}
	sum := func(path string) [32]byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	want := sum(backup)
	for range 2 {
		if code, _, errs := runCmd(t, "", "restore", "--data", data, "--from", backup); code != 0 {
			t.Fatal(errs)
		}
	}
	if sum(backup) != want {
		t.Error("restore changed its backup")
	}
	for _, kept := range []string{log + ".before-restore", log + ".before-restore-2"} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("the log a restore replaced is not kept as %s", filepath.Base(kept))
		}
	}
}

// Export then import into an empty store gives the same catalogue.
func TestCatalogueExportImport(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if code, _, errs := runCmd(t, "", "catalogue", "import", "--data", src, "--file", "../../domain/demo/catalogue.json", "--log-format", "json"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	out := filepath.Join(t.TempDir(), "cat.json")
	if code, _, errs := runCmd(t, "", "catalogue", "export", "--data", src, "--file", out, "--log-format", "json"); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if code, _, errs := runCmd(t, "", "catalogue", "import", "--data", dst, "--file", out, "--log-format", "json"); code != 0 {
		t.Fatalf("import of the export: %s", errs)
	}
	again := filepath.Join(t.TempDir(), "again.json")
	runCmd(t, "", "catalogue", "export", "--data", dst, "--file", again, "--log-format", "json")
	first, second := readCatalogue(t, out), readCatalogue(t, again)
	if len(first.Tariffs) != 1 || len(first.Tariffs[0].Versions) != 3 || !reflect.DeepEqual(first, second) {
		t.Errorf("export -> import -> export changed the catalogue")
	}
	if code, _, errs := runCmd(t, "", "catalogue", "import", "--data", dst, "--file", writeFile(t, "bad.json", `{"format":"x"}`)); code != 2 || !strings.Contains(errs, "format") {
		t.Errorf("a bad file: exit %d %s", code, errs)
	}
}

func readCatalogue(t *testing.T, path string) domain.CatalogueFile {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f domain.CatalogueFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}
