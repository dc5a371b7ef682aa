package projections_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// readModel opens the read-model file at path beside the projections, to
// look at its tables.
func readModel(t *testing.T, path string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// leaks returns where in the read model, outside the *_personal tables, a
// column is named client_ref or household or a value holds one of the texts.
func leaks(t *testing.T, db *sql.DB, texts ...string) []string {
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	must(t, err)
	var tables, out []string
	for rows.Next() {
		var name string
		must(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	must(t, rows.Err())
	rows.Close()
	for _, table := range tables {
		if strings.HasSuffix(table, "_personal") {
			continue
		}
		rs, err := db.Query(`SELECT * FROM ` + table)
		must(t, err)
		cols, _ := rs.Columns()
		for _, c := range cols {
			if c == "client_ref" || c == "household" {
				out = append(out, table+"."+c)
			}
		}
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rs.Scan(ptrs...))
			for i, v := range vals {
				for _, s := range texts {
					if strings.Contains(fmt.Sprint(v), s) {
						out = append(out, fmt.Sprintf("%s.%s holds %q", table, cols[i], s))
					}
				}
			}
		}
		rs.Close()
	}
	return out
}

// The client reference and household sit in the *_personal tables only, and
// the queries still answer with them and filter by the client.
func TestPersonalDataInPersonalTablesOnly(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "read.db")
	f.open(t, path)
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "PERS-REF-1"))
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D-P", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"})
	must(t, err)
	f.catchUp(t)
	if l := leaks(t, readModel(t, path), "PERS-REF-1", `"gross_income"`); len(l) > 0 {
		t.Errorf("personal data outside the personal tables: %v", l)
	}
	list, err := f.est.Estimates(ctx, projections.EstimateFilter{ClientRef: "PERS-REF-1"})
	must(t, err)
	d, err := f.est.Estimate(ctx, id)
	must(t, err)
	rec, err := f.set.Decision(ctx, id)
	must(t, err)
	if len(list) != 1 || list[0].ClientRef != "PERS-REF-1" || d.ClientRef != "PERS-REF-1" || d.Household.Gross() != money(t, "1800") || rec.ClientRef != "PERS-REF-1" {
		t.Errorf("list %+v, detail %q %+v, decision %q", list, d.ClientRef, d.Household, rec.ClientRef)
	}
	none, err := f.est.Estimates(ctx, projections.EstimateFilter{ClientRef: "PERS-REF-2"})
	must(t, err)
	if len(none) != 0 {
		t.Errorf("another client's list: %+v", none)
	}
}

// A read model of the versions that kept the client beside the other columns
// is rebuilt at start: its tables are made again, without those columns.
func TestOldReadModelIsRebuilt(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, domain.NewID(), homeCareCase(t, "NEW-REF"))
	must(t, err)
	path := filepath.Join(t.TempDir(), "old.db")
	old := readModel(t, path)
	for _, stmt := range []string{
		`CREATE TABLE checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
		`INSERT INTO checkpoints VALUES ('estimates', 1, 1, 1, 0), ('decisions', 2, 1, 1, 0)`,
		// estimates version 1 and decisions version 2, as they were.
		`CREATE TABLE estimates (id TEXT PRIMARY KEY, status TEXT NOT NULL, client_ref TEXT NOT NULL, maple INTEGER NOT NULL, segment TEXT NOT NULL,
			tariff_id TEXT NOT NULL, tariff_version INTEGER NOT NULL, income_id TEXT NOT NULL, income_version INTEGER NOT NULL,
			pricing_date TEXT NOT NULL, line_count INTEGER NOT NULL, m_gross INTEGER NOT NULL, m_fee INTEGER NOT NULL, m_net INTEGER NOT NULL,
			o_gross INTEGER NOT NULL, o_fee INTEGER NOT NULL, o_net INTEGER NOT NULL, y_gross INTEGER NOT NULL, y_fee INTEGER NOT NULL, y_net INTEGER NOT NULL,
			decision_number TEXT NOT NULL, decision_date TEXT NOT NULL, effective_from TEXT NOT NULL,
			revision_of TEXT NOT NULL, superseded_by TEXT NOT NULL, revisions TEXT NOT NULL, cancel_reason TEXT NOT NULL,
			household TEXT NOT NULL, pricing_version INTEGER NOT NULL, opened_at INTEGER NOT NULL, opened_date TEXT NOT NULL,
			updated_at INTEGER NOT NULL, decided_at INTEGER NOT NULL, version INTEGER NOT NULL, commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL)`,
		`CREATE INDEX estimates_client ON estimates(client_ref)`,
		`INSERT INTO estimates (id, status, client_ref, maple, segment, tariff_id, tariff_version, income_id, income_version, pricing_date,
			line_count, m_gross, m_fee, m_net, o_gross, o_fee, o_net, y_gross, y_fee, y_net, decision_number, decision_date, effective_from,
			revision_of, superseded_by, revisions, cancel_reason, household, pricing_version, opened_at, opened_date, updated_at, decided_at,
			version, commit_pos, prepare_pos)
			VALUES ('x', 'draft', 'OLD-REF', 3, 'continuous', 'phhva', 1, '', 0, '2025-03-01', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '',
			'', '', '[]', '', '{}', -1, 0, '2025-03-01', 0, 0, 0, 1, 1)`,
		`CREATE TABLE decision_clients (estimate_id TEXT PRIMARY KEY, client_ref TEXT NOT NULL, maple INTEGER NOT NULL, segment TEXT NOT NULL)`,
		`INSERT INTO decision_clients VALUES ('x', 'OLD-REF', 3, 'continuous')`,
		`CREATE TABLE decisions (estimate_id TEXT PRIMARY KEY, decision_number TEXT NOT NULL,
			decision_date TEXT NOT NULL, effective_from TEXT NOT NULL, pricing_date TEXT NOT NULL,
			client_ref TEXT NOT NULL, maple INTEGER NOT NULL, segment TEXT NOT NULL,
			tariff_id TEXT NOT NULL, tariff_version INTEGER NOT NULL, income_id TEXT NOT NULL, income_version INTEGER NOT NULL,
			cat_commit INTEGER NOT NULL, cat_prepare INTEGER NOT NULL, m_gross INTEGER NOT NULL, m_fee INTEGER NOT NULL, m_net INTEGER NOT NULL,
			o_gross INTEGER NOT NULL, o_fee INTEGER NOT NULL, o_net INTEGER NOT NULL, y_gross INTEGER NOT NULL, y_fee INTEGER NOT NULL, y_net INTEGER NOT NULL,
			actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, decided_at INTEGER NOT NULL,
			commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL, event_version INTEGER NOT NULL)`,
	} {
		_, err := old.Exec(stmt)
		must(t, err)
	}
	f.open(t, path)
	f.catchUp(t)
	if l := leaks(t, readModel(t, path), "OLD-REF", "NEW-REF"); len(l) > 0 {
		t.Errorf("the old read model is left: %v", l)
	}
	list, err := f.est.Estimates(ctx, projections.EstimateFilter{ClientRef: "NEW-REF"})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("rebuilt list: %+v", list)
	}
}
