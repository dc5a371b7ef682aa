package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

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
	// prepared holds, from Prepare, the decoded opened events and the
	// totals of each estimate's last pricing of a page.
	prepared preparedCache[preparedEstimate]
}

// preparedEstimate is what Prepare computed for one event: an opened
// event decoded, with who opened it and its household as written to
// estimate_personal, or the totals of a pricing.
type preparedEstimate struct {
	opened    *domain.EstimateOpened
	by        *domain.Meta
	household string
	head      *pricingHead
	err       error
}

// Prepare implements Preparer: it decodes the page's opened events and
// reads the totals of each estimate's last pricing in the page (the one a
// batch of that page summarises).
func (p *EstimateTotals) Prepare(pg *Page) {
	page := pg.Events
	out := newPrepared[preparedEstimate](page)
	last := map[string]int{}
	for i, e := range page {
		if !strings.HasPrefix(e.Stream, "estimate-") {
			continue
		}
		switch e.Type {
		case domain.EvEstimateOpened:
			d, err := pg.Payload(i)
			o, _ := d.(*domain.EstimateOpened)
			if err == nil && o == nil {
				continue
			}
			pr := preparedEstimate{opened: o, err: err}
			if o != nil {
				pr.by, _ = openedBy(e) // an error is met again by Apply
				if h, err := json.Marshal(o.Personal.Household); err == nil {
					pr.household = string(h)
				}
			}
			out.put(i, pr)
		case domain.EvEstimatePriced, domain.EvEstimateDecided:
			last[e.Stream] = i
		}
	}
	for _, i := range last {
		e := page[i]
		h, err := readPricingHead(e.Type, e.Data)
		out.put(i, preparedEstimate{head: &h, err: err})
	}
	p.prepared.add(out)
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
func (*EstimateTotals) Version() int { return 5 } // 2: the client and household in estimate_personal; 3: team; 4: opened by; 5: voucher co-payments

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
		version INTEGER NOT NULL, commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL, team TEXT NOT NULL,
		opened_by TEXT NOT NULL, opened_by_name TEXT NOT NULL,
		m_copay INTEGER NOT NULL DEFAULT 0, o_copay INTEGER NOT NULL DEFAULT 0, y_copay INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX IF NOT EXISTS estimates_status ON estimates(status)`,
		`CREATE INDEX IF NOT EXISTS estimates_team ON estimates(team, updated_at)`,
		`CREATE INDEX IF NOT EXISTS estimates_opened_by ON estimates(opened_by, updated_at)`,
		`CREATE INDEX IF NOT EXISTS estimates_updated ON estimates(updated_at)`,
		estimatePersonalTable,
		`CREATE INDEX IF NOT EXISTS estimate_personal_client ON estimate_personal(client_ref)`,
	}
}

// Reset implements Projection: the tables are dropped and made again, so a
// new version's tables replace an old version's.
func (p *EstimateTotals) Reset(ctx context.Context, tx *sql.Tx) error {
	clear(p.rows)
	p.prepared.clear()
	return recreate(ctx, tx, []string{"estimates", "estimate_personal"}, p.Schema())
}

// Committed implements Committer: the rows of a committed batch are kept.
func (p *EstimateTotals) Committed(ok bool) {
	if ok {
		if len(p.rows)+len(p.pending) > maxCachedRows {
			clear(p.rows)
		}
		for _, r := range p.pending {
			r.pricing, r.pricingFresh, r.dirty, r.personal, r.household = nil, false, false, nil, ""
			p.rows[r.ID] = r
		}
	}
	p.pending = nil
}

// Apply implements Projection.
func (p *EstimateTotals) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	// The rows to load: those of estimates whose stream began before the
	// batch. A stream whose first event (version 0) is in the batch has
	// no row yet (a replay begins most of its estimates in the batch that
	// reads them: no query for them).
	var ids []string
	fresh := map[string]bool{}
	for _, e := range events {
		if id, ok := strings.CutPrefix(e.Stream, "estimate-"); ok {
			if e.Version == 0 {
				fresh[id] = true
			} else if !fresh[id] {
				ids = append(ids, id)
			}
		}
	}
	rows, err := p.loadEstimateRows(ctx, tx, ids)
	if err != nil {
		return err
	}
	b := &batch{p: p, rows: rows}
	for _, e := range events {
		id, ok := strings.CutPrefix(e.Stream, "estimate-")
		if !ok {
			continue
		}
		row := rows[id]
		switch {
		case e.Type == domain.EvEstimateRevisionAbandoned || e.Type == domain.EvCommandNoop:
			// No estimate for a revision never opened; a command that
			// changed nothing moves only the stream's version.
			if row != nil {
				b.touch(row)
				row.Version, row.Position = int64(e.Version), e.Position
			}
			continue
		case row == nil:
			row = &estimateRow{EstimateSummary: EstimateSummary{ID: id}, pricingVersion: -1}
			rows[id] = row
		}
		b.touch(row)
		if err := row.apply(e, &p.prepared); err != nil {
			return err
		}
		if e.Type == domain.EvEstimateDecided && row.RevisionOf != "" {
			if err := b.supersede(ctx, tx, row.RevisionOf, row.ID); err != nil {
				return err
			}
		}
	}
	p.pending = b.order
	return p.writeEstimateRows(ctx, tx, b.order)
}

// batch is the rows a batch changes, in the order first changed.
type batch struct {
	p     *EstimateTotals
	rows  map[string]*estimateRow
	order []*estimateRow
}

func (b *batch) touch(r *estimateRow) {
	if !r.dirty {
		r.dirty = true
		b.order = append(b.order, r)
	}
}

// supersede marks estimate id superseded by its decided revision: the
// revision's decision is the fact, so the original is out of force at once,
// whether or not its own superseded event (a follow-up the domain writes
// after) is in the log yet.
func (b *batch) supersede(ctx context.Context, tx *sql.Tx, id, revision string) error {
	o := b.rows[id]
	if o == nil {
		loaded, err := b.p.loadEstimateRows(ctx, tx, []string{id})
		if err != nil {
			return err
		}
		if o = loaded[id]; o == nil {
			return nil
		}
		b.rows[id] = o
	}
	b.touch(o)
	o.Status, o.SupersededBy = string(domain.EstSuperseded), revision
	return nil
}

// Wants implements Filter: the events of estimate streams.
func (*EstimateTotals) Wants(e domain.RecordedEvent) bool {
	return strings.HasPrefix(e.Stream, "estimate-")
}
