package projections

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"carecost/domain"
)

// nowInEffect is SQL for the version of a kind in effect on a decision's
// pricing date as known now.
const nowInEffect = `(SELECT p.version FROM published_versions p WHERE p.kind = '%s' AND p.id = d.%s
	AND p.valid_from <= d.pricing_date ORDER BY p.valid_from DESC, p.commit_pos DESC, p.prepare_pos DESC LIMIT 1)`

var decisionColumns = `d.estimate_id, d.decision_number, d.decision_date, d.effective_from, d.pricing_date,
	COALESCE((SELECT dp.client_ref FROM decision_personal dp WHERE dp.estimate_id = d.estimate_id), '') AS client_ref, d.maple,
	d.segment, d.tariff_id, d.tariff_version, d.income_id, d.income_version, d.cat_commit, d.cat_prepare,
	d.m_gross, d.m_fee, d.m_net, d.o_gross, d.o_fee, d.o_net, d.y_gross, d.y_fee, d.y_net,
	d.actor_id, d.actor_role, d.decided_at, d.commit_pos, d.prepare_pos, d.event_version, d.presented, d.not_presented_reason,
	COALESCE((SELECT l.revision_of FROM decision_links l WHERE l.estimate_id = d.estimate_id), '') AS revision_of,
	COALESCE((SELECT l.superseded_by FROM decision_links l WHERE l.estimate_id = d.estimate_id), '') AS superseded_by, ` +
	fmt.Sprintf(nowInEffect, "tariff", "tariff_id") + ` AS tariff_now, ` +
	fmt.Sprintf(nowInEffect, "income_catalogue", "income_id") + ` AS income_now,
	c.w_effective_from, c.w_tariff_version, c.w_income_version, c.p_m_gross, c.p_m_fee, c.p_m_net,
	c.p_o_gross, c.p_o_fee, c.p_o_net, c.p_y_gross, c.p_y_fee, c.p_y_net, COALESCE(c.totals_changed, 0),
	d.m_copay, d.o_copay, d.y_copay, COALESCE(c.p_m_copay, 0), COALESCE(c.p_o_copay, 0), COALESCE(c.p_y_copay, 0)`

// decisionsFrom is the decisions with their checks.
const decisionsFrom = ` FROM decisions d LEFT JOIN decision_checks c ON c.estimate_id = d.estimate_id`

type decisionRow struct {
	DecisionRecord
	eventVersion         int64
	tariffNow, incomeNow sql.NullInt64
}

func scanDecision(s scanner) (decisionRow, error) {
	var r decisionRow
	var dd, ef, pd string
	var at int64
	var wFrom sql.NullString
	var wTariff, wIncome sql.NullInt64
	var p [9]sql.NullInt64
	var pc [3]domain.Money
	err := s.Scan(&r.EstimateID, &r.DecisionNumber, &dd, &ef, &pd, &r.ClientRef, &r.Maple, &r.Segment, &r.TariffID, &r.TariffVersion,
		&r.IncomeCatalogueID, &r.IncomeVersion, &r.CataloguePosition.Commit, &r.CataloguePosition.Prepare,
		&r.Monthly.CountyGross, &r.Monthly.ClientFee, &r.Monthly.CountyNet, &r.OneOff.CountyGross, &r.OneOff.ClientFee, &r.OneOff.CountyNet,
		&r.Yearly.CountyGross, &r.Yearly.ClientFee, &r.Yearly.CountyNet, &r.ActorID, &r.ActorRole, &at,
		&r.Position.Commit, &r.Position.Prepare, &r.eventVersion, &r.Presented, &r.NotPresentedReason, &r.RevisionOf, &r.SupersededBy, &r.tariffNow, &r.incomeNow,
		&wFrom, &wTariff, &wIncome, &p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6], &p[7], &p[8], &r.TotalsChanged,
		&r.Monthly.VoucherCopay, &r.OneOff.VoucherCopay, &r.Yearly.VoucherCopay, &pc[0], &pc[1], &pc[2])
	if wTariff.Valid {
		r.VersionWarning = &domain.VersionWarning{EffectiveFrom: parseDate(wFrom.String), TariffVersion: int(wTariff.Int64), IncomeVersion: int(wIncome.Int64)}
	}
	if p[0].Valid {
		m := func(i int) domain.Money { return domain.Money(p[i].Int64) }
		r.PresentedTotals = &domain.QuoteTotals{Monthly: domain.Totals{CountyGross: m(0), ClientFee: m(1), CountyNet: m(2)},
			OneOff: domain.Totals{CountyGross: m(3), ClientFee: m(4), CountyNet: m(5)}, Yearly: domain.Totals{CountyGross: m(6), ClientFee: m(7), CountyNet: m(8)}}
		r.PresentedTotals.Monthly.VoucherCopay, r.PresentedTotals.OneOff.VoucherCopay, r.PresentedTotals.Yearly.VoucherCopay = pc[0], pc[1], pc[2]
	}
	r.InForce = r.SupersededBy == ""
	r.DecisionDate, r.EffectiveFrom, r.PricingDate, r.DecidedAt = parseDate(dd), parseDate(ef), parseDate(pd), time.Unix(0, at).UTC()
	return r, err
}

