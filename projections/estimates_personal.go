package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"carecost/domain"
)

// estimatePersonalTable holds the personal data of the estimates projection,
// and no other table of it does: the client reference and the household
// (its figures as JSON), by estimate. Erasing a client clears its rows here.
const estimatePersonalTable = `CREATE TABLE IF NOT EXISTS estimate_personal (
	estimate_id TEXT PRIMARY KEY, client_ref TEXT NOT NULL, household TEXT NOT NULL) WITHOUT ROWID`

// personalJoin and personalColumns read an estimate's personal data beside
// its row (an estimate without any reads as an empty client).
const (
	personalJoin    = ` LEFT JOIN estimate_personal pers ON pers.estimate_id = estimates.id`
	personalColumns = `, COALESCE(pers.client_ref, ''), COALESCE(pers.household, '{}')`
)

// writePersonal writes the personal data of the rows whose personal data
// changed in the batch, many rows per statement.
func (p *EstimateTotals) writePersonal(ctx context.Context, tx *sql.Tx, rows []*estimateRow) error {
	changed := slices.DeleteFunc(slices.Clone(rows), func(r *estimateRow) bool { return r.personal == nil })
	args := make([]any, 0, 3*min(len(changed), rowsPerInsert))
	for chunk := range slices.Chunk(changed, rowsPerInsert) {
		args = args[:0]
		for _, r := range chunk {
			household := r.household
			if household == "" {
				h, err := json.Marshal(r.personal.Household)
				if err != nil {
					return fmt.Errorf("projections: estimate %s household: %w", r.ID, err)
				}
				household = string(h)
			}
			args = append(args, r.ID, r.personal.ClientRef, household)
		}
		q := `INSERT OR REPLACE INTO estimate_personal (estimate_id, client_ref, household) VALUES (?,?,?)` +
			strings.Repeat(",(?,?,?)", len(chunk)-1)
		if err := p.db.execRows(ctx, tx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// scanWithPersonal reads a row of estimateColumns followed by
// personalColumns.
func scanWithPersonal(s scanner) (*estimateRow, domain.Household, error) {
	var ref, household string
	var h domain.Household
	r, err := scanRow(s, &ref, &household)
	if err != nil {
		return nil, h, err
	}
	r.ClientRef = ref
	if err := json.Unmarshal([]byte(household), &h); err != nil {
		return nil, h, fmt.Errorf("estimate %s household: %w", r.ID, err)
	}
	return r, h, nil
}
