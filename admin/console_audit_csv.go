package admin

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The CSV files of the audit pages are for Finnish Excel: UTF-8 with a byte
// order mark (so Excel reads the letters right), semicolons between the
// fields, decimal commas without group separators (so Excel reads numbers
// as numbers) and dates as 1.7.2026, whatever the page's language; the
// header row is in the person's language. They hold personal data (the
// client reference): for the audit rule only, never cached, never logged.

// auditCSVMaxRows bounds the rows of the decision list's file.
const auditCSVMaxRows = 100000

// auditCSVDate writes a date as Finnish Excel reads it: 1.7.2026.
func auditCSVDate(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	return strconv.Itoa(t.Day()) + "." + strconv.Itoa(int(t.Month())) + "." + strconv.Itoa(t.Year())
}

// auditCSVTime writes a moment in Helsinki as Finnish Excel reads it:
// 1.7.2026 14:05.
func auditCSVTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(domain.Helsinki)
	return auditCSVDate(domain.DateOf(t)) + " " + t.Format("15:04")
}

// auditCSVMoney writes euros with a decimal comma and no group separator:
// 1234,56.
func auditCSVMoney(m domain.Money) string { return strings.Replace(m.String(), ".", ",", 1) }

// auditCSVDecimal writes a decimal written with a point with a comma.
func auditCSVDecimal(s string) string { return strings.Replace(s, ".", ",", 1) }

// auditCSVText keeps a text a spreadsheet would take for a formula
// (=, +, -, @, a tab or a carriage return first) as text.
func auditCSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// auditCSVFileName keeps letters, digits, dashes and underscores of name.
func auditCSVFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	return b.String()
}

// auditSendCSV answers rows as a CSV attachment named file.
func auditSendCSV(c *fiber.Ctx, file string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+file+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// auditHeader returns the header row of keys in l.
func auditHeader(l *Lang, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.T("audit.csv." + k)
	}
	return out
}

// auditYesNo writes a flag in l.
func auditYesNo(l *Lang, b bool) string {
	if b {
		return l.T("common.yes")
	}
	return l.T("common.no")
}

// handleAuditListCSV handles GET /decisions.csv: the decisions the filters
// select, all of them, as CSV.
func (s *Server) handleAuditListCSV(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := s.pageLang(c)
	p := &auditListPage{}
	if err := s.auditChoices(ctx, l, p); err != nil {
		return err
	}
	f := auditReadFilter(c, l, p, s.planDates())
	if !p.Errors.ok() {
		return &domain.Error{Code: domain.EInvalid, Message: "the filters of the decision list are not valid"}
	}
	rows := [][]string{auditHeader(l, "decision_number", "decision_date", "effective_from", "pricing_date", "client_ref", "maple", "segment",
		"tariff", "tariff_version", "income_catalogue", "income_version", "monthly_client_fee", "monthly_voucher_copay", "monthly_county_gross",
		"monthly_county_net", "one_off_client_fee", "one_off_voucher_copay", "one_off_county_net", "yearly_client_fee", "yearly_voucher_copay",
		"yearly_county_net", "decided_by", "decided_at", "in_force",
		"touched", "version_warning", "totals_changed", "presented_monthly_client_fee", "estimate_id")}
	for f.Offset = 0; len(rows) <= auditCSVMaxRows; f.Offset += projections.MaxLimit {
		f.Limit = projections.MaxLimit
		recs, err := s.reads.Decisions(ctx, f)
		if err != nil {
			return err
		}
		for _, r := range recs {
			income, presented := "", ""
			if r.IncomeCatalogueID != "" {
				income = strconv.Itoa(r.IncomeVersion)
			}
			if r.PresentedTotals != nil {
				presented = auditCSVMoney(r.PresentedTotals.Monthly.ClientFee)
			}
			rows = append(rows, []string{auditCSVText(r.DecisionNumber), auditCSVDate(r.DecisionDate), auditCSVDate(r.EffectiveFrom),
				auditCSVDate(r.PricingDate), auditCSVText(r.ClientRef), strconv.Itoa(r.Maple), auditSegment(l, r.Segment),
				r.TariffID, strconv.Itoa(r.TariffVersion), r.IncomeCatalogueID, income,
				auditCSVMoney(r.Monthly.ClientFee), auditCSVMoney(r.Monthly.VoucherCopay), auditCSVMoney(r.Monthly.CountyGross), auditCSVMoney(r.Monthly.CountyNet),
				auditCSVMoney(r.OneOff.ClientFee), auditCSVMoney(r.OneOff.VoucherCopay), auditCSVMoney(r.OneOff.CountyNet),
				auditCSVMoney(r.Yearly.ClientFee), auditCSVMoney(r.Yearly.VoucherCopay), auditCSVMoney(r.Yearly.CountyNet),
				auditCSVText(r.ActorID), auditCSVTime(r.DecidedAt), auditYesNo(l, r.InForce), auditYesNo(l, len(r.TouchedBy) > 0),
				auditYesNo(l, r.VersionWarning != nil), auditYesNo(l, r.TotalsChanged), presented, r.EstimateID})
		}
		if len(recs) < f.Limit {
			break
		}
	}
	return auditSendCSV(c, l.T("audit.csv.file.list", "date", time.Now().In(domain.Helsinki).Format(time.DateOnly)), rows)
}

// handleAuditLinesCSV handles GET /decisions/:estimate_id/lines.csv: the
// lines of one decision with the price and rule parameters each used.
func (s *Server) handleAuditLinesCSV(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rec, q, err := s.auditDecision(c)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	services := s.auditServices(ctx)
	rows := [][]string{auditHeader(l, "decision_number", "tariff", "tariff_version", "service_id", "service", "mode", "rule", "unit",
		"quantity", "frequency", "units_per_month", "unit_cost", "fee_per_unit", "voucher_copay_per_unit", "tier", "rule_parameters",
		"county_gross", "client_fee", "voucher_copay", "county_net")}
	for _, ln := range q.Lines {
		fee, copayPerUnit, copay := "", "", ""
		if ln.FeePerUnit != nil {
			fee = auditCSVMoney(*ln.FeePerUnit)
		}
		if ln.Rule == domain.RuleVoucher {
			copay = auditCSVMoney(ln.VoucherCopay)
			if ln.VoucherCopayPerUnit != nil {
				copayPerUnit = auditCSVMoney(*ln.VoucherCopayPerUnit)
			}
		}
		rows = append(rows, []string{auditCSVText(rec.DecisionNumber), rec.TariffID, strconv.Itoa(rec.TariffVersion), ln.Service,
			auditCSVText(auditServiceName(l, services[ln.Service], ln.Service)), auditKey(l, "audit.mode.", string(ln.Mode)),
			auditKey(l, "audit.rule.", string(ln.Rule)), auditKey(l, "audit.unit.", string(ln.Unit)), auditCSVDecimal(ln.Quantity.String()),
			auditKey(l, "audit.frequency.", string(ln.Frequency)), auditCSVDecimal(ln.UnitsPerMonth), auditCSVMoney(ln.UnitCost), fee,
			copayPerUnit, auditCSVText(auditTier(l, ln.Tier)), auditCSVText(auditParamsText(l, ln)), auditCSVMoney(ln.CountyGross),
			auditCSVMoney(ln.ClientFee), copay, auditCSVMoney(ln.CountyNet)})
	}
	return auditSendCSV(c, l.T("audit.csv.file.lines", "number", auditCSVFileName(rec.DecisionNumber)), rows)
}
