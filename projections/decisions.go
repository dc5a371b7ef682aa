package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"carecost/domain"
	"carecost/domain/jsonscan"
)

// DecisionAudit is the decision audit-trail projection: per decision, what it
// was computed with (pricing date, tariff and income-table versions, the
// catalogue position, the totals; the full quote with every entry and rule
// parameter stays in the decision event, read by address), who decided and
// when. Which later versions touched a decision is answered from the
// price-history tables at query time, so it is always current.
type DecisionAudit struct {
	db    *DB
	store domain.EventStore
}

// NewDecisionAudit returns the decisions projection over db.
func NewDecisionAudit(db *DB, store domain.EventStore) *DecisionAudit {
	return &DecisionAudit{db: db, store: store}
}

// Name implements Projection.
func (*DecisionAudit) Name() string { return "decisions" }

// Version implements Projection.
func (*DecisionAudit) Version() int { return 6 } // 2: revision links; 3: the client in decision_personal; 4: presented; 5: decision_services; 6: decision_checks and voucher co-payments

// Schema implements Projection. The client reference, the personal data, is
// in decision_personal only.
func (*DecisionAudit) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS decision_personal (estimate_id TEXT PRIMARY KEY, client_ref TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS decision_assessments (estimate_id TEXT PRIMARY KEY, maple INTEGER NOT NULL, segment TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS decisions (estimate_id TEXT PRIMARY KEY, decision_number TEXT NOT NULL,
			decision_date TEXT NOT NULL, effective_from TEXT NOT NULL, pricing_date TEXT NOT NULL,
			maple INTEGER NOT NULL, segment TEXT NOT NULL,
			tariff_id TEXT NOT NULL, tariff_version INTEGER NOT NULL, income_id TEXT NOT NULL, income_version INTEGER NOT NULL,
			cat_commit INTEGER NOT NULL, cat_prepare INTEGER NOT NULL,
			m_gross INTEGER NOT NULL, m_fee INTEGER NOT NULL, m_net INTEGER NOT NULL,
			o_gross INTEGER NOT NULL, o_fee INTEGER NOT NULL, o_net INTEGER NOT NULL,
			y_gross INTEGER NOT NULL, y_fee INTEGER NOT NULL, y_net INTEGER NOT NULL,
			actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, decided_at INTEGER NOT NULL,
			commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL, event_version INTEGER NOT NULL,
			presented INTEGER, not_presented_reason TEXT NOT NULL,
			m_copay INTEGER NOT NULL DEFAULT 0, o_copay INTEGER NOT NULL DEFAULT 0, y_copay INTEGER NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS decision_links (estimate_id TEXT PRIMARY KEY, revision_of TEXT NOT NULL DEFAULT '',
			superseded_by TEXT NOT NULL DEFAULT '')`,
		`CREATE TABLE IF NOT EXISTS decision_services (estimate_id TEXT NOT NULL, service TEXT NOT NULL, mode TEXT NOT NULL,
			PRIMARY KEY (estimate_id, service, mode))`,
		// decision_checks: what the decided event says beside the figures:
		// the versions in effect on the effective-from date when they are
		// not those of the pricing date (w_*), the totals presented to the
		// client (p_*) and whether the decided totals differ from them.
		`CREATE TABLE IF NOT EXISTS decision_checks (estimate_id TEXT PRIMARY KEY,
			w_effective_from TEXT, w_tariff_version INTEGER, w_income_version INTEGER,
			p_m_gross INTEGER, p_m_fee INTEGER, p_m_net INTEGER, p_o_gross INTEGER, p_o_fee INTEGER, p_o_net INTEGER,
			p_y_gross INTEGER, p_y_fee INTEGER, p_y_net INTEGER, totals_changed INTEGER NOT NULL,
			p_m_copay INTEGER, p_o_copay INTEGER, p_y_copay INTEGER)`,
		`CREATE INDEX IF NOT EXISTS decision_services_service ON decision_services(service, estimate_id)`,
		`CREATE INDEX IF NOT EXISTS decisions_actor ON decisions(actor_id)`,
		`CREATE INDEX IF NOT EXISTS decisions_date ON decisions(decision_date)`,
		`CREATE INDEX IF NOT EXISTS decisions_tariff ON decisions(tariff_id, pricing_date)`,
	}
}

// Reset implements Projection: the tables are dropped and made again (with
// decision_clients, which held the client beside the assessment before
// version 3).
func (d *DecisionAudit) Reset(ctx context.Context, tx *sql.Tx) error {
	return recreate(ctx, tx, []string{"decision_clients", "decision_personal", "decision_assessments", "decisions", "decision_links", "decision_services", "decision_checks"}, d.Schema())
}

// Apply implements Projection.
func (d *DecisionAudit) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	for _, r := range events {
		id, ok := strings.CutPrefix(r.Stream, "estimate-")
		if !ok {
			continue
		}
		var err error
		switch r.Type {
		case domain.EvEstimateOpened, domain.EvEstimateHouseholdChanged, domain.EvEstimateAssessmentChanged:
			err = d.client(ctx, tx, id, r)
		case domain.EvEstimateDecided:
			err = d.decided(ctx, tx, id, r)
		case domain.EvEstimateSuperseded:
			err = d.superseded(ctx, tx, id, r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// client keeps who the estimate is for (decision_personal) and its
// assessment, for the decision rows.
func (d *DecisionAudit) client(ctx context.Context, tx *sql.Tx, id string, r domain.RecordedEvent) error {
	p, err := domain.DecodePayload(r.Type, r.Data)
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case *domain.EstimateOpened:
		err = d.db.exec(ctx, tx, `INSERT OR REPLACE INTO decision_personal VALUES (?, ?)`, id, p.Personal.ClientRef)
		if err == nil {
			err = d.db.exec(ctx, tx, `INSERT OR REPLACE INTO decision_assessments VALUES (?, ?, ?)`, id, p.Maple, string(p.Segment))
		}
		if err == nil && p.RevisionOf != "" {
			err = d.db.exec(ctx, tx, `INSERT INTO decision_links (estimate_id, revision_of) VALUES (?, ?)
				ON CONFLICT(estimate_id) DO UPDATE SET revision_of = excluded.revision_of`, id, p.RevisionOf)
		}
	case *domain.EstimateHouseholdChanged:
		err = d.db.exec(ctx, tx, `UPDATE decision_personal SET client_ref = ? WHERE estimate_id = ?`, p.Personal.ClientRef, id)
	case *domain.EstimateAssessmentChanged:
		err = d.db.exec(ctx, tx, `UPDATE decision_assessments SET maple = ?, segment = ? WHERE estimate_id = ?`, p.Maple, string(p.Segment), id)
	}
	return err
}

// decisionInsertColumns are the columns of decisions the decided event's
// row fills at once; the columns added later are set by statements of
// their own (copays).
const decisionInsertColumns = `estimate_id, decision_number, decision_date, effective_from, pricing_date, maple, segment,
	tariff_id, tariff_version, income_id, income_version, cat_commit, cat_prepare,
	m_gross, m_fee, m_net, o_gross, o_fee, o_net, y_gross, y_fee, y_net,
	actor_id, actor_role, decided_at, commit_pos, prepare_pos, event_version, presented, not_presented_reason`

func (d *DecisionAudit) decided(ctx context.Context, tx *sql.Tx, id string, r domain.RecordedEvent) error {
	h, err := readPricing(r.Type, r.Data)
	if err != nil {
		return err
	}
	var meta domain.Meta
	if len(r.Metadata) > 0 {
		if err := json.Unmarshal(r.Metadata, &meta); err != nil {
			return err
		}
	}
	err = d.db.exec(ctx, tx, `INSERT OR REPLACE INTO decisions (`+decisionInsertColumns+`) SELECT ?, ?, ?, ?, ?, COALESCE(a.maple, 0), COALESCE(a.segment, ''),
		?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		FROM (SELECT ? AS id) LEFT JOIN decision_assessments a ON a.estimate_id = id`,
		id, h.Decision.Number, h.Decision.Date.String(), h.Decision.EffectiveFrom.String(), h.PricingDate.String(),
		h.TariffID, h.TariffVersion, h.IncomeID, h.IncomeVersion, h.CataloguePosition.Commit, h.CataloguePosition.Prepare,
		h.Monthly.CountyGross, h.Monthly.ClientFee, h.Monthly.CountyNet, h.OneOff.CountyGross, h.OneOff.ClientFee, h.OneOff.CountyNet,
		h.Yearly.CountyGross, h.Yearly.ClientFee, h.Yearly.CountyNet, meta.ActorID, meta.ActorRole, r.RecordedAt.UnixNano(),
		r.Position.Commit, r.Position.Prepare, r.Version, h.Decision.Presented, h.Decision.NotPresentedReason, id)
	if err != nil {
		return err
	}
	if err := d.copays(ctx, tx, id, h); err != nil {
		return err
	}
	if err := d.services(ctx, tx, id, r); err != nil {
		return err
	}
	if err := d.checks(ctx, tx, id, h); err != nil {
		return err
	}
	// A decided revision puts the decision it revises out of force at once,
	// whether or not that one's superseded event follows yet.
	return d.db.exec(ctx, tx, `INSERT INTO decision_links (estimate_id, superseded_by)
		SELECT revision_of, ? FROM decision_links WHERE estimate_id = ? AND revision_of != ''
		ON CONFLICT(estimate_id) DO UPDATE SET superseded_by = excluded.superseded_by`, id, id)
}

// copays keeps the decision's voucher co-payments (paid by the client to
// the providers, apart from the client fees).
func (d *DecisionAudit) copays(ctx context.Context, tx *sql.Tx, id string, h pricingHead) error {
	return d.db.exec(ctx, tx, `UPDATE decisions SET m_copay = ?, o_copay = ?, y_copay = ? WHERE estimate_id = ?`,
		h.Monthly.VoucherCopay, h.OneOff.VoucherCopay, h.Yearly.VoucherCopay, id)
}

// services keeps the services and modes of a decision's lines, for the
// service filter. An estimate is decided once, but a replay after a reset
// finds the rows gone, and a retry finds them the same.
func (d *DecisionAudit) services(ctx context.Context, tx *sql.Tx, id string, r domain.RecordedEvent) error {
	lines, err := readLineKeys(r.Type, r.Data)
	if err != nil {
		return err
	}
	if err := d.db.exec(ctx, tx, `DELETE FROM decision_services WHERE estimate_id = ?`, id); err != nil {
		return err
	}
	for _, l := range lines {
		if err := d.db.exec(ctx, tx, `INSERT OR IGNORE INTO decision_services VALUES (?, ?, ?)`, id, l.Service, l.Mode); err != nil {
			return err
		}
	}
	return nil
}

// checks keeps the version warning and the presented totals of a decision,
// when its event has either.
func (d *DecisionAudit) checks(ctx context.Context, tx *sql.Tx, id string, h pricingHead) error {
	if err := d.db.exec(ctx, tx, `DELETE FROM decision_checks WHERE estimate_id = ?`, id); err != nil {
		return err
	}
	w, p := h.VersionWarning, h.PresentedTotals
	if w == nil && p == nil {
		return nil
	}
	args := make([]any, 0, 17)
	args = append(args, id)
	if w != nil {
		args = append(args, w.EffectiveFrom.String(), w.TariffVersion, w.IncomeVersion)
	} else {
		args = append(args, nil, nil, nil)
	}
	changed := false
	if p != nil {
		decided := domain.QuoteTotals{Monthly: h.Monthly, OneOff: h.OneOff, Yearly: h.Yearly}
		changed = *p != decided
		for _, t := range []domain.Totals{p.Monthly, p.OneOff, p.Yearly} {
			args = append(args, t.CountyGross, t.ClientFee, t.CountyNet)
		}
	} else {
		args = append(args, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	}
	args = append(args, changed)
	if p != nil {
		args = append(args, p.Monthly.VoucherCopay, p.OneOff.VoucherCopay, p.Yearly.VoucherCopay)
	} else {
		args = append(args, nil, nil, nil)
	}
	return d.db.exec(ctx, tx, `INSERT INTO decision_checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
}

// superseded records that a decided revision replaced this decision, unless
// the revision's decided event did already (then it changes nothing).
func (d *DecisionAudit) superseded(ctx context.Context, tx *sql.Tx, id string, r domain.RecordedEvent) error {
	p, err := domain.DecodePayload(r.Type, r.Data)
	if err != nil {
		return err
	}
	s, ok := p.(*domain.EstimateSuperseded)
	if !ok {
		return nil
	}
	return d.db.exec(ctx, tx, `INSERT INTO decision_links (estimate_id, superseded_by) VALUES (?, ?)
		ON CONFLICT(estimate_id) DO UPDATE SET superseded_by = CASE WHEN superseded_by = '' THEN excluded.superseded_by ELSE superseded_by END`,
		id, s.RevisionID)
}

// Wants implements Filter: who an estimate is for, decisions and what
// replaced them.
func (*DecisionAudit) Wants(e domain.RecordedEvent) bool {
	switch e.Type {
	case domain.EvEstimateOpened, domain.EvEstimateHouseholdChanged, domain.EvEstimateAssessmentChanged, domain.EvEstimateDecided,
		domain.EvEstimateSuperseded:
		return true
	}
	return false
}

// lineKey is the service and mode of a priced line.
type lineKey struct {
	Service string `json:"service"`
	Mode    string `json:"mode"`
}

// readLineKeys reads the service and mode of every line of a decided
// payload's quote, without decoding the rest of the lines (or the personal
// part).
func readLineKeys(eventType string, payload []byte) ([]lineKey, error) {
	payload, err := domain.UpcastPayload(eventType, payload)
	if err != nil {
		return nil, err
	}
	var lines []lineKey
	scanErr := jsonscan.EachField(payload, func(k string, v []byte) bool {
		if k != "quote" {
			return true
		}
		if e := jsonscan.EachField(v, func(k string, v []byte) bool {
			if k == "lines" {
				err = json.Unmarshal(v, &lines)
				return false
			}
			return true
		}); e != nil && err == nil {
			err = e
		}
		return false
	})
	if scanErr != nil {
		return nil, scanErr
	}
	return lines, err
}
