package admin

import (
	"fmt"

	"carecost/domain"
)

// formatCharMessage is the message of a free-text field whose text holds
// an invisible formatting character (domain.FormatCharacter: a mark or an
// override of the text's direction, a zero-width character), naming the
// field by its label and the character; "" when it holds none. Every
// free-text field of the console checks it first, as the domain's
// CheckText refuses such text for the API.
func formatCharMessage(l *Lang, label, v string) string {
	r, found := domain.FormatCharacter(v)
	if !found {
		return ""
	}
	return l.T("error.format_char", "field", label, "char", fmt.Sprintf("U+%04X", r))
}
