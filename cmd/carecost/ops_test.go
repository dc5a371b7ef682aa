package main

import (
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
