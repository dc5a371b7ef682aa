package admin

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The price history chart of a service in a production mode: valid time
// on the x axis, the unit cost on the y axis, and one step line for each
// publication of the tariff: the prices as known once it was recorded
// (the history's publications and the price "as known at" each). A
// correction's line is dashed. The same figures stand in a table beside
// it. Server-rendered SVG: presentation attributes and classes, no
// inline style.

// chartPage is the price history of a service in a production mode.
type chartPage struct {
	consoleBase
	T                   projections.TariffView
	Service, Mode       string
	ServiceName, Unit   string
	ModeLabel           string
	Services, Modes     []option
	Chart               *priceChart
	Rows                []chartRow
	ChartTitle, Summary string
}

// priceChart is the drawing: the plot area, the axes' ticks and the
// lines.
type priceChart struct {
	W, H                     int
	Left, Right, Top, Bottom int
	XTicks, YTicks           []chartTick
	Lines                    []chartLine
	// XLabelX, YLabelY place the axes' titles.
	XLabelX, XLabelY, YLabelX, YLabelY string
}

// chartTick is a tick of an axis with its label.
type chartTick struct {
	// At is the tick's coordinate (x for the x axis, y for the y axis).
	At, LabelAt string
	Label       string
}

// chartLine is the step line of one publication.
type chartLine struct {
	ID, Label, Color, Width, Path string
	// Dash is the dash pattern of a correction ("" for a solid line).
	Dash       string
	Correction bool
	Version    int
	Corrects   int
	RecordedAt time.Time
}

// chartRow is a row of the chart's table: a price as one publication
// knew it, valid from From until Until (zero: open-ended).
type chartRow struct {
	Line        string
	Correction  bool
	From, Until domain.Date
	Price       *domain.Money
	Version     int
	First       bool
	Span        int
}

// chartColors tell the lines apart; each has at least 3:1 contrast on
// white.
var chartColors = []string{"#0b4f8a", "#b3261e", "#00703c", "#6b3fa0", "#7a4b00", "#005f73", "#1a1a1a"}

// The chart's size in SVG units.
const (
	chartW, chartH                                     = 760, 380
	chartLeft, chartRight, chartTop, chartBottomMargin = 96, 48, 16, 56
)

// pageTariffChart handles GET /tariffs/:id/chart?service=&mode=.
func (s *Server) pageTariffChart(c *fiber.Ctx) error {
	ctx := c.UserContext()
	t, err := s.reads.Tariff(ctx, pathParam(c, "id"))
	if err != nil {
		return err
	}
	svcs, err := s.reads.Services(ctx)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	names := serviceNames(l, svcs)
	p := &chartPage{consoleBase: catalogueBase(l.T("catalogue.chart.title", "name", t.Name), "catalogue.chart.intro", "nav.tariffs"),
		T: t, Service: strings.Clone(c.Query("service")), Mode: strings.Clone(c.Query("mode")), Modes: modeOptions(l)}
	p.Wide = true
	// The services priced in a published version.
	seen := map[string]bool{}
	for _, v := range t.Versions {
		if v.Status != domain.StatusPublished {
			continue
		}
		for _, e := range v.Entries {
			if !seen[e.Service] {
				seen[e.Service] = true
				p.Services = append(p.Services, option{e.Service, names[e.Service]})
			}
		}
	}
	slices.SortFunc(p.Services, func(a, b option) int { return compareText(a.Label, b.Label) })
	if p.Service == "" {
		if k, ok := latestChange(t, s.today()); ok {
			p.Service, p.Mode = k.Service, string(k.Mode)
		}
	}
	if p.Service != "" && p.Mode == "" {
		p.Mode = string(domain.ModeOwn)
		for _, v := range t.Versions {
			if e := slices.IndexFunc(v.Entries, func(e domain.Entry) bool { return e.Service == p.Service }); e >= 0 && v.Status == domain.StatusPublished {
				p.Mode = string(v.Entries[e].Mode)
				break
			}
		}
	}
	if p.Mode != "" && !slices.Contains(domain.Modes, domain.Mode(p.Mode)) {
		return domain.Invalidf("mode", "%q is not a production mode", p.Mode)
	}
	if p.Service != "" && !seen[p.Service] {
		return &domain.Error{Code: domain.ENotFound, Field: "service", Message: "tariff " + t.ID + " has never priced " + p.Service}
	}
	p.ServiceName, p.ModeLabel = names[p.Service], l.T("catalogue.mode."+p.Mode)
	for _, sv := range svcs {
		if sv.ID == p.Service {
			p.Unit = l.T("catalogue.unit." + string(sv.Unit))
		}
	}
	p.ChartTitle = l.T("catalogue.chart.svg_title", "service", p.ServiceName, "mode", p.ModeLabel)
	if p.Service != "" {
		if err := s.drawChart(ctx, l, p); err != nil {
			return err
		}
	}
	return s.render(c, fiber.StatusOK, "tariffs_chart", p)
}

