package projections

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"carecost/domain"
	"carecost/domain/jsonscan"
)

// Usage is the usage projection: how much carecost is used, counted from
// the log, so the counts are the same on every instance, survive restarts
// and rebuild with the rest (docs/operations.md "Usage metrics"). It keeps
// totals (usage_counts), the MAPLe level, segment and opening time of each
// estimate (usage_estimates, to label its decision and time its lead), and
// when each user last acted under each role (usage_actors: from the
// actor of every command's events and from the instances' tallies of
// reads, quotes and what-ifs). It holds no client data: a user here is a
// user id of carecost, and every label value is an id of the catalogue or
// of a fixed set.
type Usage struct {
	db *DB
	// prepared holds what Prepare read of the events of a page.
	prepared preparedCache[usagePrepared]
}

// usagePrepared is what Prepare read of one event.
type usagePrepared struct {
	prep usagePrep
	err  error
}

// Prepare implements Preparer: what an event counts is read on the
// goroutine that read the page (readUsage), beside the applying of the
// pages before; the applying goroutine only adds it up.
func (u *Usage) Prepare(pg *Page) {
	out := newPrepared[usagePrepared](pg.Events)
	for i := range pg.Events {
		r := &pg.Events[i]
		if !u.Wants(*r) {
			continue
		}
		p, err := readUsage(r, func() (domain.Payload, error) { return pg.Payload(i) })
		out.put(i, usagePrepared{prep: p, err: err})
	}
	u.prepared.add(out)
}

// usagePrep is what one event counts, apart from the estimate it belongs
// to.
type usagePrep struct {
	counts []usageCount
	// assessed is set for an opened or assessment_changed event.
	assessed *usageEstimate
}

// usageCount is one count an event adds.
type usageCount struct {
	metric string
	n      int64
	labels string
}

// NewUsage returns the usage projection over db.
func NewUsage(db *DB) *Usage { return &Usage{db: db} }

// Name implements Projection.
func (*Usage) Name() string { return "usage" }

// Version implements Projection.
func (*Usage) Version() int { return 1 }

// usageTables are the tables of the usage projection.
var usageTables = []string{"usage_counts", "usage_estimates", "usage_actors"}

