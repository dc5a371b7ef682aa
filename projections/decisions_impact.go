package projections

import (
	"context"
	"fmt"

	"carecost/domain"
)

// InForce lists the estimates whose decision was in force as known at asOf
// (a position or a time; zero: now) and was priced with tariff or income-limit catalogue id on a
// pricing date on or after from: decided at or before asOf, and not yet
// replaced by a decided revision then. It answers domain.DecisionLister.
func (d *DecisionAudit) InForce(ctx context.Context, kind domain.VersionKind, id string, from domain.Date, asOf domain.KnownAt) ([]string, error) {
	col := "tariff_id"
	if kind == domain.KindIncome {
		col = "income_id"
	}
	q := `SELECT d.estimate_id FROM decisions d WHERE d.` + col + ` = ? AND d.pricing_date >= ?`
	args := []any{id, from.String()}
	switch {
	case asOf.IsZero():
		q += ` AND COALESCE((SELECT l.superseded_by FROM decision_links l WHERE l.estimate_id = d.estimate_id), '') = ''`
	case !asOf.Time.IsZero():
		t := asOf.Time.UnixNano()
		q += ` AND d.decided_at <= ? AND NOT EXISTS (SELECT 1 FROM decision_links l JOIN decisions r ON r.estimate_id = l.superseded_by
			WHERE l.estimate_id = d.estimate_id AND r.decided_at <= ?)`
		args = append(args, t, t)
	default:
		p := asOf.Position
		// In force then: decided by asOf, and no revision replacing it
		// decided by asOf.
		q += ` AND (d.commit_pos < ? OR (d.commit_pos = ? AND d.prepare_pos <= ?))
			AND NOT EXISTS (SELECT 1 FROM decision_links l JOIN decisions r ON r.estimate_id = l.superseded_by
				WHERE l.estimate_id = d.estimate_id AND (r.commit_pos < ? OR (r.commit_pos = ? AND r.prepare_pos <= ?)))`
		args = append(args, p.Commit, p.Commit, p.Prepare, p.Commit, p.Commit, p.Prepare)
	}
	q += ` ORDER BY d.decision_date DESC, d.estimate_id`
	rows, err := d.db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("projections: decisions in force: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("projections: decisions in force: %w", err)
		}
		ids = append(ids, s)
	}
	return ids, rows.Err()
}

// NumberHolders lists the estimates whose decision has the decision number
// number, trimmed and compared without regard to case (ASCII letters; the
// domain compares the candidates again in full).
func (d *DecisionAudit) NumberHolders(ctx context.Context, number string) ([]string, error) {
	rows, err := d.db.r.QueryContext(ctx, `SELECT estimate_id FROM decisions WHERE trim(decision_number) = trim(?) COLLATE NOCASE`, number)
	if err != nil {
		return nil, fmt.Errorf("projections: decision number holders: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("projections: decision number holders: %w", err)
		}
		ids = append(ids, s)
	}
	return ids, rows.Err()
}