// latestChange returns the entry the latest publication changed (the
// first by service and mode), else the first entry of the version in
// effect: what the chart shows unless the person picks another.
func latestChange(t projections.TariffView, today domain.Date) (domain.EntryKey, bool) {
	vs := versionInfos(t)
	var last *domain.TariffVersion
	for i, v := range t.Versions {
		if v.Status == domain.StatusPublished && (last == nil || last.Position.Less(v.Position)) {
			last = &t.Versions[i]
		}
	}
	if last == nil {
		return domain.EntryKey{}, false
	}
	if before, ok := tariffVersion(t, replacedBy(vs, last.VersionInfo)); ok {
		for _, e := range last.Entries {
			old, found := before.Entry(e.Service, e.Mode)
			if !found || !reflect.DeepEqual(old, e) {
				return e.Key(), true
			}
		}
	}
	if v, ok := tariffVersion(t, inEffectOn(vs, today)); ok && len(v.Entries) > 0 {
		return v.Entries[0].Key(), true
	}
	if len(last.Entries) > 0 {
		return last.Entries[0].Key(), true
	}
	return domain.EntryKey{}, false
}

// knownPrice is the price on the valid-time steps as one publication
// knew them.
type knownPrice struct {
	change projections.TariffChange
	steps  []domain.Date
	prices []*domain.Money
	vers   []int
}

