package projections

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"database/sql"

	_ "modernc.org/sqlite"
)

// The decisions list reads a page off the index in its order: no sort of
// every decision (which took a second over 77 000 decisions of one date).
func TestDecisionsListReadsItsIndex(t *testing.T) {
	ctx := context.Background()
	db, err := OpenDB(filepath.Join(t.TempDir(), "read.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	audit := NewDecisionAudit(db, nil)
	hist := NewPriceHistory(db)
	err = db.write(ctx, func(tx *sql.Tx) error {
		for _, stmt := range append(audit.Schema(), hist.Schema()...) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q, args := decisionsQuery(DecisionFilter{Limit: 5})
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	if strings.Contains(all, "TEMP B-TREE") || !strings.Contains(all, "decisions_date_id") {
		t.Errorf("the decisions list sorts instead of reading its index:\n%s", all)
	}
}
