package main

import (
	"bufio"
	"flag"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The files under deploy/ (the image, the compose files, Prometheus's and
// Caddy's configuration) name carecost's variables, ports and paths. These
// tests hold them to the program: a variable renamed, a port moved or a
// probe path changed on either side fails here.

const deployDir = "../../deploy"

// probePaths are the paths a health check may ask: liveness and readiness.
var probePaths = []string{"/healthz", "/readyz"}

// composeFile is the part of a compose file the checks read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes map[string]any `yaml:"volumes"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Environment map[string]string `yaml:"environment"`
	Secrets     []string          `yaml:"secrets"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	ReadOnly    bool              `yaml:"read_only"`
	User        string            `yaml:"user"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Networks yaml.Node `yaml:"networks"`
}

// isCarecost reports whether a service runs carecost's image.
func (s composeService) isCarecost() bool {
	return s.Build != nil && s.Build.Dockerfile == "deploy/Dockerfile" || strings.HasPrefix(s.Image, "carecost:")
}

// mount returns the source mounted at target ("" when none).
func (s composeService) mount(target string) string {
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && parts[1] == target {
			return parts[0]
		}
	}
	return ""
}

// ipv4 returns the fixed address the service has on a network ("" when none).
func (s composeService) ipv4() string {
	if s.Networks.Kind != yaml.MappingNode {
		return ""
	}
	var nets map[string]struct {
		IPv4 string `yaml:"ipv4_address"`
	}
	if err := s.Networks.Decode(&nets); err != nil {
		return ""
	}
	for _, n := range nets {
		if n.IPv4 != "" {
			return n.IPv4
		}
	}
	return ""
}

// programVariables returns the CARECOST_* variables carecost serve reads:
// every flag's, asked for while the flags are registered, and the first
// admin's.
func programVariables() map[string]bool {
	known := map[string]bool{bootstrapEnv: true}
	var c config
	c.serveFlags(flag.NewFlagSet("serve", flag.ContinueOnError), func(k string) string { known[k] = true; return "" })
	return known
}

// configFrom parses serve's configuration from a service's environment as
// carecost does at start, and checks it.
func configFrom(env map[string]string) (config, error) {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.serveFlags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(nil); err != nil {
		return c, err
	}
	return c, c.check()
}

var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate resolves ${NAME:-default} to its default and ${NAME} or
// ${NAME:?message} to "", as compose does without a .env, recording each
// NAME in used.
func interpolate(s string, used map[string]bool) string {
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		g := interpolation.FindStringSubmatch(m)
		used[g[1]] = true
		if strings.HasSuffix(g[2], "-") {
			return g[3]
		}
		return ""
	})
}

// readCompose reads a compose file, recording the variables it interpolates.
func readCompose(t *testing.T, path string, used map[string]bool) composeFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal([]byte(interpolate(string(raw), used)), &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// portOf returns the port of a listen address or URL host.
func portOf(t *testing.T, where, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Errorf("%s: %q has no port: %v", where, addr, err)
	}
	return port
}

// probeURL returns the URL a health-check command asks for.
func probeURL(test []string) string {
	for _, a := range test {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			return a
		}
	}
	return ""
}

// checkProbe checks a health check's URL against carecost's address and
// probe paths, and returns its path.
func checkProbe(t *testing.T, where, url, addrPort string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(url, "http://")
	if !ok {
		t.Errorf("%s: the health check asks %q, not carecost's plain HTTP address", where, url)
		return ""
	}
	hostPort, path, _ := strings.Cut(rest, "/")
	path = "/" + path
	if host, port, _ := net.SplitHostPort(hostPort); (host != "127.0.0.1" && host != "localhost") || port != addrPort {
		t.Errorf("%s: the health check asks %s; carecost listens on port %s of the container", where, hostPort, addrPort)
	}
	if !slices.Contains(probePaths, path) {
		t.Errorf("%s: the health check asks %s, not one of carecost's probes %v", where, path, probePaths)
	}
	return path
}

// deployChecks gathers what the files ask of a running carecost.
type deployChecks struct {
	probes      map[string]bool // paths asked on the main address
	metricsPath map[string]bool // paths Prometheus scrapes
	env         map[string]string
}