// Schema implements Projection.
func (*Usage) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS usage_counts (metric TEXT NOT NULL, labels TEXT NOT NULL, value INTEGER NOT NULL,
			PRIMARY KEY (metric, labels)) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS usage_estimates (id TEXT PRIMARY KEY, maple INTEGER NOT NULL, segment TEXT NOT NULL,
			opened_at INTEGER NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS usage_actors (id TEXT NOT NULL, role TEXT NOT NULL, last_seen INTEGER NOT NULL,
			PRIMARY KEY (id, role)) WITHOUT ROWID`,
	}
}

// Reset implements Projection.
func (u *Usage) Reset(ctx context.Context, tx *sql.Tx) error {
	u.prepared.clear()
	return recreate(ctx, tx, usageTables, u.Schema())
}

// The usage counts (usage_counts.metric); their labels are stored as the
// label values in a fixed order, joined by labelSep.
const (
	uOpened    = "estimates_opened"
	uLines     = "lines_added" // service, mode
	uPresented = "presented"   //
	uDecisions = "decisions"   // maple, segment
	uRevised   = "revised"     //
	uCancelled = "cancelled"   //
	uPublished = "published"   // table, correction
	uQuotes    = "quotes"      // kind
	uLead      = "lead_bucket" // upper bound in seconds ("+Inf" last)
	uLeadSum   = "lead_sum"    // seconds
	uLeadCount = "lead_count"  //
	labelSep   = "\x1f"        //
	noLabel    = ""            //
	noneLabel  = "none"        // a decision's MAPLe level or segment not assessed
	estPrefix  = "estimate-"   //
	maxLabelID = 100           // longer ids (never made by carecost) are counted as "other"
	otherLabel = "other"       //
	leadUnit   = int64(time.Second)
)

// LeadTimeBuckets are the upper bounds, in seconds, of the histogram of
// lead times from an estimate's opening to its decision: an hour, 8 hours,
// a day, 2, 7, 14, 30, 60, 90, 180 and 365 days.
var LeadTimeBuckets = []float64{3600, 8 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 60 * 86400, 90 * 86400, 180 * 86400, 365 * 86400}

// usageEstimate is what the usage projection keeps of an estimate.
type usageEstimate struct {
	maple    int
	segment  string
	openedAt int64
}

// usageBatch gathers one Apply's changes, written at its end.
type usageBatch struct {
	counts    map[[2]string]int64
	estimates map[string]*usageEstimate
	dirty     map[string]bool
	actors    map[domain.ActiveActor]int64
}

// Wants implements Filter: every event of carecost (each names its actor).
func (*Usage) Wants(e domain.RecordedEvent) bool { return strings.HasPrefix(e.Type, "carecost.") }

// Apply implements Projection.
func (u *Usage) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	b := &usageBatch{counts: map[[2]string]int64{}, estimates: map[string]*usageEstimate{}, dirty: map[string]bool{},
		actors: map[domain.ActiveActor]int64{}}
	var lastMeta []byte
	for i := range events {
		r := &events[i]
		if !u.Wants(*r) {
			continue
		}
		pr, ok := u.prepared.take(r.Position)
		if !ok {
			pr.prep, pr.err = readUsage(r, func() (domain.Payload, error) { return domain.DecodePayload(r.Type, r.Data) })
		}
		p, err := pr.prep, pr.err
		if err != nil {
			return fmt.Errorf("usage: %s at %s: %w", r.Type, r.Position, err)
		}
		// The events of one command carry the same metadata: read it once.
		if len(r.Metadata) > 0 && string(r.Metadata) != string(lastMeta) {
			lastMeta = r.Metadata
			a, err := actorOf(r)
			if err != nil {
				return err
			}
			b.seen(a, r.RecordedAt)
		}
		if err := b.apply(ctx, tx, r, &p); err != nil {
			return fmt.Errorf("usage: %s at %s: %w", r.Type, r.Position, err)
		}
	}
	return b.write(ctx, u.db, tx)
}

// actorOf reads the actor of r's command.
func actorOf(r *domain.RecordedEvent) (domain.ActiveActor, error) {
	var a domain.ActiveActor
	var ferr error
	found := 0
	err := jsonscan.EachField(r.Metadata, func(key string, v []byte) bool {
		switch key {
		case "actor_id":
			a.ID, ferr = jsonString(v)
			found++
		case "actor_role":
			a.Role, ferr = jsonString(v)
			found++
		}
		return ferr == nil && found < 2
	})
	if err == nil {
		err = ferr
	}
	if err != nil {
		return a, fmt.Errorf("usage: metadata of %s: %w", r.ID, err)
	}
	return a, nil
}

// seen notes a as active at t.
func (b *usageBatch) seen(a domain.ActiveActor, t time.Time) {
	if a.ID == "" || !domain.Role(a.Role).Valid() {
		return // carecost itself, or a role no user holds
	}
	if at := t.UnixNano(); at > b.actors[a] {
		b.actors[a] = at
	}
}

func (p *usagePrep) add(metric string, n int64, labels ...string) {
	p.counts = append(p.counts, usageCount{metric: metric, n: n, labels: strings.Join(labels, labelSep)})
}

// readUsage reads what event r counts, apart from the estimate it belongs
// to; payload decodes r's payload (upcast to the current schema).
func readUsage(r *domain.RecordedEvent, payload func() (domain.Payload, error)) (usagePrep, error) {
	var p usagePrep
	switch r.Type {
	case domain.EvEstimateOpened:
		o, err := scanOpened(r.Data)
		if err != nil {
			return p, err
		}
		p.add(uOpened, 1)
		if o.revision == "" {
			// An estimate opened with lines; a revision's are copied.
			for _, l := range o.lines {
				p.add(uLines, 1, boundedID(l[0]), boundedID(l[1]))
			}
		}
		p.assessed = &usageEstimate{maple: o.maple, segment: o.segment}
	case domain.EvEstimateAssessmentChanged:
		o, err := payloadAs[*domain.EstimateAssessmentChanged](r, payload)
		if err != nil {
			return p, err
		}
		p.assessed = &usageEstimate{maple: o.Maple, segment: string(o.Segment)}
	case domain.EvEstimateLineAdded:
		var svc, mode string
		data, err := domain.UpcastPayload(r.Type, r.Data)
		if err == nil {
			err = eachTopField(data, func(k string, v []byte) error {
				if k == "line" {
					svc, mode, err = scanLine(v)
				}
				return err
			})
		}
		if err != nil {
			return p, err
		}
		p.add(uLines, 1, boundedID(svc), boundedID(mode))
	case domain.EvEstimatePresented:
		p.add(uPresented, 1)
	case domain.EvEstimateRevised:
		p.add(uRevised, 1)
	case domain.EvEstimateCancelled:
		p.add(uCancelled, 1)
	case domain.EvTariffVersionPublished:
		o, err := payloadAs[*domain.TariffVersionPublished](r, payload)
		if err != nil {
			return p, err
		}
		p.add(uPublished, 1, "tariff", strconv.FormatBool(o.Corrects != 0))
	case domain.EvIncomeVersionPublished:
		o, err := payloadAs[*domain.IncomeVersionPublished](r, payload)
		if err != nil {
			return p, err
		}
		p.add(uPublished, 1, "income_table", strconv.FormatBool(o.Corrects != 0))
	case domain.EvUsageTallied:
		o, err := payloadAs[*domain.UsageTallied](r, payload)
		if err != nil {
			return p, err
		}
		p.add(uQuotes, int64(o.Quotes), "quote")
		p.add(uQuotes, int64(o.WhatIfs), "whatif")
		for _, a := range o.Active {
			p.counts = append(p.counts, usageCount{metric: uSeen, labels: a.ID + labelSep + a.Role})
		}
	}
	return p, nil
}

// openedScan is what the usage projection reads of an opened event.
type openedScan struct {
	maple             int
	segment, revision string
	lines             [][2]string // service, mode
}

// scanOpened reads an opened event's assessment, revision and lines
// (upcast to the current schema) without decoding the rest of it.
func scanOpened(data []byte) (openedScan, error) {
	var o openedScan
	data, err := domain.UpcastPayload(domain.EvEstimateOpened, data)
	if err != nil {
		return o, err
	}
	err = eachTopField(data, func(k string, v []byte) error {
		switch k {
		case "maple":
			n, err := strconv.Atoi(string(v))
			o.maple = n
			return err
		case "segment":
			var err error
			o.segment, err = jsonString(v)
			return err
		case "revision_of":
			var err error
			o.revision, err = jsonString(v)
			return err
		case "lines":
			if string(v) == "null" {
				return nil
			}
			var lerr error
			err := jsonscan.EachElement(v, func(e []byte) bool {
				var l [2]string
				l[0], l[1], lerr = scanLine(e)
				o.lines = append(o.lines, l)
				return lerr == nil
			})
			if err == nil {
				err = lerr
			}
			return err
		}
		return nil
	})
	return o, err
}

// scanLine reads a line's service and mode.
func scanLine(v []byte) (service, mode string, err error) {
	err = eachTopField(v, func(k string, v []byte) error {
		var err error
		switch k {
		case "service":
			service, err = jsonString(v)
		case "mode":
			mode, err = jsonString(v)
		}
		return err
	})
	return
}

// eachTopField calls fn with each field of the JSON object b, stopping at
// fn's first error.
func eachTopField(b []byte, fn func(key string, value []byte) error) error {
	var ferr error
	err := jsonscan.EachField(b, func(k string, v []byte) bool {
		ferr = fn(k, v)
		return ferr == nil
	})
	if err != nil {
		return err
	}
	return ferr
}

// uSeen marks, among an event's counts, a user a tally saw (labels: id and
// role); it is not a count of usage_counts.
const uSeen = "seen"

// apply counts one event, as read by readUsage.
func (b *usageBatch) apply(ctx context.Context, tx *sql.Tx, r *domain.RecordedEvent, p *usagePrep) error {
	for _, c := range p.counts {
		if c.metric == uSeen {
			id, role, _ := strings.Cut(c.labels, labelSep)
			b.seen(domain.ActiveActor{ID: id, Role: role}, r.RecordedAt)
			continue
		}
		b.counts[[2]string{c.metric, c.labels}] += c.n
	}
	switch r.Type {
	case domain.EvEstimateOpened:
		id := strings.TrimPrefix(r.Stream, estPrefix)
		b.estimates[id] = &usageEstimate{maple: p.assessed.maple, segment: p.assessed.segment, openedAt: r.RecordedAt.UnixNano()}
		b.dirty[id] = true
	case domain.EvEstimateAssessmentChanged:
		e, err := b.estimate(ctx, tx, r.Stream)
		if err != nil || e == nil {
			return err
		}
		e.maple, e.segment = p.assessed.maple, p.assessed.segment
		b.dirty[strings.TrimPrefix(r.Stream, estPrefix)] = true
	case domain.EvEstimateDecided:
		e, err := b.estimate(ctx, tx, r.Stream)
		if err != nil {
			return err
		}
		maple, segment := noneLabel, noneLabel
		if e != nil {
			if e.maple >= 1 && e.maple <= 5 {
				maple = strconv.Itoa(e.maple)
			}
			if e.segment != "" {
				segment = boundedID(e.segment)
			}
			if lead := r.RecordedAt.UnixNano() - e.openedAt; lead >= 0 {
				b.lead(lead)
			}
		}
		b.counts[[2]string{uDecisions, maple + labelSep + segment}]++
	}
	return nil
}

// lead counts a lead time of ns nanoseconds in the histogram.
func (b *usageBatch) lead(ns int64) {
	secs := float64(ns) / float64(leadUnit)
	bucket := "+Inf"
	for _, le := range LeadTimeBuckets {
		if secs <= le {
			bucket = strconv.FormatFloat(le, 'f', -1, 64)
			break
		}
	}
	b.counts[[2]string{uLead, bucket}]++
	b.counts[[2]string{uLeadSum, noLabel}] += ns / leadUnit
	b.counts[[2]string{uLeadCount, noLabel}]++
}

// payloadAs returns r's payload, from payload, as P.
func payloadAs[P domain.Payload](r *domain.RecordedEvent, payload func() (domain.Payload, error)) (P, error) {
	var zero P
	p, err := payload()
	if err != nil {
		return zero, err
	}
	v, ok := p.(P)
	if !ok {
		return zero, fmt.Errorf("payload of %s is %T", r.Type, p)
	}
	return v, nil
}

// boundedID is an id as a label value: carecost's ids are short; anything
// else is "other", so a label never carries free text.
func boundedID(s string) string {
	if s == "" || len(s) > maxLabelID {
		return otherLabel
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return otherLabel
		}
	}
	return s
}

// estimate returns what is kept of the estimate of stream (nil when it was
// never opened: an event the projection cannot place, counted unlabelled).
func (b *usageBatch) estimate(ctx context.Context, tx *sql.Tx, stream string) (*usageEstimate, error) {
	id := strings.TrimPrefix(stream, estPrefix)
	if e, ok := b.estimates[id]; ok {
		return e, nil
	}
	e := &usageEstimate{}
	err := tx.QueryRowContext(ctx, `SELECT maple, segment, opened_at FROM usage_estimates WHERE id = ?`, id).Scan(&e.maple, &e.segment, &e.openedAt)
	switch {
	case err == sql.ErrNoRows:
		return nil, nil
	case err != nil:
		return nil, err
	}
	b.estimates[id] = e
	return e, nil
}

// write writes the batch's changes.
func (b *usageBatch) write(ctx context.Context, db *DB, tx *sql.Tx) error {
	for k, n := range b.counts {
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_counts (metric, labels, value) VALUES (?, ?, ?)
			ON CONFLICT (metric, labels) DO UPDATE SET value = value + excluded.value`, k[0], k[1], n); err != nil {
			return fmt.Errorf("usage: write counts: %w", err)
		}
	}
	rows := make([]any, 0, 4*len(b.dirty))
	for id := range b.dirty {
		e := b.estimates[id]
		rows = append(rows, id, int64(e.maple), e.segment, e.openedAt)
	}
	if err := insertRows(ctx, db, tx, "INSERT OR REPLACE INTO usage_estimates", "id, maple, segment, opened_at", 4, rows); err != nil {
		return fmt.Errorf("usage: write estimates: %w", err)
	}
	for a, at := range b.actors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_actors (id, role, last_seen) VALUES (?, ?, ?)
			ON CONFLICT (id, role) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`, a.ID, a.Role, at); err != nil {
			return fmt.Errorf("usage: write actors: %w", err)
		}
	}
	return nil
}
