package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"
)

// The alert rules, their unit tests, Prometheus's configurations and the
// Grafana dashboard are held to promtool and to the metrics carecost
// serves: a broken expression, a metric renamed or an alert without a
// test fails here.

var (
	rulesDir      = filepath.Join(deployDir, "prometheus", "rules")
	dashboardFile = filepath.Join(deployDir, "grafana", "dashboards", "carecost.json")
)

// pendingMetrics are the metrics the rules and the dashboard use that
// carecost does not serve yet. The test tolerates them (it logs each); a
// name here that carecost serves fails the test: take it out of the list.
var pendingMetrics = []string{}

// scrapeMetrics are series Prometheus makes itself for every target.
var scrapeMetrics = []string{"up"}

// promtool returns the path of promtool; a missing promtool fails the test
// (never a skip): .ci/setup installs it.
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool is not installed: run .ci/setup (it installs Debian's prometheus package)")
	}
	return p
}

// runPromtool runs promtool with args (and stdin when not nil) and fails
// the test when it exits non-zero.
func runPromtool(t *testing.T, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command(promtool(t), args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ruleFiles returns the alert rule files (not their tests).
func ruleFiles(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(rulesDir, "*.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	files := slices.DeleteFunc(all, func(f string) bool { return strings.HasSuffix(f, ".test.yml") })
	if len(files) == 0 {
		t.Fatal("no rule files under deploy/prometheus/rules")
	}
	return files
}

type ruleGroups struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Record      string            `yaml:"record"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestDeployPromtool(t *testing.T) {
	files := ruleFiles(t)
	t.Run("check rules", func(t *testing.T) {
		runPromtool(t, nil, append([]string{"check", "rules"}, files...)...)
	})
	t.Run("test rules", func(t *testing.T) {
		tests, _ := filepath.Glob(filepath.Join(rulesDir, "*.test.yml"))
		if len(tests) == 0 {
			t.Fatal("no rule tests under deploy/prometheus/rules")
		}
		runPromtool(t, nil, append([]string{"test", "rules"}, tests...)...)
	})
	t.Run("check config", func(t *testing.T) {
		configs, _ := filepath.Glob(filepath.Join(deployDir, "prometheus", "*.yml"))
		if len(configs) < 3 {
			t.Fatalf("Prometheus configurations: %v", configs)
		}
		for _, c := range configs {
			runPromtool(t, nil, "check", "config", c)
		}
	})
}

// Every rule file is loaded by the tests, and every alert has a test where
// it fires and one where it does not; every alert says how bad it is and
// what to do.
func TestDeployEveryAlertIsTested(t *testing.T) {
	tests, _ := filepath.Glob(filepath.Join(rulesDir, "*.test.yml"))
	loaded := map[string]bool{}
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, path := range tests {
		var f struct {
			RuleFiles []string `yaml:"rule_files"`
			Tests     []struct {
				AlertRuleTest []struct {
					Alertname string `yaml:"alertname"`
					ExpAlerts []any  `yaml:"exp_alerts"`
				} `yaml:"alert_rule_test"`
			} `yaml:"tests"`
		}
		readYAML(t, path, &f)
		for _, r := range f.RuleFiles {
			loaded[filepath.Join(filepath.Dir(path), r)] = true
		}
		for _, tc := range f.Tests {
			for _, a := range tc.AlertRuleTest {
				if len(a.ExpAlerts) > 0 {
					fires[a.Alertname] = true
				} else {
					quiet[a.Alertname] = true
				}
			}
		}
	}
	severities := []string{"critical", "warning", "info"}
	for _, path := range ruleFiles(t) {
		if !loaded[path] {
			t.Errorf("%s: no rule test loads it", path)
		}
		var g ruleGroups
		readYAML(t, path, &g)
		for _, grp := range g.Groups {
			for _, r := range grp.Rules {
				if r.Alert == "" {
					continue
				}
				if !fires[r.Alert] || !quiet[r.Alert] {
					t.Errorf("%s: alert %s has no test where it fires (%v) or none where it stays quiet (%v)", path, r.Alert, fires[r.Alert], quiet[r.Alert])
				}
				if !slices.Contains(severities, r.Labels["severity"]) {
					t.Errorf("%s: alert %s has severity %q, not one of %v", path, r.Alert, r.Labels["severity"], severities)
				}
				if r.Annotations["summary"] == "" || len(r.Annotations["description"]) < 80 {
					t.Errorf("%s: alert %s needs a summary and a description that says what to do", path, r.Alert)
				}
				if !strings.Contains(r.Expr, `job="carecost"`) {
					t.Errorf("%s: alert %s does not select job=\"carecost\": %s", path, r.Alert, r.Expr)
				}
			}
		}
	}
}

// The PrometheusRules of deploy/k8s carry the rule files' groups exactly:
// PrometheusRule NAME those of NAME.rules.yml.
func TestDeployPrometheusRuleMatchesTheRuleFiles(t *testing.T) {
	want := map[string][]any{}
	for _, path := range ruleFiles(t) {
		var f struct {
			Groups []any `yaml:"groups"`
		}
		readYAML(t, path, &f)
		want[strings.TrimSuffix(filepath.Base(path), ".rules.yml")] = f.Groups
	}
	raw, err := os.ReadFile(filepath.Join(deployDir, "k8s", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]any{}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var pr struct {
			APIVersion string  `yaml:"apiVersion"`
			Kind       string  `yaml:"kind"`
			Metadata   k8sMeta `yaml:"metadata"`
			Spec       struct {
				Groups []any `yaml:"groups"`
			} `yaml:"spec"`
		}
		err := dec.Decode(&pr)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("deploy/k8s/prometheusrule.yaml: %v", err)
		}
		if pr.APIVersion != "monitoring.coreos.com/v1" || pr.Kind != "PrometheusRule" {
			t.Errorf("deploy/k8s/prometheusrule.yaml holds %s %s", pr.APIVersion, pr.Kind)
		}
		got[pr.Metadata.Name] = pr.Spec.Groups
	}
	for name, groups := range want {
		if !reflect.DeepEqual(got[name], groups) {
			t.Errorf("deploy/k8s/prometheusrule.yaml: PrometheusRule %s differs from deploy/prometheus/rules/%s.rules.yml: copy its groups into spec.groups", name, name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("deploy/k8s/prometheusrule.yaml has PrometheusRules %v; the rule files are %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
}

// grafanaVariables stand for the dashboard's variables in its expressions,
// so that the expressions parse as Prometheus sees them.
var grafanaVariables = strings.NewReplacer(
	"$__rate_interval", "5m", "${__rate_interval}", "5m",
	"$__interval", "1m", "${__interval}", "1m",
	"$__range", "1d", "${__range}", "1d",
	"$instance", ".*", "${instance}", ".*",
)

var labelValues = regexp.MustCompile(`^label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$`)

// dashboardExpressions returns every PromQL expression of the dashboard:
// its panels' queries and its variables' label_values(...) queries.
func dashboardExpressions(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID        string      `json:"uid"`
		Panels     []dashPanel `json:"panels"`
		Templating struct {
			List []struct {
				Name  string          `json:"name"`
				Type  string          `json:"type"`
				Query json.RawMessage `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	exprs := map[string]string{}
	var walk func([]dashPanel)
	walk = func(ps []dashPanel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				exprs["panel "+p.Title+" "+tg.RefID] = tg.Expr
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		var s string
		if json.Unmarshal(v.Query, &s) != nil {
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Fatalf("variable %s: %v", v.Name, err)
			}
			s = q.Query
		}
		m := labelValues.FindStringSubmatch(s)
		if m == nil {
			t.Errorf("variable %s: %q is not label_values(EXPR, LABEL)", v.Name, s)
			continue
		}
		exprs["variable "+v.Name] = m[1]
	}
	if len(exprs) < 20 {
		t.Fatalf("the dashboard has %d expressions", len(exprs))
	}
	return exprs
}

type dashPanel struct {
	Title   string `json:"title"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []dashPanel `json:"panels"`
}

// ruleExpressions returns every expression of the rule files.
func ruleExpressions(t *testing.T) map[string]string {
	exprs := map[string]string{}
	for _, path := range ruleFiles(t) {
		var g ruleGroups
		readYAML(t, path, &g)
		for _, grp := range g.Groups {
			for _, r := range grp.Rules {
				exprs[filepath.Base(path)+" "+r.Alert+r.Record+" "+r.Labels["severity"]] = r.Expr
			}
		}
	}
	return exprs
}

// metricNames parses expr with Prometheus's own parser and returns the
// metric names it selects.
func metricNames(expr string) ([]string, error) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVariables.Replace(expr))
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			for _, m := range vs.LabelMatchers {
				if m.Name == model.MetricNameLabel {
					name = m.Value
				}
			}
			names = append(names, name)
		}
		return nil
	})
	return names, nil
}

// A broken expression is caught by the parser, and names are found
// however they are written.
func TestDeployMetricNamesOfAnExpression(t *testing.T) {
	names, err := metricNames(`sum by (le) (rate(a_bucket{instance=~"$instance"}[$__rate_interval])) / on() group_left {__name__="b"} and absent(c)`)
	if err != nil || !slices.Equal(names, []string{"a_bucket", "b", "c"}) {
		t.Errorf("names %v, %v", names, err)
	}
	if _, err := metricNames(`sum(rate(x[5m])`); err == nil {
		t.Error("an unclosed parenthesis parsed")
	}
}

// Every metric the rules and the dashboard use is one carecost serves
// (after a little work: an estimate opened, priced, presented and decided,
// a quote, a what-if, a conflict, a repeat, a bad request, a projection
// stopped and its event skipped, a backup), and
// promtool finds nothing wrong with what it serves.
func TestDeployMetricsExistInTheProgram(t *testing.T) {
	data := t.TempDir()
	s := startTestServerWith(t, config{data: data, addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0",
		logFormat: "json", demo: true, waitTimeout: 5 * time.Second})
	a := s.client(t)
	workload(t, s, a, data)

	resp, err := http.Get("http://" + s.metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	scrape, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d", resp.StatusCode)
	}
	served := servedNames(t, scrape)

	t.Run("promtool check metrics", func(t *testing.T) {
		runPromtool(t, scrape, "check", "metrics")
	})

	known := func(name string) bool {
		if served[name] || slices.Contains(scrapeMetrics, name) {
			return true
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && served[base] {
				return true
			}
		}
		return false
	}
	pending := func(name string) bool {
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && slices.Contains(pendingMetrics, base) {
				return true
			}
		}
		return false
	}
	exprs := ruleExpressions(t)
	for where, e := range dashboardExpressions(t) {
		exprs["dashboard "+where] = e
	}
	used := map[string]bool{}
	for where, e := range exprs {
		names, err := metricNames(e)
		if err != nil {
			t.Errorf("%s: %v\n%s", where, err, e)
			continue
		}
		for _, n := range names {
			used[n] = true
			switch {
			case known(n):
			case pending(n):
				t.Logf("%s: %s is not served yet (pendingMetrics)", where, n)
			default:
				t.Errorf("%s: %s is no metric carecost serves", where, n)
			}
		}
	}
	for _, n := range pendingMetrics {
		if served[n] {
			t.Errorf("carecost serves %s: take it out of pendingMetrics", n)
		}
	}
	for _, n := range []string{"carecost_http_requests_total", "carecost_projection_stopped", "carecost_event_store_up", "up"} {
		if !used[n] {
			t.Errorf("neither the rules nor the dashboard use %s", n)
		}
	}
}

// servedNames parses a scrape and returns its metric family names.
func servedNames(t *testing.T, scrape []byte) map[string]bool {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(scrape))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	names := map[string]bool{}
	for name, f := range fams {
		if len(f.GetMetric()) > 0 {
			names[name] = true
		}
	}
	return names
}

// workload drives carecost so that its labelled series exist.
func workload(t *testing.T, s *server, a *api, data string) {
	t.Helper()
	var est struct {
		ID      string `json:"id"`
		Version int64  `json:"version"`
	}
	open := `{"client_ref":"M-1","maple":3,"segment":"continuous","tariff":"phhva","income_catalogue":"statutory",
		"pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1800.00","net_income":"1500.00"},
		"lines":[{"service":"regular-home-care","mode":"own","quantity":20,"frequency":"month"}]}`
	a.do("POST", "/api/v1/estimates", open, "Idempotency-Key", "metrics-open").want(t, http.StatusCreated).into(t, &est)
	// The same command again: answered from its key, nothing recorded twice.
	a.do("POST", "/api/v1/estimates", open, "Idempotency-Key", "metrics-open").want(t, http.StatusCreated)
	path := "/api/v1/estimates/" + est.ID
	stale := `"` + itoaTest(est.Version) + `"`
	a.do("POST", path+"/lines", `{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}`).want(t, http.StatusCreated)
	// A change against the version before the line: a conflict.
	a.do("POST", path+"/lines", `{"service":"meal-service","mode":"own","quantity":1,"frequency":"week"}`, "If-Match", stale).want(t, http.StatusConflict)
	a.do("POST", path+"/present", nil).want(t, http.StatusOK)
	a.do("POST", path+"/decide", `{"decision_number":"M-1","decision_date":"`+todayText()+`","effective_from":"2026-03-01"}`).want(t, http.StatusOK)
	a.do("GET", path+"/whatif?pricing_date=2026-01-15", nil).want(t, http.StatusOK)
	a.do("POST", "/api/v1/quote", `{"maple":2,"segment":"occasional","tariff":"phhva","income_catalogue":"statutory",
		"pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1800.00"},
		"lines":[{"service":"regular-home-care","mode":"own","quantity":4,"frequency":"month"}]}`).want(t, http.StatusOK)
	// Bad input, a missing estimate, a refused token.
	a.do("POST", "/api/v1/estimates", `{"maple":9}`).want(t, http.StatusBadRequest)
	a.do("GET", "/api/v1/estimates/no-such-estimate", nil).want(t, http.StatusNotFound)
	a.do("GET", "/api/v1/estimates", nil, "Authorization", "Bearer not-a-token").want(t, http.StatusUnauthorized)
	a.do("GET", "/api/v1/status", nil).want(t, http.StatusOK)
	// A projection stopped before an event it cannot apply, and the event
	// skipped: the failure and skip counters count from their first.
	bad := appendMalformed(t, s.store)
	waitUntil(t, func() bool { return s.runner.Failure("decisions") != nil })
	skipAll(t, s, a, bad)
	// A backup of the running store.
	var out, errs bytes.Buffer
	e := &env{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"backup", "--data", data, "--to", filepath.Join(t.TempDir(), "backup.db")}); code != 0 {
		t.Fatalf("carecost backup: exit %d\n%s%s", code, out.String(), errs.String())
	}
}
