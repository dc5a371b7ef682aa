package projections

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
)

// UsageTotals are the usage projection's totals, as the metrics show them.
type UsageTotals struct {
	Opened, Presented, Revised, Cancelled int64
	// Lines are the lines added by service and production mode
	// ("service/mode").
	Lines map[string]int64
	// Decisions are the decisions by MAPLe level and segment
	// ("maple/segment"; "none" for either not assessed).
	Decisions map[string]int64
	// Published are catalogue versions published by table and whether
	// they correct a version ("tariff/false", "income_table/true").
	Published map[string]int64
	// Quotes are quotes and what-ifs computed ("quote", "whatif").
	Quotes map[string]int64
	// LeadBuckets count decisions by lead time, per upper bound in seconds
	// (cumulative as Prometheus has them); LeadSum is their sum in
	// seconds, LeadCount their number.
	LeadBuckets        map[float64]uint64
	LeadSum, LeadCount int64
}

// Decided is the number of decisions.
func (t UsageTotals) Decided() int64 {
	var n int64
	for _, v := range t.Decisions {
		n += v
	}
	return n
}

// UsageTotals reads the totals.
func (u *Usage) UsageTotals(ctx context.Context) (UsageTotals, error) {
	t := UsageTotals{Lines: map[string]int64{}, Decisions: map[string]int64{}, Published: map[string]int64{}, Quotes: map[string]int64{},
		LeadBuckets: map[float64]uint64{}}
	rows, err := u.db.r.QueryContext(ctx, `SELECT metric, labels, value FROM usage_counts`)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	var raw = map[string]uint64{}
	for rows.Next() {
		var metric, labels string
		var v int64
		if err := rows.Scan(&metric, &labels, &v); err != nil {
			return t, err
		}
		key := strings.ReplaceAll(labels, labelSep, "/")
		switch metric {
		case uOpened:
			t.Opened = v
		case uPresented:
			t.Presented = v
		case uRevised:
			t.Revised = v
		case uCancelled:
			t.Cancelled = v
		case uLines:
			t.Lines[key] = v
		case uDecisions:
			t.Decisions[key] = v
		case uPublished:
			t.Published[key] = v
		case uQuotes:
			t.Quotes[key] = v
		case uLead:
			raw[labels] = uint64(v)
		case uLeadSum:
			t.LeadSum = v
		case uLeadCount:
			t.LeadCount = v
		}
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	var cum uint64
	for _, le := range LeadTimeBuckets {
		cum += raw[strconv.FormatFloat(le, 'f', -1, 64)]
		t.LeadBuckets[le] = cum
	}
	return t, nil
}

// ActiveUsers counts the users who acted under each role since from.
func (u *Usage) ActiveUsers(ctx context.Context, from time.Time) (map[string]int, error) {
	rows, err := u.db.r.QueryContext(ctx, `SELECT role, count(DISTINCT id) FROM usage_actors WHERE last_seen >= ? GROUP BY role`, from.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var role string
		var n int
		if err := rows.Scan(&role, &n); err != nil {
			return nil, err
		}
		out[role] = n
	}
	return out, rows.Err()
}

// UsageWindows are the windows of carecost_active_users.
var UsageWindows = []struct {
	Label string
	Span  time.Duration
}{{"24h", 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}}

// usageCollector exposes the usage projection's totals as Prometheus
// metrics: counters whose value is the projection's total (so a restart
// resets nothing and rate() stays right), the active users as gauges, the
// lead times as a histogram.
type usageCollector struct {
	u                                          *Usage
	now                                        func() time.Time
	opened, presented, revised, cancelled      *prometheus.Desc
	lines, decisions, published, quotes, users *prometheus.Desc
	lead                                       *prometheus.Desc
}

// UsageCollector returns the Prometheus collector of the usage metrics.
func (u *Usage) UsageCollector() prometheus.Collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("carecost_"+name, help, labels, nil)
	}
	return &usageCollector{u: u, now: time.Now,
		opened:    d("estimates_opened_total", "Cost estimates opened (revisions included), counted from the event log."),
		presented: d("estimates_presented_total", "Cost estimates presented to a client, counted from the event log."),
		revised:   d("estimates_revised_total", "Decided estimates revised, counted from the event log."),
		cancelled: d("estimates_cancelled_total", "Cost estimates cancelled, counted from the event log."),
		lines:     d("estimate_lines_added_total", "Service lines added to estimates, by service and production mode.", "service", "mode"),
		decisions: d("decisions_total", "Decisions recorded on estimates, by the estimate's MAPLe level and service-need segment (none: not assessed).", "maple", "segment"),
		published: d("catalogue_versions_published_total", "Tariff and income-table versions published, by table and whether the version corrects one.", "table", "correction"),
		quotes:    d("quotes_total", "Quotes and what-ifs computed (kind quote or whatif), as the instances tallied them.", "kind"),
		users:     d("active_users", "Distinct users who used carecost under each role in the window (24h or 30d).", "role", "window"),
		lead:      d("estimate_lead_time_seconds", "Time from an estimate's opening to its decision."),
	}
}

// Describe implements prometheus.Collector.
func (c *usageCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.opened, c.presented, c.revised, c.cancelled, c.lines, c.decisions, c.published, c.quotes, c.users, c.lead} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. It reads the projection's small
// tables (a few hundred rows at most); when they cannot be read, the usage
// metrics are left out of this scrape rather than shown as zero.
func (c *usageCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	t, err := c.u.UsageTotals(ctx)
	if err != nil {
		return
	}
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(c.opened, t.Opened)
	counter(c.presented, t.Presented)
	counter(c.revised, t.Revised)
	counter(c.cancelled, t.Cancelled)
	for k, v := range t.Lines {
		counter(c.lines, v, strings.SplitN(k, "/", 2)...)
	}
	for k, v := range t.Decisions {
		counter(c.decisions, v, strings.SplitN(k, "/", 2)...)
	}
	for _, table := range []string{"tariff", "income_table"} {
		for _, corr := range []string{"false", "true"} {
			counter(c.published, t.Published[table+"/"+corr], table, corr)
		}
	}
	for _, kind := range []string{"quote", "whatif"} {
		counter(c.quotes, t.Quotes[kind], kind)
	}
	ch <- prometheus.MustNewConstHistogram(c.lead, uint64(t.LeadCount), float64(t.LeadSum), t.LeadBuckets)
	now := c.now()
	for _, w := range UsageWindows {
		active, err := c.u.ActiveUsers(ctx, now.Add(-w.Span))
		if err != nil {
			return
		}
		for _, r := range domain.Roles {
			ch <- prometheus.MustNewConstMetric(c.users, prometheus.GaugeValue, float64(active[string(r)]), string(r), w.Label)
		}
	}
}
