package projections

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
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
	// prepared holds, from Prepare, the decoded events of a page.
	prepared preparedCache[preparedDecision]
}

// preparedDecision is what Prepare computed for one event: a decoded
// client event, or what a decided event's rows need.
type preparedDecision struct {
	client  domain.Payload
	decided *decidedParts
	err     error
}

// decidedParts are what the rows of a decision take from its event: its
// decisions row but for the assessment (decisionRowColumns values, the
// assessment's two at assessAt), its services (the distinct service and
// mode of its lines) and its decision_checks row (none when it has no
// checks). They are read on catch-up's readers (Prepare): the goroutine
// that writes the rows only adds the assessment. Numbers are int64, as the
// driver takes them without converting them.
type decidedParts struct {
	row      []any
	services []lineKey
	checks   []any
}

// assessAt is the index of maple in a decisions row (segment follows).
const assessAt = 5

// Prepare implements Preparer.
func (d *DecisionAudit) Prepare(pg *Page) {
	out := newPrepared[preparedDecision](pg.Events)
	for i, e := range pg.Events {
		if !strings.HasPrefix(e.Stream, "estimate-") {
			continue
		}
		switch e.Type {
		case domain.EvEstimateOpened, domain.EvEstimateHouseholdChanged, domain.EvEstimateAssessmentChanged:
			p, err := pg.Payload(i)
			out.put(i, preparedDecision{client: p, err: err})
		case domain.EvEstimateDecided:
			parts, err := readDecided(e)
			out.put(i, preparedDecision{decided: parts, err: err})
		}
	}
	d.prepared.add(out)
}

// readDecided reads what the rows of a decision take from its event.
func readDecided(r domain.RecordedEvent) (*decidedParts, error) {
	h, lines, err := readPricingLines(r.Type, r.Data)
	if err != nil {
		return nil, err
	}
	meta, err := domain.DecodeMeta(r.Metadata)
	if err != nil {
		return nil, err
	}
	id := strings.TrimPrefix(r.Stream, "estimate-")
	parts := &decidedParts{row: []any{
		id, h.Decision.Number, h.Decision.Date.String(), h.Decision.EffectiveFrom.String(), h.PricingDate.String(), nil, nil,
		h.TariffID, int64(h.TariffVersion), h.IncomeID, int64(h.IncomeVersion), int64(h.CataloguePosition.Commit), int64(h.CataloguePosition.Prepare),
		int64(h.Monthly.CountyGross), int64(h.Monthly.ClientFee), int64(h.Monthly.CountyNet),
		int64(h.OneOff.CountyGross), int64(h.OneOff.ClientFee), int64(h.OneOff.CountyNet),
		int64(h.Yearly.CountyGross), int64(h.Yearly.ClientFee), int64(h.Yearly.CountyNet), meta.ActorID, meta.ActorRole, r.RecordedAt.UnixNano(),
		int64(r.Position.Commit), int64(r.Position.Prepare), int64(r.Version), h.Decision.Presented, h.Decision.NotPresentedReason,
		int64(h.Monthly.VoucherCopay), int64(h.OneOff.VoucherCopay), int64(h.Yearly.VoucherCopay)}}
	for _, l := range lines {
		if !slices.Contains(parts.services, l) {
			parts.services = append(parts.services, l)
		}
	}
	parts.checks = appendChecks(nil, id, h)
	return parts, nil
}

// NewDecisionAudit returns the decisions projection over db.
func NewDecisionAudit(db *DB, store domain.EventStore) *DecisionAudit {
	return &DecisionAudit{db: db, store: store}
}

// Name implements Projection.
func (*DecisionAudit) Name() string { return "decisions" }

// Version implements Projection.
func (*DecisionAudit) Version() int { return 7 } // 2: revision links; 3: the client in decision_personal; 4: presented; 5: decision_services; 6: decision_checks and voucher co-payments; 7: the key-only tables WITHOUT ROWID