// drawChart asks, for each publication, the price on each valid-from
// known by then, and draws the lines and the table.
func (s *Server) drawChart(ctx context.Context, l *Lang, p *chartPage) error {
	changes, err := s.reads.TariffChanges(ctx, p.T.ID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(changes, func(a, b projections.TariffChange) int {
		switch {
		case a.Position.Less(b.Position):
			return -1
		case b.Position.Less(a.Position):
			return 1
		}
		return 0
	})
	var known []knownPrice
	var steps []domain.Date
	var top, bottom domain.Money
	bottom = -1
	for _, ch := range changes {
		if !slices.Contains(steps, ch.ValidFrom) {
			steps = append(steps, ch.ValidFrom)
			slices.SortFunc(steps, func(a, b domain.Date) int { return a.Compare(b) })
		}
		k := knownPrice{change: ch, steps: slices.Clone(steps)}
		for _, d := range steps {
			pt, err := s.reads.PriceAt(ctx, projections.PriceQuery{TariffID: p.T.ID, Service: p.Service, Mode: domain.Mode(p.Mode),
				ValidAt: d, KnownAt: ch.Position})
			switch {
			case domain.ErrorCode(err) == domain.ENotFound:
				k.prices, k.vers = append(k.prices, nil), append(k.vers, 0)
			case err != nil:
				return err
			default:
				cost := pt.Entry.UnitCost
				k.prices, k.vers = append(k.prices, &cost), append(k.vers, pt.Version)
				top = max(top, cost)
				if bottom < 0 || cost < bottom {
					bottom = cost
				}
			}
		}
		known = append(known, k)
	}
	if len(known) == 0 || bottom < 0 {
		return nil
	}
	start := domain.NewDate(steps[0].Year(), time.January, 1)
	end := domain.NewDate(max(steps[len(steps)-1].Year(), s.today().Year())+1, time.January, 1)
	ch := &priceChart{W: chartW, H: chartH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottomMargin}
	days := float64(end.Time().Sub(start.Time()).Hours() / 24)
	x := func(d domain.Date) float64 {
		return float64(ch.Left) + float64(ch.Right-ch.Left)*(d.Time().Sub(start.Time()).Hours()/24)/days
	}
	// The y axis spans the prices with a step to spare each side, from
	// a round amount: a change of a few per cent shows.
	step := niceStep((top - bottom) / 4)
	ymin := max(0, (bottom-step)/step*step)
	ymax := (top + 2*step - 1) / step * step
	y := func(m domain.Money) float64 {
		return float64(ch.Bottom) - float64(ch.Bottom-ch.Top)*float64(m-ymin)/float64(ymax-ymin)
	}
	for m := ymin; m <= ymax; m += step {
		ch.YTicks = append(ch.YTicks, chartTick{At: coord(y(m)), LabelAt: coord(y(m) + 4), Label: l.Money(m)})
	}
	every := 1 + (end.Year()-start.Year())/7
	for yr := start.Year(); yr <= end.Year(); yr += every {
		d := domain.NewDate(yr, time.January, 1)
		ch.XTicks = append(ch.XTicks, chartTick{At: coord(x(d)), LabelAt: coord(float64(ch.Bottom) + 18), Label: l.Date(d)})
	}
	ch.XLabelX, ch.XLabelY = coord(float64(ch.Left+ch.Right)/2), coord(float64(ch.H)-8)
	ch.YLabelX, ch.YLabelY = coord(14), coord(float64(ch.Top+ch.Bottom)/2)
	n := len(known)
	for i, k := range known {
		line := chartLine{ID: "price-line-" + strconv.Itoa(k.change.Version), Color: chartColors[i%len(chartColors)],
			Width: strconv.Itoa(min(2+2*(n-1-i), 10)), Correction: k.change.Corrects != 0, Version: k.change.Version,
			Corrects: k.change.Corrects, RecordedAt: k.change.PublishedAt}
		line.Label = l.T("catalogue.chart.line", "date", l.Time(k.change.PublishedAt), "n", k.change.Version)
		if line.Correction {
			line.Dash = "10 6"
			line.Label += " " + l.T("catalogue.chart.line_correction", "n", k.change.Corrects)
		}
		var path strings.Builder
		pen := false
		first := len(p.Rows)
		for j, d := range k.steps {
			until := end
			row := chartRow{Line: line.Label, Correction: line.Correction, From: d, Price: k.prices[j], Version: k.vers[j]}
			if j+1 < len(k.steps) {
				until = k.steps[j+1]
				row.Until = until.AddDays(-1)
			}
			p.Rows = append(p.Rows, row)
			if k.prices[j] == nil {
				pen = false
				continue
			}
			if !pen {
				path.WriteString("M " + coord(x(d)) + " " + coord(y(*k.prices[j])))
			} else {
				path.WriteString(" V " + coord(y(*k.prices[j])))
			}
			path.WriteString(" H " + coord(x(until)))
			pen = true
		}
		p.Rows[first].First, p.Rows[first].Span = true, len(p.Rows)-first
		line.Path = path.String()
		ch.Lines = append(ch.Lines, line)
	}
	p.Chart = ch
	p.Summary = l.T("catalogue.chart.summary", "n", n)
	return nil
}

// niceStep returns a round step of at least m: 1, 2, 2.5 or 5 times a
// power of ten cents (a euro at least).
func niceStep(m domain.Money) domain.Money {
	if m < 100 {
		return 100
	}
	p := domain.Money(1)
	for p*10 <= m {
		p *= 10
	}
	for _, f := range []domain.Money{10, 20, 25, 50, 100} {
		if s := p * f / 10; s >= m {
			return s
		}
	}
	return p * 10
}

// coord writes an SVG coordinate with one decimal.
func coord(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