func TestDeployComposeFilesMatchTheProgram(t *testing.T) {
	known := programVariables()
	used := map[string]bool{}
	checks := deployChecks{probes: map[string]bool{}, metricsPath: map[string]bool{}}
	files, err := filepath.Glob(filepath.Join(deployDir, "compose*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("compose files under deploy/: %v %v", files, err)
	}
	bases := map[string]composeFile{}
	var overrides []string
	for _, path := range files {
		f := readCompose(t, path, used)
		name := filepath.Base(path)
		base := false
		for _, s := range f.Services {
			base = base || s.Image != "" || s.Build != nil
		}
		if !base {
			overrides = append(overrides, name)
		} else {
			bases[name] = f
		}
		t.Run(name, func(t *testing.T) { checkCompose(t, f, base, known, &checks) })
	}
	for _, name := range overrides {
		f := readCompose(t, filepath.Join(deployDir, name), map[string]bool{})
		for svc := range f.Services {
			found := false
			for _, b := range bases {
				found = found || b.Services[svc].isCarecost()
			}
			if !found {
				t.Errorf("%s: service %s is no carecost service of any compose file", name, svc)
			}
		}
	}
	checkEnvExample(t, used, known)
	checkDockerfile(t, known, &checks)
	t.Run("live", func(t *testing.T) { checkLive(t, checks) })
}

// checkCompose checks one compose file; base is false for a file added on
// top of another (compose.oidc.yaml).
func checkCompose(t *testing.T, f composeFile, base bool, known map[string]bool, checks *deployChecks) {
	for name, s := range f.Services {
		for k := range s.Environment {
			if strings.HasPrefix(k, "CARECOST_") && !known[k] {
				t.Errorf("service %s sets %s, which carecost does not read", name, k)
			}
		}
		for _, sec := range s.Secrets {
			if f.Secrets[sec].File == "" {
				t.Errorf("service %s uses secret %s, which the file does not declare", name, sec)
			}
		}
		for dep := range s.DependsOn {
			if _, ok := f.Services[dep]; !ok && base {
				t.Errorf("service %s depends on %s, which the file does not have", name, dep)
			}
		}
	}
	for name, sec := range f.Secrets {
		if !strings.HasPrefix(sec.File, "./secrets/") && sec.File != "./oidc-mapping.json" {
			t.Errorf("secret %s is read from %s, not from secrets/ (kept out of the repository)", name, sec.File)
		}
	}
	if !base {
		return
	}

	var carecost []string
	for name, s := range f.Services {
		if s.isCarecost() {
			carecost = append(carecost, name)
		}
	}
	slices.Sort(carecost)
	if len(carecost) == 0 {
		t.Fatal("no service runs carecost's image")
	}
	proxyAddr := ""
	for _, s := range f.Services {
		if s.mount("/etc/caddy/Caddyfile") != "" {
			proxyAddr = s.ipv4()
		}
	}
	addrPort, metricsPort := "", ""
	for _, name := range carecost {
		s := f.Services[name]
		where := "service " + name
		cfg, err := configFrom(s.Environment)
		if err != nil {
			t.Errorf("%s: carecost refuses its configuration: %v", where, err)
			continue
		}
		if checks.env == nil {
			checks.env = s.Environment
		}
		addrPort = portOf(t, where+" CARECOST_ADDR", cfg.addr)
		if cfg.metricsAddr == "" {
			t.Errorf("%s: no CARECOST_METRICS_ADDR: /metrics would need an operations token, which Prometheus here has not", where)
		} else {
			metricsPort = portOf(t, where+" CARECOST_METRICS_ADDR", cfg.metricsAddr)
		}
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			published := parts[len(parts)-1]
			if published != addrPort {
				t.Errorf("%s publishes container port %s; carecost serves on %s (and the metrics address stays inside)", where, published, addrPort)
			}
			if len(parts) < 3 || parts[0] != "127.0.0.1" {
				t.Errorf("%s publishes %s beyond the loopback address", where, p)
			}
		}
		if s.Healthcheck == nil {
			t.Errorf("%s has no health check", where)
		} else {
			checks.probes[checkProbe(t, where, probeURL(s.Healthcheck.Test), addrPort)] = true
		}
		if !s.ReadOnly || s.mount(cfg.data) == "" {
			t.Errorf("%s: the root filesystem should be read-only and the data folder %s a volume", where, cfg.data)
		}
		if spec := s.Environment[bootstrapEnv]; spec != "" {
			_, file, _ := strings.Cut(spec, ":")
			sec, ok := strings.CutPrefix(file, "/run/secrets/")
			if !ok || !slices.Contains(s.Secrets, sec) {
				t.Errorf("%s: %s reads %s, not a secret given to the service", where, bootstrapEnv, file)
			}
		}
		checkStore(t, f, where, cfg.store)
		if proxyAddr != "" {
			ps, err := cfg.proxies()
			a, aerr := netip.ParseAddr(proxyAddr)
			if err != nil || aerr != nil || !slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Contains(a) }) {
				t.Errorf("%s: CARECOST_TRUSTED_PROXIES %q leaves out the proxy at %s", where, cfg.trustedProxies, proxyAddr)
			}
		}
	}

	for name, s := range f.Services {
		if src := s.mount("/etc/prometheus/prometheus.yml"); src != "" {
			checkPrometheus(t, name, filepath.Join(deployDir, src), carecost, metricsPort, checks)
		}
		if src := s.mount("/etc/caddy/Caddyfile"); src != "" {
			if s.ipv4() == "" {
				t.Errorf("proxy %s has no fixed address for CARECOST_TRUSTED_PROXIES to name", name)
			}
			checkCaddy(t, filepath.Join(deployDir, src), carecost, addrPort, checks)
		}
	}
}