// Schema implements Projection. The client reference, the personal data, is
// in decision_personal only.
func (*DecisionAudit) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS decision_personal (estimate_id TEXT PRIMARY KEY, client_ref TEXT NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS decision_assessments (estimate_id TEXT PRIMARY KEY, maple INTEGER NOT NULL, segment TEXT NOT NULL) WITHOUT ROWID`,
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
		// The small tables keyed by the estimate are WITHOUT ROWID: one
		// B-tree each instead of a table and its key's index, which a
		// replay writes a row to for every decision.
		// decision_services is keyed by the service first: the key serves
		// both the service filter (the decisions of a service) and the
		// question whether a decision has a service, with no index beside.
		`CREATE TABLE IF NOT EXISTS decision_services (estimate_id TEXT NOT NULL, service TEXT NOT NULL, mode TEXT NOT NULL,
			PRIMARY KEY (service, estimate_id, mode)) WITHOUT ROWID`,
		// decision_checks: what the decided event says beside the figures:
		// the versions in effect on the effective-from date when they are
		// not those of the pricing date (w_*), the totals presented to the
		// client (p_*) and whether the decided totals differ from them.
		`CREATE TABLE IF NOT EXISTS decision_checks (estimate_id TEXT PRIMARY KEY,
			w_effective_from TEXT, w_tariff_version INTEGER, w_income_version INTEGER,
			p_m_gross INTEGER, p_m_fee INTEGER, p_m_net INTEGER, p_o_gross INTEGER, p_o_fee INTEGER, p_o_net INTEGER,
			p_y_gross INTEGER, p_y_fee INTEGER, p_y_net INTEGER, totals_changed INTEGER NOT NULL,
			p_m_copay INTEGER, p_o_copay INTEGER, p_y_copay INTEGER)`,
		`CREATE INDEX IF NOT EXISTS decisions_actor ON decisions(actor_id)`,
		// The lists' order (newest decision date first, then the estimate
		// id), so a page reads its rows off the index however many
		// decisions share a date (a migration's day, a batch of decisions)
		// instead of sorting every one of that date.
		`DROP INDEX IF EXISTS decisions_date`,
		`CREATE INDEX IF NOT EXISTS decisions_date_id ON decisions(decision_date DESC, estimate_id)`,
		`CREATE INDEX IF NOT EXISTS decisions_tariff ON decisions(tariff_id, pricing_date)`,
	}
}

// Reset implements Projection: the tables are dropped and made again (with
// decision_clients, which held the client beside the assessment before
// version 3).
func (d *DecisionAudit) Reset(ctx context.Context, tx *sql.Tx) error {
	d.prepared.clear()
	return recreate(ctx, tx, []string{"decision_clients", "decision_personal", "decision_assessments", "decisions", "decision_links", "decision_services", "decision_checks"}, d.Schema())
}

// Apply implements Projection. A batch's rows are gathered in memory, in
// log order, and written at its end with a few statements of many rows each
// (decisionBatch): a replay writes tens of thousands of decisions. The
// links between a revision and the decision it replaces are written at
// once (revisions are few).
func (d *DecisionAudit) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	b := &decisionBatch{d: d, assess: map[string]assessment{}, assessed: map[string]bool{}, personal: map[string]string{}}
	if err := b.prefetch(ctx, tx, events); err != nil {
		return err
	}
	for _, r := range events {
		id, ok := strings.CutPrefix(r.Stream, "estimate-")
		if !ok {
			continue
		}
		var err error
		switch r.Type {
		case domain.EvEstimateOpened, domain.EvEstimateHouseholdChanged, domain.EvEstimateAssessmentChanged:
			err = b.client(ctx, tx, id, r)
		case domain.EvEstimateDecided:
			err = b.decided(id, r)
		case domain.EvEstimateSuperseded:
			err = d.superseded(ctx, tx, id, r)
		}
		if err != nil {
			return err
		}
	}
	return b.write(ctx, tx)
}

// assessment is an estimate's MAPLe level and service-need segment.
type assessment struct {
	maple   int
	segment string
}

// decisionBatch is what a batch of events writes to the decisions tables.
type decisionBatch struct {
	d *DecisionAudit
	// assess is each estimate's assessment as the batch stands at the
	// event being applied: read from decision_assessments before the
	// batch for the estimates it decides, then changed in log order.
	assess      map[string]assessment
	assessOrder []string // estimates whose assessment the batch changed
	personal    map[string]string
	personOrder []string // estimates whose client the batch changed
	decidedIDs  []string // estimates the batch decides
	assessed    map[string]bool
	decisions   []any // decisionRowColumns values, a row per decided
	services    []any // decision_services rows
	checks      []any // decision_checks rows
}

// prefetch reads the stored assessments of the estimates the batch
// decides, but for those it opens before it decides them (the opened
// event sets the assessment the decision takes).
func (b *decisionBatch) prefetch(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	var ids []any
	opened := map[string]bool{}
	for _, r := range events {
		id, ok := strings.CutPrefix(r.Stream, "estimate-")
		switch {
		case !ok:
		case r.Type == domain.EvEstimateOpened:
			opened[id] = true
		case r.Type == domain.EvEstimateDecided && !opened[id]:
			ids = append(ids, id)
		}
	}
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := tx.QueryContext(ctx, `SELECT estimate_id, maple, segment FROM decision_assessments WHERE estimate_id IN (?`+
			strings.Repeat(",?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var a assessment
			if err := rows.Scan(&id, &a.maple, &a.segment); err != nil {
				rows.Close()
				return err
			}
			b.assess[id] = a
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// client keeps who the estimate is for (decision_personal) and its
// assessment, for the decision rows.
func (b *decisionBatch) client(ctx context.Context, tx *sql.Tx, id string, r domain.RecordedEvent) error {
	var p domain.Payload
	var err error
	if pr, ok := b.d.prepared.take(r.Position); ok && (pr.client != nil || pr.err != nil) {
		p, err = pr.client, pr.err
	} else {
		p, err = domain.DecodePayload(r.Type, r.Data)
	}
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case *domain.EstimateOpened:
		b.setClient(id, p.Personal.ClientRef)
		b.setAssessment(id, assessment{p.Maple, string(p.Segment)})
		if p.RevisionOf != "" {
			err = b.d.db.exec(ctx, tx, `INSERT INTO decision_links (estimate_id, revision_of) VALUES (?, ?)
				ON CONFLICT(estimate_id) DO UPDATE SET revision_of = excluded.revision_of`, id, p.RevisionOf)
		}
	case *domain.EstimateHouseholdChanged:
		b.setClient(id, p.Personal.ClientRef)
	case *domain.EstimateAssessmentChanged:
		b.setAssessment(id, assessment{p.Maple, string(p.Segment)})
	}
	return err
}

func (b *decisionBatch) setClient(id, ref string) {
	if _, ok := b.personal[id]; !ok {
		b.personOrder = append(b.personOrder, id)
	}
	b.personal[id] = ref
}

func (b *decisionBatch) setAssessment(id string, a assessment) {
	if !b.assessed[id] {
		b.assessed[id] = true
		b.assessOrder = append(b.assessOrder, id)
	}
	b.assess[id] = a
}

// decisionRowColumns are the columns of a decisions row.
const decisionRowColumns = `estimate_id, decision_number, decision_date, effective_from, pricing_date, maple, segment,
	tariff_id, tariff_version, income_id, income_version, cat_commit, cat_prepare,
	m_gross, m_fee, m_net, o_gross, o_fee, o_net, y_gross, y_fee, y_net,
	actor_id, actor_role, decided_at, commit_pos, prepare_pos, event_version, presented, not_presented_reason,
	m_copay, o_copay, y_copay`

var decisionColumnCount = strings.Count(decisionRowColumns, ",") + 1

// decided gathers the rows of a decision: the decision with the
// estimate's assessment as it stands, its services, its checks.
func (b *decisionBatch) decided(id string, r domain.RecordedEvent) error {
	var parts *decidedParts
	var err error
	if pr, ok := b.d.prepared.take(r.Position); ok && (pr.decided != nil || pr.err != nil) {
		parts, err = pr.decided, pr.err
	} else {
		parts, err = readDecided(r)
	}
	if err != nil {
		return err
	}
	a := b.assess[id]
	b.decidedIDs = append(b.decidedIDs, id)
	start := len(b.decisions)
	b.decisions = append(b.decisions, parts.row...)
	b.decisions[start+assessAt], b.decisions[start+assessAt+1] = int64(a.maple), a.segment
	for _, l := range parts.services {
		b.services = append(b.services, id, l.Service, l.Mode)
	}
	b.checks = append(b.checks, parts.checks...)
	return nil
}

// write writes the batch's rows: clients and assessments, decisions, the
// links of decided revisions, the decisions' services and checks.
func (b *decisionBatch) write(ctx context.Context, tx *sql.Tx) error {
	db := b.d.db
	personal := make([]any, 0, 2*len(b.personOrder))
	for _, id := range b.personOrder {
		personal = append(personal, id, b.personal[id])
	}
	assess := make([]any, 0, 3*len(b.assessOrder))
	for _, id := range b.assessOrder {
		a := b.assess[id]
		assess = append(assess, id, int64(a.maple), a.segment)
	}
	ids := make([]any, len(b.decidedIDs))
	for i, id := range b.decidedIDs {
		ids[i] = id
	}
	for _, w := range []struct {
		into, columns string
		n             int
		rows          []any
	}{
		{"INSERT OR REPLACE INTO decision_personal", "estimate_id, client_ref", 2, personal},
		{"INSERT OR REPLACE INTO decision_assessments", "estimate_id, maple, segment", 3, assess},
		{"INSERT OR REPLACE INTO decisions", decisionRowColumns, decisionColumnCount, b.decisions},
	} {
		if err := insertRows(ctx, db, tx, w.into, w.columns, w.n, w.rows); err != nil {
			return err
		}
	}
	// A decided revision puts the decision it revises out of force at
	// once, whether or not that one's superseded event follows yet.
	for chunk := range slices.Chunk(ids, 500) {
		if err := db.exec(ctx, tx, `INSERT INTO decision_links (estimate_id, superseded_by)
			SELECT revision_of, estimate_id FROM decision_links WHERE estimate_id IN (?`+strings.Repeat(",?", len(chunk)-1)+`) AND revision_of != ''
			ON CONFLICT(estimate_id) DO UPDATE SET superseded_by = excluded.superseded_by`, chunk...); err != nil {
			return err
		}
	}
	// A decided event is applied once (an estimate is decided once, and a
	// batch that fails is rolled back whole); writing its rows again would
	// write the same ones, which OR IGNORE and OR REPLACE keep single.
	if err := insertRows(ctx, db, tx, "INSERT OR IGNORE INTO decision_services", "estimate_id, service, mode", 3, b.services); err != nil {
		return err
	}
	return insertRows(ctx, db, tx, "INSERT OR REPLACE INTO decision_checks", "", checkColumnCount, b.checks)
}

// insertRows writes rows (n values a row) with statements of up to 32
// rows.
func insertRows(ctx context.Context, db *DB, tx *sql.Tx, into, columns string, n int, rows []any) error {
	if columns != "" {
		columns = " (" + columns + ")"
	}
	one := "(?" + strings.Repeat(",?", n-1) + ")"
	for chunk := range slices.Chunk(rows, 32*n) {
		k := len(chunk) / n
		if err := db.execRows(ctx, tx, into+columns+" VALUES "+one+strings.Repeat(","+one, k-1), chunk...); err != nil {
			return err
		}
	}
	return nil
}

// checkColumnCount is the number of columns of decision_checks.
const checkColumnCount = 17

// appendChecks appends the decision_checks row of a decision (the version
// warning and the presented totals), when its event has either.
func appendChecks(rows []any, id string, h pricingHead) []any {
	w, p := h.VersionWarning, h.PresentedTotals
	if w == nil && p == nil {
		return rows
	}
	rows = append(rows, id)
	if w != nil {
		rows = append(rows, w.EffectiveFrom.String(), int64(w.TariffVersion), int64(w.IncomeVersion))
	} else {
		rows = append(rows, nil, nil, nil)
	}
	changed := false
	if p != nil {
		decided := domain.QuoteTotals{Monthly: h.Monthly, OneOff: h.OneOff, Yearly: h.Yearly}
		changed = *p != decided
		for _, t := range []domain.Totals{p.Monthly, p.OneOff, p.Yearly} {
			rows = append(rows, int64(t.CountyGross), int64(t.ClientFee), int64(t.CountyNet))
		}
	} else {
		rows = append(rows, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	}
	rows = append(rows, changed)
	if p != nil {
		rows = append(rows, int64(p.Monthly.VoucherCopay), int64(p.OneOff.VoucherCopay), int64(p.Yearly.VoucherCopay))
	} else {
		rows = append(rows, nil, nil, nil)
	}
	return rows
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

// appendLineKeys appends the key (service and mode) of each line of the
// JSON array at the start of rest (which may go on after it) to lines.
func appendLineKeys(rest []byte, lines *[]lineKey) error {
	if bytes.HasPrefix(rest, []byte("null")) {
		return nil // a quote without lines
	}
	var err error
	e := jsonscan.EachElement(rest, func(line []byte) bool {
		var l lineKey
		l, err = readLineKey(line)
		*lines = append(*lines, l)
		return err == nil
	})
	if err == nil {
		err = e
	}
	return err
}

// readLineKey reads the service and mode of a priced line, which come
// first in it.
func readLineKey(line []byte) (lineKey, error) {
	var l lineKey
	var err error
	scanErr := jsonscan.EachFieldRest(line, func(k string, rest []byte) bool {
		var to *string
		switch k {
		case "service":
			to = &l.Service
		case "mode":
			to = &l.Mode
		default:
			return true
		}
		var v []byte
		if v, err = jsonscan.Value(rest); err == nil {
			*to, err = jsonString(v)
		}
		return err == nil && (l.Service == "" || l.Mode == "")
	})
	if scanErr != nil {
		return l, scanErr
	}
	return l, err
}
