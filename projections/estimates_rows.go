package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"carecost/domain"
)

// estimateColumns lists the columns of the estimates table in the order
// scanRow and writeEstimateRows use.
const estimateColumns = `id, status, maple, segment, tariff_id, tariff_version, income_id, income_version,
	pricing_date, line_count, m_gross, m_fee, m_net, o_gross, o_fee, o_net, y_gross, y_fee, y_net,
	decision_number, decision_date, effective_from, revision_of, superseded_by, revisions, cancel_reason,
	pricing_version, opened_at, opened_date, updated_at, decided_at, version, commit_pos, prepare_pos, team,
	opened_by, opened_by_name, m_copay, o_copay, y_copay`

type scanner interface{ Scan(dest ...any) error }

// scanRow reads a row of estimateColumns, and into extra the columns that
// follow them.
func scanRow(s scanner, extra ...any) (*estimateRow, error) {
	r := &estimateRow{}
	var pricingDate, decisionDate, effectiveFrom, openedDate, revisions string
	var openedAt, updatedAt, decidedAt int64
	err := s.Scan(append([]any{&r.ID, &r.Status, &r.Maple, &r.Segment, &r.TariffID, &r.TariffVersion, &r.IncomeCatalogueID,
		&r.IncomeVersion, &pricingDate, &r.LineCount, &r.Monthly.CountyGross, &r.Monthly.ClientFee, &r.Monthly.CountyNet,
		&r.OneOff.CountyGross, &r.OneOff.ClientFee, &r.OneOff.CountyNet, &r.Yearly.CountyGross, &r.Yearly.ClientFee, &r.Yearly.CountyNet,
		&r.DecisionNumber, &decisionDate, &effectiveFrom, &r.RevisionOf, &r.SupersededBy, &revisions, &r.cancelReason,
		&r.pricingVersion, &openedAt, &openedDate, &updatedAt, &decidedAt, &r.Version, &r.Position.Commit, &r.Position.Prepare, &r.Team,
		&r.OpenedBy, &r.OpenedByName, &r.Monthly.VoucherCopay, &r.OneOff.VoucherCopay, &r.Yearly.VoucherCopay}, extra...)...)
	if err != nil {
		return nil, err
	}
	r.PricingDate, r.DecisionDate, r.EffectiveFrom = parseDate(pricingDate), parseDate(decisionDate), parseDate(effectiveFrom)
	r.OpenedAt, r.UpdatedAt = time.Unix(0, openedAt).UTC(), time.Unix(0, updatedAt).UTC()
	if decidedAt != 0 {
		t := time.Unix(0, decidedAt).UTC()
		r.DecidedAt = &t
	}
	if err := json.Unmarshal([]byte(revisions), &r.revisions); err != nil {
		return nil, fmt.Errorf("estimate %s revisions: %w", r.ID, err)
	}
	r.pricingDecide = r.DecisionNumber != ""
	return r, nil
}

func parseDate(s string) domain.Date {
	d, _ := domain.ParseDate(s)
	return d
}

