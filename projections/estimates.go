package projections

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"carecost/domain"
)

// EstimateTotals is the estimate-totals projection: one row per estimate with
// its status, basis, latest totals, decision and the payload of its latest
// pricing. Within a batch it folds events in memory and writes each touched
// row once, and it reads the totals of a pricing without decoding its lines,
// so a full replay is fast.
type EstimateTotals struct {
	db      *DB
	store   domain.EventStore
	rows    map[string]*estimateRow // committed rows of recent estimates
	pending []*estimateRow          // rows of the batch being committed
}

// maxCachedRows bounds the rows EstimateTotals keeps in memory.
const maxCachedRows = 20000

// NewEstimateTotals returns the estimates projection over db. The detail of an
// estimate reads its latest pricing from the store, by stream and version.
func NewEstimateTotals(db *DB, store domain.EventStore) *EstimateTotals {
	return &EstimateTotals{db: db, store: store, rows: map[string]*estimateRow{}}
}

// Name implements Projection.
func (*EstimateTotals) Name() string { return "estimates" }

// Version implements Projection.
func (*EstimateTotals) Version() int { return 2 } // 2: the client and household in estimate_personal

// Schema implements Projection. The client reference and household, the
// personal data, are in estimate_personal only.
func (*EstimateTotals) Schema() []string {
	return []string{`CREATE TABLE IF NOT EXISTS estimates (
		id TEXT PRIMARY KEY, status TEXT NOT NULL, maple INTEGER NOT NULL, segment TEXT NOT NULL,
		tariff_id TEXT NOT NULL, tariff_version INTEGER NOT NULL, income_id TEXT NOT NULL, income_version INTEGER NOT NULL,
		pricing_date TEXT NOT NULL, line_count INTEGER NOT NULL,
		m_gross INTEGER NOT NULL, m_fee INTEGER NOT NULL, m_net INTEGER NOT NULL,
		o_gross INTEGER NOT NULL, o_fee INTEGER NOT NULL, o_net INTEGER NOT NULL,
		y_gross INTEGER NOT NULL, y_fee INTEGER NOT NULL, y_net INTEGER NOT NULL,
		decision_number TEXT NOT NULL, decision_date TEXT NOT NULL, effective_from TEXT NOT NULL,
		revision_of TEXT NOT NULL, superseded_by TEXT NOT NULL, revisions TEXT NOT NULL, cancel_reason TEXT NOT NULL,
		pricing_version INTEGER NOT NULL,
		opened_at INTEGER NOT NULL, opened_date TEXT NOT NULL, updated_at INTEGER NOT NULL, decided_at INTEGER NOT NULL,
		version INTEGER NOT NULL, commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS estimates_status ON estimates(status)`,
		`CREATE INDEX IF NOT EXISTS estimates_updated ON estimates(updated_at)`,
		estimatePersonalTable,
		`CREATE INDEX IF NOT EXISTS estimate_personal_client ON estimate_personal(client_ref)`,
	}
}

// Reset implements Projection: the tables are dropped and made again, so a
// new version's tables replace an old version's.
func (p *EstimateTotals) Reset(ctx context.Context, tx *sql.Tx) error {
	clear(p.rows)
	return recreate(ctx, tx, []string{"estimates", "estimate_personal"}, p.Schema())
}

// Committed implements Committer: the rows of a committed batch are kept.
func (p *EstimateTotals) Committed(ok bool) {
	if ok {
		if len(p.rows)+len(p.pending) > maxCachedRows {
			clear(p.rows)
		}
		for _, r := range p.pending {
			r.pricing, r.pricingFresh, r.dirty, r.personal = nil, false, false, nil
			p.rows[r.ID] = r
		}
	}
	p.pending = nil
}

// estimateRow is an estimate being folded. Its ClientRef stays empty: the
// personal data is written to estimate_personal, when it changed in the
// batch (personal), and not kept in memory afterwards.
type estimateRow struct {
	EstimateSummary
	personal       *domain.Personal // set in the batch that changed it
	revisions      []string
	cancelReason   string
	pricingVersion int64  // stream version of the latest priced or decided event (-1: none)
	pricing        []byte // its payload, when it is in the batch being applied
	pricingFresh   bool   // pricing changed in this batch
	pricingDecide  bool   // the latest pricing is a decision
	dirty          bool   // changed in this batch
}