// checkStore checks CARECOST_STORE: KurrentDB nodes of the file on their
// port, and tls=false only where the nodes run insecure.
func checkStore(t *testing.T, f composeFile, where, store string) {
	rest, ok := strings.CutPrefix(store, "esdb://")
	if !ok {
		if store != "" && !strings.HasPrefix(store, "sqlite:/data/") {
			t.Errorf("%s: CARECOST_STORE %q is neither esdb:// nor a file in the data volume", where, store)
		}
		return
	}
	hosts, query, _ := strings.Cut(rest, "?")
	for h := range strings.SplitSeq(hosts, ",") {
		host, port, err := net.SplitHostPort(h)
		node, ok := f.Services[host]
		switch {
		case err != nil || port != "2113":
			t.Errorf("%s: CARECOST_STORE names %q, not a node's host:2113", where, h)
		case !ok || !strings.Contains(node.Image, "kurrentdb"):
			t.Errorf("%s: CARECOST_STORE names %s, which is no KurrentDB service of the file", where, host)
		case strings.Contains(query, "tls=false") != (node.Environment["KURRENTDB_INSECURE"] == "true"):
			t.Errorf("%s: CARECOST_STORE says %q; node %s runs with KURRENTDB_INSECURE=%q", where, query, host, node.Environment["KURRENTDB_INSECURE"])
		}
	}
}

// checkPrometheus checks that Prometheus scrapes every carecost service,
// and nothing else as carecost, on its metrics address.
func checkPrometheus(t *testing.T, svc, path string, carecost []string, metricsPort string, checks *deployChecks) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("service %s mounts %s: %v", svc, path, err)
		return
	}
	var cfg struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			MetricsPath   string `yaml:"metrics_path"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	var scraped []string
	for _, job := range cfg.ScrapeConfigs {
		if job.JobName != "carecost" {
			continue
		}
		mp := job.MetricsPath
		if mp == "" {
			mp = "/metrics" // Prometheus's default
		}
		checks.metricsPath[mp] = true
		for _, sc := range job.StaticConfigs {
			for _, target := range sc.Targets {
				host, port, err := net.SplitHostPort(target)
				if err != nil || port != metricsPort {
					t.Errorf("%s: target %s is not on carecost's metrics port %s", path, target, metricsPort)
				}
				scraped = append(scraped, host)
			}
		}
	}
	slices.Sort(scraped)
	if !slices.Equal(scraped, carecost) {
		t.Errorf("%s: job carecost scrapes %v; the carecost services are %v", path, scraped, carecost)
	}
}

// checkCaddy checks that the proxy sends requests to every carecost
// service, and nothing else, on its address, and checks their readiness.
func checkCaddy(t *testing.T, path string, carecost []string, addrPort string, checks *deployChecks) {
	file, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return
	}
	defer file.Close()
	var upstreams []string
	health := ""
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0 || strings.HasPrefix(fields[0], "#"):
		case fields[0] == "reverse_proxy":
			for _, u := range fields[1:] {
				if u == "{" {
					break
				}
				host, port, err := net.SplitHostPort(u)
				if err != nil || port != addrPort {
					t.Errorf("%s: upstream %s is not on carecost's port %s", path, u, addrPort)
				}
				upstreams = append(upstreams, host)
			}
		case fields[0] == "health_uri" && len(fields) == 2:
			health = fields[1]
		}
	}
	slices.Sort(upstreams)
	if !slices.Equal(upstreams, carecost) {
		t.Errorf("%s: the upstreams are %v; the carecost services are %v", path, upstreams, carecost)
	}
	if !slices.Contains(probePaths, health) {
		t.Errorf("%s: health_uri %q is not one of carecost's probes %v", path, health, probePaths)
	}
	checks.probes[health] = true
}

// checkEnvExample checks that .env.example lists every variable the compose
// files interpolate, and names only variables carecost reads.
func checkEnvExample(t *testing.T, used, known map[string]bool) {
	raw, err := os.ReadFile(filepath.Join(deployDir, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for line := range strings.SplitSeq(string(raw), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "#")
		if k, _, ok := strings.Cut(line, "="); ok && regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`).MatchString(k) {
			listed[k] = true
			if strings.HasPrefix(k, "CARECOST_") && !known[k] {
				t.Errorf(".env.example sets %s, which carecost does not read", k)
			}
		}
	}
	for k := range used {
		if !listed[k] {
			t.Errorf("the compose files read %s, which .env.example does not list", k)
		}
	}
}

