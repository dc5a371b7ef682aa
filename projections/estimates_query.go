package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"carecost/domain"
)

// MaxLimit bounds the rows a list query returns.
const MaxLimit = 500

// Estimates returns the estimates selected by f, most recently changed first.
func (p *EstimateTotals) Estimates(ctx context.Context, f EstimateFilter) ([]EstimateSummary, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.Segment != "" {
		add("segment = ?", f.Segment)
	}
	if f.Maple != 0 {
		add("maple = ?", f.Maple)
	}
	if f.ClientRef != "" {
		add("pers.client_ref = ?", f.ClientRef)
	}
	if f.TariffID != "" {
		add("tariff_id = ?", f.TariffID)
	}
	if f.OpenedBy != "" {
		add("opened_by = ?", f.OpenedBy)
	}
	if f.Scoped {
		add("(team = ? OR team = '')", f.Team)
	}
	if !f.OpenedFrom.IsZero() {
		add("opened_date >= ?", f.OpenedFrom.String())
	}
	if !f.OpenedTo.IsZero() {
		add("opened_date <= ?", f.OpenedTo.String())
	}
	q := `SELECT ` + estimateColumns + personalColumns + ` FROM estimates` + personalJoin
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`
	args = append(args, limit(f.Limit), max(f.Offset, 0))
	rows, err := p.db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("projections: list estimates: %w", err)
	}
	defer rows.Close()
	out := []EstimateSummary{}
	for rows.Next() {
		r, _, err := scanWithPersonal(rows)
		if err != nil {
			return nil, fmt.Errorf("projections: list estimates: %w", err)
		}
		out = append(out, r.EstimateSummary)
	}
	return out, rows.Err()
}

func limit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, MaxLimit)
}

// Estimate returns one estimate with its household and latest quote.
func (p *EstimateTotals) Estimate(ctx context.Context, id string) (EstimateDetail, error) {
	r, household, err := scanWithPersonal(p.db.queryRow(ctx, `SELECT `+estimateColumns+personalColumns+` FROM estimates`+personalJoin+` WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return EstimateDetail{}, &domain.Error{Code: domain.ENotFound, Message: "there is no estimate " + id}
	}
	if err != nil {
		return EstimateDetail{}, fmt.Errorf("projections: estimate %s: %w", id, err)
	}
	quote, err := p.quoteOf(ctx, id, r.pricingVersion)
	if err != nil {
		return EstimateDetail{}, err
	}
	return EstimateDetail{EstimateSummary: r.EstimateSummary, Household: household, Quote: quote,
		Revisions: r.revisions, CancelReason: r.cancelReason}, nil
}

// quoteOf reads the quote of the estimate's pricing event at version v from
// the log.
func (p *EstimateTotals) quoteOf(ctx context.Context, id string, v int64) (json.RawMessage, error) {
	if v < 0 {
		return json.RawMessage(`null`), nil
	}
	evs, err := p.store.ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{From: uint64(v), Limit: 1})
	if err != nil {
		// The store's error as it is: away is a 503, not an internal error.
		return nil, fmt.Errorf("projections: estimate %s pricing at version %d: %w", id, v, err)
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("projections: estimate %s pricing at version %d is not in the log", id, v)
	}
	return quoteIn(evs[0])
}

// quoteIn returns the quote of a priced or decided event, decoded through
// the upcasters, so it reads the same whichever schema wrote it.
func quoteIn(e domain.RecordedEvent) (json.RawMessage, error) {
	p, err := domain.DecodePayload(e.Type, e.Data)
	if err != nil {
		return nil, err
	}
	var q domain.Quote
	switch p := p.(type) {
	case *domain.EstimatePriced:
		q = p.Quote
	case *domain.EstimateDecided:
		q = p.Quote
	default:
		return nil, fmt.Errorf("projections: %s at version %d of %s is not a pricing", e.Type, e.Version, e.Stream)
	}
	return json.Marshal(q)
}