// Apply implements Projection.
func (p *EstimateTotals) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	var ids []string
	for _, e := range events {
		if id, ok := strings.CutPrefix(e.Stream, "estimate-"); ok {
			ids = append(ids, id)
		}
	}
	rows, err := p.loadEstimateRows(ctx, tx, ids)
	if err != nil {
		return err
	}
	var order []*estimateRow
	for _, e := range events {
		id, ok := strings.CutPrefix(e.Stream, "estimate-")
		if !ok {
			continue
		}
		row := rows[id]
		if row == nil {
			row = &estimateRow{EstimateSummary: EstimateSummary{ID: id}, pricingVersion: -1}
			rows[id] = row
		}
		if !row.dirty {
			row.dirty = true
			order = append(order, row)
		}
		if err := row.apply(e); err != nil {
			return err
		}
	}
	p.pending = order
	return p.writeEstimateRows(ctx, tx, order)
}

func (r *estimateRow) apply(e domain.RecordedEvent) error {
	r.ID, r.Version, r.Position, r.UpdatedAt = strings.TrimPrefix(e.Stream, "estimate-"), int64(e.Version), e.Position, e.RecordedAt
	switch e.Type {
	case domain.EvEstimateOpened:
		d, err := domain.DecodePayload(e.Type, e.Data)
		if err != nil {
			return err
		}
		p, ok := d.(*domain.EstimateOpened)
		if !ok {
			return fmt.Errorf("projections: %s decoded as %T", e.Type, d)
		}
		r.Status, r.personal, r.Maple, r.Segment = string(domain.EstDraft), &p.Personal, p.Maple, string(p.Segment)
		r.setBasis(p.Basis)
		r.LineCount, r.RevisionOf, r.OpenedAt = len(p.Lines), p.RevisionOf, e.RecordedAt
	case domain.EvEstimateLineAdded, domain.EvEstimateLineRemoved:
		// Only counted, but a schema this build does not know stops here too.
		if _, err := domain.UpcastPayload(e.Type, e.Data); err != nil {
			return err
		}
		if e.Type == domain.EvEstimateLineAdded {
			r.LineCount++
		} else {
			r.LineCount--
		}
		r.Status = string(domain.EstDraft)
	case domain.EvEstimatePriced, domain.EvEstimateDecided:
		// Every pricing is upcast (at the current schema that reads one
		// field); summarise reads only the batch's last one.
		data, err := domain.UpcastPayload(e.Type, e.Data)
		if err != nil {
			return err
		}
		r.pricing, r.pricingFresh, r.pricingDecide = data, true, e.Type == domain.EvEstimateDecided
		r.pricingVersion = int64(e.Version)
		if r.pricingDecide {
			at := e.RecordedAt
			r.Status, r.DecidedAt = string(domain.EstDecided), &at
		}
	default:
		return r.applyOther(e)
	}
	return nil
}

func (r *estimateRow) setBasis(b domain.Basis) {
	r.TariffID, r.IncomeCatalogueID, r.PricingDate = b.TariffID, b.IncomeCatalogueID, b.PricingDate
}

// applyOther applies the small events that carry their own payload.
func (r *estimateRow) applyOther(e domain.RecordedEvent) error {
	p, err := domain.DecodePayload(e.Type, e.Data)
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case *domain.EstimateLineChanged:
		r.Status = string(domain.EstDraft)
	case *domain.EstimateHouseholdChanged:
		r.personal, r.Status = &p.Personal, string(domain.EstDraft)
	case *domain.EstimateAssessmentChanged:
		r.Maple, r.Segment, r.Status = p.Maple, string(p.Segment), string(domain.EstDraft)
	case *domain.EstimateBasisChanged:
		r.setBasis(p.Basis)
		r.Status = string(domain.EstDraft)
	case *domain.EstimatePresented:
		r.Status = string(domain.EstPresented)
	case *domain.EstimateRevised:
		r.revisions = append(r.revisions, p.RevisionID)
	case *domain.EstimateSuperseded:
		r.Status, r.SupersededBy = string(domain.EstSuperseded), p.RevisionID
	case *domain.EstimateCancelled:
		r.Status, r.cancelReason = string(domain.EstCancelled), p.Reason
	}
	return nil
}

// summarise reads the totals and versions of the latest pricing.
func (r *estimateRow) summarise() error {
	typ := domain.EvEstimatePriced
	if r.pricingDecide {
		typ = domain.EvEstimateDecided
	}
	h, err := readPricing(typ, r.pricing)
	if err != nil {
		return err
	}
	r.TariffVersion, r.IncomeVersion, r.Monthly, r.OneOff, r.Yearly = h.TariffVersion, h.IncomeVersion, h.Monthly, h.OneOff, h.Yearly
	if r.pricingDecide {
		r.DecisionNumber, r.DecisionDate, r.EffectiveFrom = h.Decision.Number, h.Decision.Date, h.Decision.EffectiveFrom
	}
	return nil
}

func unixNanos(t *time.Time) int64 {
	if t == nil || t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// Wants implements Filter: the events of estimate streams.
func (*EstimateTotals) Wants(e domain.RecordedEvent) bool {
	return strings.HasPrefix(e.Stream, "estimate-")
}
