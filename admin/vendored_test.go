package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// The vendored npm files are the ones .ci/vendor-npm fetched and checked
// against the registry's integrity: nobody edits them by hand.
func TestVendoredFiles(t *testing.T) {
	b, err := os.ReadFile("../.ci/npm-vendored")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		data, err := os.ReadFile("../" + f[3])
		if err != nil {
			t.Fatalf("%s %s: %v", f[0], f[1], err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f[2] {
			t.Errorf("%s differs from %s %s as vendored; run .ci/vendor-npm", f[3], f[0], f[1])
		}
	}
	if n < 2 {
		t.Fatalf("only %d vendored files listed", n)
	}
	if _, err := staticFiles.ReadFile("static/htmx.min.js"); err != nil {
		t.Fatal("htmx is not built into carecost:", err)
	}
}
