package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Hint codes: the stable names of the eligibility hints, which a reader can
// turn into a message in any language.
const (
	// HintMinMaple: the client's MAPLe level is below the level the service
	// is usually granted from. Threshold is that level, Value the client's.
	HintMinMaple = "min_maple"
	// HintMaxGrossIncome: the household's gross monthly income is above what
	// the service is usually granted up to. Threshold is that income, Value
	// the household's (personal data).
	HintMaxGrossIncome = "max_gross_income"
)

// Hint is an eligibility hint for a line (never a rule): a stable code, the
// catalogue's threshold, the case's figure compared with it, and the hint
// in English.
type Hint struct {
	LineID    string `json:"line_id"`
	Service   string `json:"service"`
	Code      string `json:"code"`
	Threshold string `json:"threshold"`
	Value     string `json:"value"`
	Message   string `json:"message"`
}

func newHint(lineID, service, code, threshold, value string) Hint {
	return Hint{LineID: lineID, Service: service, Code: code, Threshold: threshold, Value: value,
		Message: hintMessage(code, threshold, value)}
}

// hintMessage is the English text of a hint.
func hintMessage(code, threshold, value string) string {
	switch code {
	case HintMinMaple:
		return fmt.Sprintf("usually granted from MAPLe %s; the client is MAPLe %s", threshold, value)
	case HintMaxGrossIncome:
		return fmt.Sprintf("usually granted up to a gross income of %s EUR a month; the household has %s EUR", threshold, value)
	}
	return ""
}

// personalValue reports whether the hint's value is personal data: every
// value but the MAPLe level, a code this build does not know included.
func (h Hint) personalValue() bool { return h.Code != HintMinMaple }

// hintFromMessage reads the code, threshold and value back from a message
// of the two kinds schema 1 recorded (which kept only the text); ok is false
// for any other text.
func hintFromMessage(h Hint) (Hint, bool) {
	var code, threshold, value string
	if rest, found := strings.CutPrefix(h.Message, "usually granted from MAPLe "); found {
		code = HintMinMaple
		threshold, value, found = strings.Cut(rest, "; the client is MAPLe ")
		if _, err := strconv.Atoi(threshold); err != nil || !found {
			return h, false
		}
	} else if rest, found := strings.CutPrefix(h.Message, "usually granted up to a gross income of "); found {
		code = HintMaxGrossIncome
		threshold, value, found = strings.Cut(rest, " EUR a month; the household has ")
		value, _ = strings.CutSuffix(value, " EUR")
		if !found {
			return h, false
		}
	}
	if code == "" || hintMessage(code, threshold, value) != h.Message {
		return h, false
	}
	h.Code, h.Threshold, h.Value = code, threshold, value
	return h, true
}
