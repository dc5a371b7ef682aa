package admin_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"carecost/domain"
)

// readCSV reads an audit CSV file back as Finnish Excel would: UTF-8 after
// a byte order mark, semicolons between the fields.
func readCSV(t *testing.T, r response) [][]string {
	t.Helper()
	r.wantStatus(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	body, ok := bytes.CutPrefix(r.body, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no byte order mark: % x", r.body[:min(8, len(r.body))])
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// column returns the value of the column named name in row.
func column(t *testing.T, header, row []string, name string) string {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, header)
	}
	return row[i]
}

var finnishDecimal = regexp.MustCompile(`^\d+,\d\d$`)

// The decision list and a decision's lines download as CSV for Finnish
// Excel: a header row in the person's language, decimal commas, dates as
// 1.7.2026; read back, the values are the decision's.
func TestAuditCSV(t *testing.T) {
	pe := newProjectedEnv(t)
	id := pe.decided("D-100")
	other := pe.decidedCase("D-2", strings.Replace(cleaningCase, `"B-7"`, `"=HYPERLINK(1)"`, 1))
	ville := pe.signedIn("ville")

	r := pe.page(ville, "/decisions.csv?segment=continuous")
	if cd := r.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="paatokset-\d{4}-\d\d-\d\d\.csv"$`).MatchString(cd) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows := readCSV(t, r)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want the header and one decision: %q", len(rows), rows)
	}
	h, row := rows[0], rows[1]
	if h[0] != "Päätösnumero" || len(h) != len(row) {
		t.Errorf("header %q, row %q", h, row)
	}
	for name, want := range map[string]string{"Päätösnumero": "D-100", "Päätöspäivä": fiDay(0), "Voimassa alkaen": "1.4.2025",
		"Hinnoittelupäivä": "1.3.2025", "Asiakas": "A-123", "MAPLe": "3", "Palvelutarve": "jatkuva palvelutarve", "Hinnasto": "phhva",
		"Hinnaston versio": "1", "Asiakasmaksu / kk": "406,55", "Hyvinvointialueen bruttokustannus / kk": "1452,33", "Hyvinvointialueen nettokustannus / kk": "1045,78",
		"Asiakasmaksu / vuosi": "4878,60", "Päätöksen kirjannut": "anna", "Voimassa": "kyllä", "Myöhempi versio hinnoittelupäivänä": "ei", "Arvion tunniste": id} {
		if got := column(t, h, row, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := column(t, h, row, "Kirjattu"); !regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4} \d\d:\d\d$`).MatchString(got) {
		t.Errorf("Kirjattu = %q", got)
	}

	// The whole list, in English: a client reference a spreadsheet would
	// take for a formula stays text.
	rows = readCSV(t, pe.page(ville, "/decisions.csv?lang=en"))
	if len(rows) != 3 || rows[0][0] != "Decision number" {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[1:] {
		if column(t, rows[0], row, "Estimate id") == other && column(t, rows[0], row, "Client") != "'=HYPERLINK(1)" {
			t.Errorf("a formula in a cell: %q", row)
		}
	}

	// A decision's lines, with the price and rule parameters each used.
	r = pe.page(ville, "/decisions/"+id+"/lines.csv?lang=fi")
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="paatos-D-100-rivit.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows = readCSV(t, r)
	rec, err := pe.set.Decision(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var q domain.Quote
	if err := json.Unmarshal(rec.Quote, &q); err != nil {
		t.Fatal(err)
	}
	h = rows[0]
	wantHeader := []string{"Päätösnumero", "Hinnasto", "Hinnaston versio", "Palvelun tunniste", "Palvelu", "Tuotantotapa", "Maksusääntö", "Yksikkö",
		"Määrä", "Jakso", "Yksiköitä / kk", "Yksikkökustannus", "Maksu / yksikkö", "Palvelusetelin omavastuu / yksikkö", "Tuloporras",
		"Maksusäännön parametrit", "Hyvinvointialueen bruttokustannus", "Asiakasmaksu", "Palvelusetelin omavastuu", "Hyvinvointialueen nettokustannus"}
	if !slices.Equal(h, wantHeader) || len(rows) != 1+len(q.Lines) {
		t.Fatalf("header %q, %d rows for %d lines", h, len(rows), len(q.Lines))
	}
	dec := func(m domain.Money) string { return strings.Replace(m.String(), ".", ",", 1) }
	for i, ln := range q.Lines {
		row := rows[1+i]
		for name, want := range map[string]string{"Päätösnumero": "D-100", "Palvelun tunniste": ln.Service, "Yksikkökustannus": dec(ln.UnitCost),
			"Hyvinvointialueen bruttokustannus": dec(ln.CountyGross), "Asiakasmaksu": dec(ln.ClientFee), "Hyvinvointialueen nettokustannus": dec(ln.CountyNet),
			"Määrä": strings.Replace(ln.Quantity.String(), ".", ",", 1), "Yksiköitä / kk": strings.Replace(ln.UnitsPerMonth, ".", ",", 1)} {
			if got := column(t, h, row, name); got != want {
				t.Errorf("line %d: %s = %q, want %q", i, name, got, want)
			}
		}
		for _, name := range []string{"Yksikkökustannus", "Hyvinvointialueen bruttokustannus", "Asiakasmaksu", "Hyvinvointialueen nettokustannus"} {
			if v := column(t, h, row, name); !finnishDecimal.MatchString(v) {
				t.Errorf("line %d: %s = %q is not a number Finnish Excel reads", i, name, v)
			}
		}
	}
	if got := column(t, h, rows[1], "Palvelu"); got != "Säännöllinen kotihoito" {
		t.Errorf("first line's service %q", got)
	}
	if got := column(t, h, rows[2], "Maksu / yksikkö"); got != "5,00" {
		t.Errorf("meal fee per unit %q", got)
	}
	if en := readCSV(t, pe.page(ville, "/decisions/"+id+"/lines.csv?lang=en")); en[0][4] != "Service" || en[1][4] != "Regular home care" {
		t.Errorf("English lines: %q", en[:2])
	}
	// Personal data never reaches the log.
	if log := pe.log.String(); strings.Contains(log, "A-123") || strings.Contains(log, "HYPERLINK") {
		t.Errorf("the log holds a client reference")
	}
}
