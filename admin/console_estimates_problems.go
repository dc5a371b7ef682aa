package admin

import (
	"regexp"
	"strings"

	"carecost/domain"
)

// estimateProblem puts a domain error of an estimate command on a form,
// in the person's language: on the field fieldOf maps the domain's field
// to ("" for none: the form as a whole), with the message for what the
// domain refused. ok is false for errors a form cannot show (not found,
// forbidden, internal): the caller returns them, and they are pages.
func estimateProblem(l *Lang, errs *formErrors, err error, fieldOf func(string) string) bool {
	field := domain.ErrorField(err)
	switch domain.ErrorCode(err) {
	case domain.EConflict:
		switch field {
		case "expected_version":
			errs.stale(l.T("estimates.error.stale"))
		case "Idempotency-Key":
			errs.add("", l.T("estimates.error.form_used"))
		case "presented":
			errs.add(fieldOf("not_presented_reason"), l.T("estimates.error.not_presented"))
		default:
			errs.add("", l.T("estimates.error.closed"))
		}
		return true
	case domain.EInvalid:
		errs.add(fieldOf(field), domainMessage(l, field))
		return true
	case domain.ERefused:
		errs.add(fieldOf(field), refusedMessage(l, field, domain.ErrorMessage(err)))
		return true
	}
	return false
}

// estimateIDIn finds the estimate id a domain message names.
var estimateIDIn = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// refusedMessage is the message for a decision a rule of the record
// refused: a decision number another decision holds (naming its
// estimate), a decision date in the future or before the estimate was
// opened.
func refusedMessage(l *Lang, field, msg string) string {
	switch {
	case field == "decision_number":
		return l.T("estimates.error.decision_number_taken", "estimate", estimateIDIn.FindString(msg))
	case field == "decision_date" && strings.Contains(msg, "in the future"):
		return l.T("estimates.error.decision_date_future")
	case field == "decision_date":
		return l.T("estimates.error.decision_date_before_opened")
	}
	return l.T("error.invalid")
}

// domainMessage is the message for an invalid field the domain refused
// (the checks the forms make first leave what only the domain knows:
// incomes a fee depends on, versions in effect, lines).
func domainMessage(l *Lang, field string) string {
	switch {
	case field == "household.gross_income":
		return l.T("estimates.error.needs_gross")
	case field == "household.net_income":
		return l.T("estimates.error.needs_net")
	case field == "household.spouse.net_income":
		return l.T("estimates.error.needs_spouse_net")
	case field == "household.size":
		return l.T("estimates.error.size_beyond_table")
	case field == "income_catalogue":
		return l.T("estimates.error.needs_income_catalogue")
	case field == "pricing_date":
		return l.T("estimates.error.no_version")
	case field == "tariff":
		return l.T("estimates.error.tariff")
	case field == "lines":
		return l.T("estimates.error.no_lines")
	case field == "mode":
		return l.T("estimates.error.mode_unpriced")
	case field == "frequency":
		return l.T("estimates.error.frequency")
	case field == "service":
		return l.T("estimates.error.service")
	case field == "quantity":
		return quantityMessage(l)
	case field == "provider_price":
		return l.T("estimates.error.provider_price")
	case field == "decision_number":
		return l.T("estimates.error.decision_number")
	case field == "decision_date", field == "effective_from":
		return l.T("error.date")
	case field == "not_presented_reason":
		return l.T("estimates.error.not_presented_reason")
	case field == "reason":
		return l.T("estimates.error.reason")
	case strings.HasPrefix(field, "lines["):
		return l.T("estimates.error.line_of_estimate")
	}
	return l.T("error.invalid")
}