// loadEstimateRows returns the stored rows of the given estimates, by id.
func (p *EstimateTotals) loadEstimateRows(ctx context.Context, tx *sql.Tx, ids []string) (map[string]*estimateRow, error) {
	rows := make(map[string]*estimateRow, len(ids)/8)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ids = slices.DeleteFunc(ids, func(id string) bool {
		r := p.rows[id]
		if r != nil {
			c := *r
			c.revisions = slices.Clone(r.revisions)
			rows[id] = &c
		}
		return r != nil
	})
	if len(ids) == 0 {
		return rows, nil
	}
	if len(ids) == 1 { // a live batch: one estimate, one prepared query
		r, err := scanRow(p.db.txQueryRow(ctx, tx, `SELECT `+estimateColumns+` FROM estimates WHERE id = ?`, ids[0]))
		if err == nil {
			rows[r.ID] = r
		} else if err != sql.ErrNoRows {
			return nil, fmt.Errorf("load estimate %s: %w", ids[0], err)
		}
		return rows, nil
	}
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := `SELECT ` + estimateColumns + ` FROM estimates WHERE id IN (?` + strings.Repeat(",?", len(chunk)-1) + `)`
		if err := scanEstimateRows(ctx, tx, q, args, rows); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func scanEstimateRows(ctx context.Context, tx *sql.Tx, q string, args []any, into map[string]*estimateRow) error {
	rs, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("load estimates: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		r, err := scanRow(rs)
		if err != nil {
			return fmt.Errorf("load estimates: %w", err)
		}
		into[r.ID] = r
	}
	return rs.Err()
}

// writeEstimateRows writes the rows folded in a batch, many rows per
// statement (a replay writes tens of thousands).
func (p *EstimateTotals) writeEstimateRows(ctx context.Context, tx *sql.Tx, rows []*estimateRow) error {
	args := make([]any, 0, min(len(rows), rowsPerInsert)*estimateColumnCount)
	for chunk := range slices.Chunk(rows, rowsPerInsert) {
		args = args[:0]
		for _, r := range chunk {
			var err error
			if args, err = r.appendValues(args, &p.prepared); err != nil {
				return fmt.Errorf("estimate %s: %w", r.ID, err)
			}
		}
		if err := p.db.execRows(ctx, tx, upsertEstimates(len(chunk)), args...); err != nil {
			return err
		}
	}
	return p.writePersonal(ctx, tx, rows)
}

// rowsPerInsert is how many rows one INSERT writes at most.
const rowsPerInsert = 32

var estimateColumnCount = strings.Count(estimateColumns, ",") + 1

// upsertEstimates returns the statement that writes n rows.
func upsertEstimates(n int) string {
	one := "(?" + strings.Repeat(",?", estimateColumnCount-1) + ")"
	return `INSERT OR REPLACE INTO estimates (` + estimateColumns + `) VALUES ` + one + strings.Repeat(","+one, n-1)
}

// appendValues appends the row's column values to args, in the order of
// estimateColumns.
func (r *estimateRow) appendValues(args []any, prepared *preparedCache[preparedEstimate]) ([]any, error) {
	if r.pricingFresh {
		if err := r.summarise(prepared); err != nil {
			return nil, err
		}
	}
	revisions := "[]"
	if len(r.revisions) > 0 {
		b, _ := json.Marshal(r.revisions)
		revisions = string(b)
	}
	// Numbers go as int64, which the driver takes as they are (another
	// integer type is converted by reflection, value by value).
	return append(args, r.ID, r.Status, int64(r.Maple), r.Segment, r.TariffID, int64(r.TariffVersion), r.IncomeCatalogueID,
		int64(r.IncomeVersion), r.PricingDate.String(), int64(r.LineCount),
		int64(r.Monthly.CountyGross), int64(r.Monthly.ClientFee), int64(r.Monthly.CountyNet),
		int64(r.OneOff.CountyGross), int64(r.OneOff.ClientFee), int64(r.OneOff.CountyNet),
		int64(r.Yearly.CountyGross), int64(r.Yearly.ClientFee), int64(r.Yearly.CountyNet),
		r.DecisionNumber, r.DecisionDate.String(), r.EffectiveFrom.String(), r.RevisionOf, r.SupersededBy, revisions, r.cancelReason,
		r.pricingVersion, r.OpenedAt.UnixNano(), domain.DateOf(r.OpenedAt).String(), r.UpdatedAt.UnixNano(), unixNanos(r.DecidedAt),
		r.Version, int64(r.Position.Commit), int64(r.Position.Prepare), r.Team, r.OpenedBy, r.OpenedByName,
		int64(r.Monthly.VoucherCopay), int64(r.OneOff.VoucherCopay), int64(r.Yearly.VoucherCopay)), nil
}