// checkDockerfile checks the image: the variables it sets, the port it
// exposes, its health check, its user and its entry point.
func checkDockerfile(t *testing.T, known map[string]bool, checks *deployChecks) {
	raw, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), "\\\n", " ")
	env := map[string]string{}
	var expose, entry, healthcheck, user string
	stage := 0
	for line := range strings.SplitSeq(text, "\n") {
		word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch word {
		case "FROM":
			stage++
			env, user = map[string]string{}, ""
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		case "EXPOSE":
			expose = rest
		case "USER":
			user = rest
		case "HEALTHCHECK":
			healthcheck = rest
		case "ENTRYPOINT":
			entry = rest
		}
	}
	for k := range env {
		if strings.HasPrefix(k, "CARECOST_") && !known[k] {
			t.Errorf("Dockerfile sets %s, which carecost does not read", k)
		}
	}
	cfg, err := configFrom(env)
	if err != nil {
		t.Fatalf("Dockerfile: carecost refuses the image's configuration: %v", err)
	}
	port := portOf(t, "Dockerfile CARECOST_ADDR", cfg.addr)
	if !slices.Contains(strings.Fields(expose), port) {
		t.Errorf("Dockerfile exposes %q; carecost listens on port %s", expose, port)
	}
	if cfg.data == "./data" || loopback(cfg.addr) {
		t.Errorf("Dockerfile: the data folder %q and address %q are the laptop's defaults", cfg.data, cfg.addr)
	}
	var test []string
	for f := range strings.FieldsSeq(strings.NewReplacer("[", " ", "]", " ", ",", " ", `"`, " ").Replace(healthcheck)) {
		test = append(test, f)
	}
	checks.probes[checkProbe(t, "Dockerfile HEALTHCHECK", probeURL(test), port)] = true
	if user == "" || user == "root" || strings.HasPrefix(user, "0") {
		t.Errorf("Dockerfile: the final image runs as %q, not as an unprivileged user", user)
	}
	if !strings.Contains(entry, `"serve"`) {
		t.Errorf("Dockerfile: ENTRYPOINT %s does not run carecost serve", entry)
	}
	if !strings.Contains(text, "CGO_ENABLED=0") || !strings.Contains(text, "./cmd/carecost") {
		t.Error("Dockerfile: carecost is not built as a static binary from ./cmd/carecost")
	}
}

// checkLive runs carecost with a compose service's configuration (on free
// local ports, a new data folder and the embedded store) and asks it every
// path the files ask: the health checks on its address, Prometheus's on its
// metrics address.
func checkLive(t *testing.T, checks deployChecks) {
	if checks.env == nil {
		t.Fatal("no carecost service to run")
	}
	cfg, err := configFrom(checks.env)
	if err != nil {
		t.Fatal(err)
	}
	cfg.addr, cfg.metricsAddr, cfg.data, cfg.store = "127.0.0.1:0", "127.0.0.1:0", t.TempDir(), ""
	s := startTestServerWith(t, cfg)
	c := &http.Client{Timeout: 10 * time.Second}
	get := func(url string) (int, string) {
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if len(checks.probes) == 0 || len(checks.metricsPath) == 0 {
		t.Fatalf("nothing asked: probes %v, metrics %v", checks.probes, checks.metricsPath)
	}
	for p := range checks.probes {
		if code, body := get("http://" + s.addr + p); code != http.StatusOK {
			t.Errorf("GET %s: %d %s", p, code, body)
		}
	}
	for p := range checks.metricsPath {
		code, body := get("http://" + s.metricsAddr + p)
		if code != http.StatusOK || !strings.Contains(body, "carecost_http_requests_total") {
			t.Errorf("GET %s on the metrics address: %d %.200s", p, code, body)
		}
	}
}
