package projections

import (
	"context"
	"database/sql"
	"fmt"
)

// recreate drops tables and runs schema again: how a projection resets, so
// that a new version's tables replace an old version's rather than keep its
// columns. (The runner runs a projection's schema before it resets an old
// version: an index of a new version names columns its table had before, or
// the table takes a new name.)
func recreate(ctx context.Context, tx *sql.Tx, tables, schema []string) error {
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+t); err != nil {
			return fmt.Errorf("projections: drop %s: %w", t, err)
		}
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("projections: create: %w", err)
		}
	}
	return nil
}
