package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// A day of use by several users against a running carecost: the usage
// metrics count what was done, from the log. The demo's history is counted
// as the log holds it; a restart and a rebuild of the usage projection
// change nothing.
func TestUsageMetricsCountADayOfUse(t *testing.T) {
	data := t.TempDir()
	cfg := config{data: data, addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second, usageEvery: 100 * time.Millisecond}
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), cfg, quiet)
	must(t, err)
	a := s.client(t)

	// The demo's history is counted: each metric equals the events of its
	// kind in the log.
	inLog := logCounts(t, s.store)
	base := scrape(t, a)
	for series, n := range map[string]int{
		"carecost_estimates_opened_total":    inLog[domain.EvEstimateOpened],
		"carecost_estimates_presented_total": inLog[domain.EvEstimatePresented],
		"carecost_estimates_cancelled_total": inLog[domain.EvEstimateCancelled],
		"carecost_estimates_revised_total":   inLog[domain.EvEstimateRevised],
		"carecost_decisions_total":           inLog[domain.EvEstimateDecided],
	} {
		if n == 0 {
			t.Errorf("the demo history has no %s", series)
		}
		if got := base.sum(series); got != float64(n) {
			t.Errorf("demo history: %s = %v, the log has %d", series, got, n)
		}
	}

	// The day: two case managers of two teams, a controller.
	anna := a.as("anna", "north", domain.RoleCaseManager)
	bert := a.as("bert", "south", domain.RoleCaseManager)
	ville := a.as("ville", "north", domain.RoleController)
	services := []string{"meal-service", "regular-home-care", "safety-phone", "cleaning"}
	want := map[string]float64{}
	var decided, annas []string
	const estimates = 120
	for i := range estimates {
		who := anna
		if i%3 == 1 {
			who = bert
		}
		svc := services[i%len(services)]
		mode := "own"
		if svc == "cleaning" {
			mode = "voucher"
		}
		var est struct {
			ID string `json:"id"`
		}
		a.do("POST", "/api/v1/estimates", fmt.Sprintf(`{"client_ref":"U-%d","maple":%d,"segment":"continuous","tariff":"phhva","income_catalogue":"statutory",
			"pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1800.00","net_income":"1500.00"},
			"lines":[{"service":%q,"mode":%q,"quantity":5,"frequency":"month"}]}`, i, 1+i%5, svc, mode), who...).want(t, http.StatusCreated).into(t, &est)
		want["opened"]++
		want["lines "+svc+"/"+mode]++
		path := "/api/v1/estimates/" + est.ID
		if i%2 == 0 {
			a.do("POST", path+"/lines", `{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}`, who...).want(t, http.StatusCreated)
			want["lines meal-service/own"]++
		}
		if i%6 == 5 {
			a.do("POST", path+"/cancel", `{"reason":"moved away"}`, who...).want(t, http.StatusOK)
			want["cancelled"]++
			continue
		}
		if i%3 != 2 {
			a.do("POST", path+"/present", "", who...).want(t, http.StatusOK)
			want["presented"]++
		}
		if i%2 == 0 {
			presented := ""
			if i%3 == 2 {
				presented = `, "presented": false, "not_presented_reason": "decided at the meeting"`
			}
			a.do("POST", path+"/decide", `{"decision_number":"U-`+strconv.Itoa(i)+`","decision_date":"`+todayText()+`","effective_from":"2026-03-01"`+presented+`}`, who...).
				want(t, http.StatusOK)
			want["decisions "+strconv.Itoa(1+i%5)]++
			decided = append(decided, est.ID)
			if i%3 != 1 {
				annas = append(annas, est.ID)
			}
		}
	}
	for i, id := range decided[:10] {
		a.do("GET", "/api/v1/estimates/"+id+"/whatif?tariff_version=1", nil, ville...).want(t, http.StatusOK)
		want["whatifs"]++
		if i < 3 {
			a.do("POST", "/api/v1/estimates/"+annas[i]+"/revise", `{}`, anna...).want(t, http.StatusCreated)
			want["revised"]++
			want["opened"]++
		}
	}
	for range 25 {
		a.do("POST", "/api/v1/quote", `{"maple":3,"tariff":"phhva","household":{"size":1},"lines":[{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}]}`, bert...).
			want(t, http.StatusOK)
		want["quotes"]++
	}

	check := func(when string, m metricsText) {
		t.Helper()
		for _, c := range []struct {
			name, series string
			labels       []string
		}{
			{"opened", "carecost_estimates_opened_total", nil},
			{"presented", "carecost_estimates_presented_total", nil},
			{"cancelled", "carecost_estimates_cancelled_total", nil},
			{"revised", "carecost_estimates_revised_total", nil},
			{"quotes", "carecost_quotes_total", []string{`kind="quote"`}},
			{"whatifs", "carecost_quotes_total", []string{`kind="whatif"`}},
		} {
			if got := m.sum(c.series, c.labels...) - base.sum(c.series, c.labels...); got != want[c.name] {
				t.Errorf("%s: %s %v grew by %v, the day did %v", when, c.series, c.labels, got, want[c.name])
			}
		}
		for _, svc := range services {
			for _, mode := range []string{"own", "voucher"} {
				l := []string{`service="` + svc + `"`, `mode="` + mode + `"`}
				if got := m.sum("carecost_estimate_lines_added_total", l...) - base.sum("carecost_estimate_lines_added_total", l...); got != want["lines "+svc+"/"+mode] {
					t.Errorf("%s: lines %s/%s grew by %v, the day added %v", when, svc, mode, got, want["lines "+svc+"/"+mode])
				}
			}
		}
		for level := 1; level <= 5; level++ {
			l := []string{`maple="` + strconv.Itoa(level) + `"`, `segment="continuous"`}
			if got := m.sum("carecost_decisions_total", l...) - base.sum("carecost_decisions_total", l...); got != want["decisions "+strconv.Itoa(level)] {
				t.Errorf("%s: decisions at MAPLe %d grew by %v, the day decided %v", when, level, got, want["decisions "+strconv.Itoa(level)])
			}
		}
		if got := m.sum("carecost_estimate_lead_time_seconds_count") - base.sum("carecost_estimate_lead_time_seconds_count"); got != float64(len(decided)) {
			t.Errorf("%s: lead times grew by %v, the day decided %d", when, got, len(decided))
		}
		for role, n := range map[string]float64{"case_manager": 2, "controller": 1} {
			if got := m.sum("carecost_active_users", `role="`+role+`"`, `window="24h"`); got < n {
				t.Errorf("%s: active %s users %v, want at least %v", when, role, got, n)
			}
		}
	}
	// Quotes and what-ifs are in the log once the tally is recorded.
	var day metricsText
	for deadline := time.Now().Add(10 * time.Second); ; {
		day = scrape(t, a)
		if day.sum("carecost_quotes_total", `kind="quote"`)-base.sum("carecost_quotes_total", `kind="quote"`) == want["quotes"] || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	check("after the day", day)

	// A restart: the counters keep their totals.
	must(t, s.stop())
	s, err = startServer(context.Background(), cfg, quiet)
	must(t, err)
	check("after a restart", scrape(t, s.client(t)))
	// A rebuild of the usage projection counts the same.
	must(t, s.stop())
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"rebuild", "--data", data, "usage"}); code != 0 {
		t.Fatalf("rebuild usage: exit %d: %s", code, out.String())
	}
	s = startTestServerWith(t, cfg)
	check("after a rebuild", scrape(t, s.client(t)))
}

// logCounts counts the events of the log by type.
func logCounts(t *testing.T, store domain.EventStore) map[string]int {
	t.Helper()
	n := map[string]int{}
	var after domain.Position
	for {
		evs, err := store.ReadAll(context.Background(), domain.ReadAllOptions{After: after, Limit: 1000})
		must(t, err)
		for _, e := range evs {
			n[e.Type]++
			after = e.Position
		}
		if len(evs) < 1000 {
			return n
		}
	}
}

// metricsText is a scrape of /metrics, as lines.
type metricsText []string

func scrape(t *testing.T, a *api) metricsText {
	t.Helper()
	r := a.do("GET", "/metrics", nil).want(t, http.StatusOK)
	var m metricsText
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			m = append(m, line)
		}
	}
	return m
}

// sum adds the values of the series of name whose labels include every
// one given (name="value").
func (m metricsText) sum(name string, labels ...string) float64 {
	var total float64
	for _, line := range m {
		series, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		metric, rest, _ := strings.Cut(series, "{")
		if metric != name {
			continue
		}
		all := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err == nil {
			total += v
		}
	}
	return total
}
