package admin

// loginText is every word of the sign-in pages in one language. A test
// checks that no field is left empty in either.
type loginText struct {
	Lang, OtherLang, OtherLangName string
	Title, Intro                   string
	Name, Password, Submit         string
	Or, ProviderButton             string // ProviderButton: "Sign in with %s"
	ProblemTitle                   string
	SignedInAs, Roles, SignOut     string
	Continue                       string
	// Messages beside the fields and in the summary.
	// Limited holds %s for the wait ("15 min", "30 s").
	MissingName, MissingPassword, Wrong, Expired, Limited string
	ProviderFailed, ProviderNoRole, LocalAccount          string
	SignedOut                                             string
}

var texts = map[string]*loginText{
	"fi": {
		Lang: "fi", OtherLang: "en", OtherLangName: "In English",
		Title: "Kirjaudu carecostiin", Intro: "Kirjaudu sisään käyttäjätunnuksellasi ja salasanallasi.",
		Name: "Käyttäjätunnus", Password: "Salasana", Submit: "Kirjaudu",
		Or: "tai", ProviderButton: "Kirjaudu palvelulla %s",
		ProblemTitle: "Kirjautuminen ei onnistunut",
		SignedInAs:   "Olet kirjautunut käyttäjänä", Roles: "Roolit", SignOut: "Kirjaudu ulos",
		Continue:        "Jatka carecostiin",
		MissingName:     "Kirjoita käyttäjätunnus.",
		MissingPassword: "Kirjoita salasana.",
		Wrong:           "Käyttäjätunnus tai salasana on väärin.",
		Expired:         "Lomake vanheni tai ei tullut carecostista. Kirjaudu uudelleen.",
		Limited:         "Liian monta epäonnistunutta kirjautumista. Yritä uudelleen %s kuluttua.",
		ProviderFailed:  "Kirjautuminen tunnistuspalvelun kautta ei onnistunut. Yritä uudelleen.",
		ProviderNoRole:  "Tunnuksellasi ei ole roolia carecostissa. Ota yhteyttä pääkäyttäjään.",
		LocalAccount:    "Tällä tunnuksella kirjaudutaan salasanalla, ei tunnistuspalvelun kautta.",
		SignedOut:       "Olet kirjautunut ulos.",
	},
	"en": {
		Lang: "en", OtherLang: "fi", OtherLangName: "Suomeksi",
		Title: "Sign in to carecost", Intro: "Sign in with your user name and password.",
		Name: "User name", Password: "Password", Submit: "Sign in",
		Or: "or", ProviderButton: "Sign in with %s",
		ProblemTitle: "You could not be signed in",
		SignedInAs:   "You are signed in as", Roles: "Roles", SignOut: "Sign out",
		Continue:        "Continue to carecost",
		MissingName:     "Enter your user name.",
		MissingPassword: "Enter your password.",
		Wrong:           "The user name or password is wrong.",
		Expired:         "The form expired or did not come from carecost. Sign in again.",
		Limited:         "Too many failed sign-ins. Try again in %s.",
		ProviderFailed:  "Signing in through the identity provider failed. Try again.",
		ProviderNoRole:  "Your account has no role in carecost. Ask an administrator.",
		LocalAccount:    "This account signs in with its password, not through the identity provider.",
		SignedOut:       "You are signed out.",
	},
}

// defaultLang is the language of a person who chose none.
const defaultLang = "fi"

// langCookie remembers the language a person chose.
const langCookie = "carecost_lang"

// flash codes: a sign-in failure shown once on the next page, with the
// field it concerns ("" for the form as a whole).
var flashes = map[string]struct {
	field string
	text  func(*loginText) string
}{
	"missing_name":     {"name", func(t *loginText) string { return t.MissingName }},
	"missing_password": {"password", func(t *loginText) string { return t.MissingPassword }},
	"wrong":            {"password", func(t *loginText) string { return t.Wrong }},
	"expired":          {"", func(t *loginText) string { return t.Expired }},
	"limited":          {"", func(t *loginText) string { return t.Limited }}, // %s: the wait
	"provider_failed":  {"", func(t *loginText) string { return t.ProviderFailed }},
	"provider_no_role": {"", func(t *loginText) string { return t.ProviderNoRole }},
	"local_account":    {"", func(t *loginText) string { return t.LocalAccount }},
}
