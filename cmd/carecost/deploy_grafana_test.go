package main

import (
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Each compose file with carecost runs Prometheus with the alert rules and
// Grafana with carecost's dashboard: pinned images, the configuration
// mounted read-only, ports on the loopback address only, and Grafana's
// provisioning pointing where the files are mounted.
func TestDeployGrafanaAndRulesInCompose(t *testing.T) {
	var provider struct {
		Providers []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, filepath.Join(deployDir, "grafana", "provisioning", "dashboards", "carecost.yml"), &provider)
	if len(provider.Providers) != 1 || provider.Providers[0].Type != "file" {
		t.Fatalf("grafana/provisioning/dashboards/carecost.yml: %+v", provider)
	}
	dashboardsPath := provider.Providers[0].Options.Path
	var ds struct {
		Datasources []struct {
			Type string `yaml:"type"`
			UID  string `yaml:"uid"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	readYAML(t, filepath.Join(deployDir, "grafana", "provisioning", "datasources", "prometheus.yml"), &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" {
		t.Fatalf("grafana/provisioning/datasources/prometheus.yml: %+v", ds)
	}
	dsURL, err := url.Parse(ds.Datasources[0].URL)
	if err != nil {
		t.Fatal(err)
	}

	files, _ := filepath.Glob(filepath.Join(deployDir, "compose*.yaml"))
	bases := 0
	for _, path := range files {
		f := readCompose(t, path, map[string]bool{})
		carecost := false
		for _, s := range f.Services {
			carecost = carecost || s.isCarecost() && s.Build != nil
		}
		if !carecost {
			continue // a file added on top of another
		}
		bases++
		name := filepath.Base(path)
		var grafana, prometheus []string
		for svc, s := range f.Services {
			if strings.HasPrefix(s.Image, "grafana/grafana:") {
				grafana = append(grafana, svc)
			}
			if strings.HasPrefix(s.Image, "prom/prometheus:") {
				prometheus = append(prometheus, svc)
			}
		}
		if len(grafana) != 1 || len(prometheus) != 1 {
			t.Errorf("%s: Grafana services %v, Prometheus services %v; want one of each", name, grafana, prometheus)
			continue
		}
		g, p := f.Services[grafana[0]], f.Services[prometheus[0]]
		for _, s := range []composeService{g, p} {
			_, tag, _ := strings.Cut(s.Image, ":")
			if tag == "" || tag == "latest" || !strings.ContainsAny(tag, "0123456789") {
				t.Errorf("%s: image %s is not pinned to a version", name, s.Image)
			}
			for _, port := range s.Ports {
				if !strings.HasPrefix(port, "127.0.0.1:") {
					t.Errorf("%s: %s publishes %s beyond the loopback address", name, s.Image, port)
				}
			}
		}
		wantMounts := map[string]string{
			"/etc/grafana/provisioning": "./grafana/provisioning",
			dashboardsPath:              "./grafana/dashboards",
		}
		for target, source := range wantMounts {
			if !slices.Contains(g.Volumes, source+":"+target+":ro") {
				t.Errorf("%s: Grafana does not mount %s read-only at %s: %v", name, source, target, g.Volumes)
			}
		}
		if host, port, _ := net.SplitHostPort(dsURL.Host); host != prometheus[0] || port != "9090" {
			t.Errorf("%s: Grafana's data source asks %s; Prometheus is service %s on 9090", name, dsURL.Host, prometheus[0])
		}
		if !slices.Contains(p.Volumes, "./prometheus/rules:/etc/prometheus/rules:ro") {
			t.Errorf("%s: Prometheus does not mount the rules read-only beside its configuration: %v", name, p.Volumes)
		}
		var cfg struct {
			RuleFiles []string `yaml:"rule_files"`
		}
		readYAML(t, filepath.Join(deployDir, p.mount("/etc/prometheus/prometheus.yml")), &cfg)
		if !slices.Contains(cfg.RuleFiles, "rules/carecost.rules.yml") {
			t.Errorf("%s: Prometheus loads %v, not rules/carecost.rules.yml", name, cfg.RuleFiles)
		}
		embedded := true
		for _, s := range f.Services {
			if s.isCarecost() && s.Environment["CARECOST_STORE"] != "" {
				embedded = false
			}
		}
		if backup := slices.Contains(cfg.RuleFiles, "rules/carecost-backup.rules.yml"); backup != embedded {
			t.Errorf("%s: the backup alerts are loaded: %v; carecost runs on the embedded store: %v", name, backup, embedded)
		}
	}
	if bases < 3 {
		t.Errorf("%d compose files with carecost", bases)
	}
}