// touched reports whether a later version now applies in place of one the
// decision used.
func (r decisionRow) touched() bool {
	return (r.tariffNow.Valid && int(r.tariffNow.Int64) != r.TariffVersion) ||
		(r.IncomeCatalogueID != "" && r.incomeNow.Valid && int(r.incomeNow.Int64) != r.IncomeVersion)
}

// decisionsQuery is the query of Decisions and its arguments.
func decisionsQuery(f DecisionFilter) (string, []any) {
	var where []string
	var args []any
	if f.TariffID != "" {
		where, args = append(where, "d.tariff_id = ?"), append(args, f.TariffID)
	}
	if f.TariffVersion != 0 {
		where, args = append(where, "d.tariff_version = ?"), append(args, f.TariffVersion)
	}
	if f.Service != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM decision_services s WHERE s.estimate_id = d.estimate_id AND s.service = ?)"), append(args, f.Service)
	}
	if f.DecidedBy != "" {
		where, args = append(where, "d.actor_id = ?"), append(args, f.DecidedBy)
	}
	if f.Segment != "" {
		where, args = append(where, "d.segment = ?"), append(args, f.Segment)
	}
	if !f.DecidedFrom.IsZero() {
		where, args = append(where, "d.decision_date >= ?"), append(args, f.DecidedFrom.String())
	}
	if !f.DecidedTo.IsZero() {
		where, args = append(where, "d.decision_date <= ?"), append(args, f.DecidedTo.String())
	}
	if f.IncomeCatalogueID != "" {
		where, args = append(where, "d.income_id = ?"), append(args, f.IncomeCatalogueID)
	}
	if !f.PricedFrom.IsZero() {
		where, args = append(where, "d.pricing_date >= ?"), append(args, f.PricedFrom.String())
	}
	if !f.PricedTo.IsZero() {
		where, args = append(where, "d.pricing_date <= ?"), append(args, f.PricedTo.String())
	}
	if f.VersionWarning != nil {
		where = append(where, map[bool]string{true: "c.w_tariff_version IS NOT NULL", false: "c.w_tariff_version IS NULL"}[*f.VersionWarning])
	}
	if f.TotalsChanged != nil {
		where = append(where, map[bool]string{true: "c.totals_changed = 1", false: "COALESCE(c.totals_changed, 0) = 0"}[*f.TotalsChanged])
	}
	q := `SELECT * FROM (SELECT ` + decisionColumns + decisionsFrom
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += `)`
	const touched = `((tariff_now IS NOT NULL AND tariff_now != tariff_version) OR (income_id != '' AND income_now IS NOT NULL AND income_now != income_version))`
	switch {
	case f.Touched == nil:
	case *f.Touched:
		q += ` WHERE ` + touched
	default:
		q += ` WHERE NOT ` + touched
	}
	if f.InForce != nil {
		if f.Touched == nil {
			q += ` WHERE `
		} else {
			q += ` AND `
		}
		if *f.InForce {
			q += `superseded_by = ''`
		} else {
			q += `superseded_by != ''`
		}
	}
	q += ` ORDER BY decision_date DESC, estimate_id LIMIT ? OFFSET ?`
	return q, append(args, limit(f.Limit), max(f.Offset, 0))
}

// Decisions returns the decisions selected by f, latest decision date first.
func (d *DecisionAudit) Decisions(ctx context.Context, f DecisionFilter) ([]DecisionRecord, error) {
	q, args := decisionsQuery(f)
	rows, err := d.db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("projections: decisions: %w", err)
	}
	var found []decisionRow
	for rows.Next() {
		r, err := scanDecision(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("projections: decisions: %w", err)
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]DecisionRecord, len(found))
	for i, r := range found {
		if out[i], err = d.withTouches(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Decision returns the decision on one estimate, with the full quote it was
// computed with.
func (d *DecisionAudit) Decision(ctx context.Context, estimateID string) (DecisionRecord, error) {
	r, err := scanDecision(d.db.r.QueryRowContext(ctx, `SELECT `+decisionColumns+decisionsFrom+` WHERE d.estimate_id = ?`, estimateID))
	if err == sql.ErrNoRows {
		return DecisionRecord{}, &domain.Error{Code: domain.ENotFound, Message: "there is no decision on estimate " + estimateID}
	}
	if err != nil {
		return DecisionRecord{}, fmt.Errorf("projections: decision %s: %w", estimateID, err)
	}
	rec, err := d.withTouches(ctx, r)
	if err != nil {
		return rec, err
	}
	evs, err := d.store.ReadStream(ctx, domain.EstimateStream(estimateID), domain.ReadStreamOptions{From: uint64(r.eventVersion), Limit: 1})
	if err != nil {
		return rec, fmt.Errorf("projections: decision %s event: %w", estimateID, err)
	}
	if len(evs) == 0 {
		return rec, fmt.Errorf("projections: decision %s event at version %d is not in the log", estimateID, r.eventVersion)
	}
	rec.Quote, err = quoteIn(evs[0])
	return rec, err
}

// withTouches fills TouchedBy with every version published after the
// catalogue the decision was priced with that took effect on its pricing
// date in place of the one before it: the corrections and inserted versions
// in the order they were published, so a chain of corrections shows each
// link. (A version now in effect other than the one used implies at least
// one.)
func (d *DecisionAudit) withTouches(ctx context.Context, r decisionRow) (DecisionRecord, error) {
	rec := r.DecisionRecord
	rec.TouchedBy = []Touch{}
	if !r.touched() {
		return rec, nil
	}
	for _, k := range []struct{ kind, id string }{{"tariff", r.TariffID}, {"income_catalogue", r.IncomeCatalogueID}} {
		if k.id == "" {
			continue
		}
		rows, err := d.db.r.QueryContext(ctx, touchesQuery, k.kind, k.id, r.PricingDate.String(),
			r.CataloguePosition.Commit, r.CataloguePosition.Commit, r.CataloguePosition.Prepare, r.PricingDate.String())
		if err != nil {
			return rec, fmt.Errorf("projections: touches of %s: %w", r.EstimateID, err)
		}
		for rows.Next() {
			p, err := scanPublished(rows)
			if err != nil {
				rows.Close()
				return rec, fmt.Errorf("projections: touches of %s: %w", r.EstimateID, err)
			}
			rec.TouchedBy = append(rec.TouchedBy, Touch{Kind: k.kind, ID: k.id, Version: p.version, Corrects: p.corrects, ValidFrom: p.validFrom, PublishedAt: p.recordedAt, Position: p.pos})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// touchesQuery selects the versions of one tariff or income-limit catalogue
// published after a position (commit, prepare) that were, once published,
// the version in effect on a date: valid from it or before, and no version
// published earlier valid from a later day up to that date.
var touchesQuery = `SELECT ` + publishedColumns + ` FROM published_versions p
	WHERE p.kind = ? AND p.id = ? AND p.valid_from <= ?
	AND (p.commit_pos > ? OR (p.commit_pos = ? AND p.prepare_pos > ?))
	AND NOT EXISTS (SELECT 1 FROM published_versions q WHERE q.kind = p.kind AND q.id = p.id
		AND q.valid_from > p.valid_from AND q.valid_from <= ?
		AND (q.commit_pos < p.commit_pos OR (q.commit_pos = p.commit_pos AND q.prepare_pos < p.prepare_pos)))
	ORDER BY p.commit_pos, p.prepare_pos`
