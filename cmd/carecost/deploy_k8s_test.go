package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The Kubernetes manifests of deploy/k8s are held to the program as the
// compose files are: the variables of the ConfigMap, the ports, the probe
// and metrics paths, the secret files carecost reads, and the rules that
// keep the embedded store to one writer.

var k8sDir = filepath.Join(deployDir, "k8s")

type k8sMeta struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
	FailureThreshold int `yaml:"failureThreshold"`
	PeriodSeconds    int `yaml:"periodSeconds"`
}

type k8sContainer struct {
	Name    string `yaml:"name"`
	Image   string `yaml:"image"`
	EnvFrom []struct {
		ConfigMapRef *struct {
			Name string `yaml:"name"`
		} `yaml:"configMapRef"`
	} `yaml:"envFrom"`
	Env   []struct{ Name, Value string } `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
		RunAsNonRoot             bool  `yaml:"runAsNonRoot"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	StartupProbe   *k8sProbe `yaml:"startupProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	Resources      struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type k8sVolume struct {
	Name                  string `yaml:"name"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
	} `yaml:"persistentVolumeClaim"`
	EmptyDir *struct{} `yaml:"emptyDir"`
	Secret   *struct {
		SecretName  string `yaml:"secretName"`
		DefaultMode int    `yaml:"defaultMode"`
	} `yaml:"secret"`
}

type k8sDoc struct {
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   k8sMeta           `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	Spec       struct {
		Replicas *int `yaml:"replicas"`
		Strategy struct {
			Type string `yaml:"type"`
		} `yaml:"strategy"`
		Selector yaml.Node `yaml:"selector"`
		Template struct {
			Metadata k8sMeta `yaml:"metadata"`
			Spec     struct {
				SecurityContext struct {
					RunAsNonRoot   bool `yaml:"runAsNonRoot"`
					RunAsUser      int  `yaml:"runAsUser"`
					FSGroup        int  `yaml:"fsGroup"`
					SeccompProfile struct {
						Type string `yaml:"type"`
					} `yaml:"seccompProfile"`
				} `yaml:"securityContext"`
				AutomountServiceAccountToken *bool          `yaml:"automountServiceAccountToken"`
				Containers                   []k8sContainer `yaml:"containers"`
				Volumes                      []k8sVolume    `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
		// Service
		Ports []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort any    `yaml:"targetPort"`
		} `yaml:"ports"`
		// ServiceMonitor
		JobLabel  string `yaml:"jobLabel"`
		Endpoints []struct {
			Port string `yaml:"port"`
			Path string `yaml:"path"`
		} `yaml:"endpoints"`
		// PodDisruptionBudget
		MinAvailable   any `yaml:"minAvailable"`
		MaxUnavailable any `yaml:"maxUnavailable"`
		// PersistentVolumeClaim
		AccessModes []string `yaml:"accessModes"`
	} `yaml:"spec"`
}

// selectorLabels returns a selector's labels: matchLabels (a Deployment's,
// a PDB's, a ServiceMonitor's) or the plain map of a Service.
func (d k8sDoc) selectorLabels(t *testing.T) map[string]string {
	var sel struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	if d.Kind == "Service" {
		var m map[string]string
		if err := d.Spec.Selector.Decode(&m); err != nil {
			t.Errorf("%s %s: selector: %v", d.Kind, d.Metadata.Name, err)
		}
		return m
	}
	if err := d.Spec.Selector.Decode(&sel); err != nil {
		t.Errorf("%s %s: selector: %v", d.Kind, d.Metadata.Name, err)
	}
	return sel.MatchLabels
}

// matches reports whether labels has every pair of sel (and sel is not empty).
func matches(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// readK8s reads every document of deploy/k8s's kustomization, and checks
// that it lists every manifest of the folder.
func readK8s(t *testing.T) map[string]k8sDoc {
	t.Helper()
	var kust struct {
		Kind      string   `yaml:"kind"`
		Resources []string `yaml:"resources"`
		Images    []struct {
			Name string `yaml:"name"`
		} `yaml:"images"`
	}
	readYAML(t, filepath.Join(k8sDir, "kustomization.yaml"), &kust)
	files, _ := filepath.Glob(filepath.Join(k8sDir, "*.yaml"))
	var manifests []string
	for _, f := range files {
		if filepath.Base(f) != "kustomization.yaml" {
			manifests = append(manifests, filepath.Base(f))
		}
	}
	resources := slices.Sorted(slices.Values(kust.Resources))
	if kust.Kind != "Kustomization" || !slices.Equal(resources, manifests) {
		t.Errorf("kustomization.yaml lists %v; the folder holds %v", resources, manifests)
	}
	docs := map[string]k8sDoc{}
	for _, name := range manifests {
		raw, err := os.ReadFile(filepath.Join(k8sDir, name))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var d k8sDoc
			err := dec.Decode(&d)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if d.APIVersion == "" || d.Kind == "" || d.Metadata.Name == "" {
				t.Errorf("%s: a document without apiVersion, kind or name", name)
			}
			if _, twice := docs[d.Kind]; twice && d.Kind != "PrometheusRule" {
				t.Errorf("%s: a second %s", name, d.Kind)
			}
			docs[d.Kind] = d
		}
	}
	for _, img := range kust.Images {
		if img.Name != "carecost" {
			t.Errorf("kustomization.yaml sets image %s; the Deployment's is carecost", img.Name)
		}
	}
	return docs
}

// configMapComments returns the CARECOST_* variables the ConfigMap names in
// comments (settings to uncomment).
func configMapComments(t *testing.T) []string {
	raw, err := os.ReadFile(filepath.Join(k8sDir, "configmap.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*#\s*(CARECOST_[A-Z0-9_]+):`).FindAllStringSubmatch(string(raw), -1) {
		names = append(names, m[1])
	}
	return names
}

func TestDeployKubernetesMatchesTheProgram(t *testing.T) {
	docs := readK8s(t)
	want := map[string]string{
		"ConfigMap": "v1", "Deployment": "apps/v1", "Service": "v1", "PersistentVolumeClaim": "v1",
		"PodDisruptionBudget": "policy/v1", "ServiceMonitor": "monitoring.coreos.com/v1", "PrometheusRule": "monitoring.coreos.com/v1",
	}
	for kind, api := range want {
		if docs[kind].APIVersion != api {
			t.Errorf("deploy/k8s: %s is %q, want apiVersion %s", kind, docs[kind].APIVersion, api)
		}
	}
	if _, ok := docs["Secret"]; ok {
		t.Error("deploy/k8s holds a Secret: secrets are referenced, never committed")
	}

	// The ConfigMap: variables carecost reads, a configuration it takes.
	known := programVariables()
	cm := docs["ConfigMap"]
	for k := range cm.Data {
		if !known[k] {
			t.Errorf("ConfigMap sets %s, which carecost does not read", k)
		}
	}
	for _, k := range configMapComments(t) {
		if !known[k] {
			t.Errorf("ConfigMap names %s in a comment, which carecost does not read", k)
		}
	}
	cfg, err := configFrom(cm.Data)
	if err != nil {
		t.Fatalf("carecost refuses the ConfigMap's configuration: %v", err)
	}
	addrPort := portOf(t, "ConfigMap CARECOST_ADDR", cfg.addr)
	if cfg.metricsAddr == "" {
		t.Fatal("ConfigMap: no CARECOST_METRICS_ADDR: /metrics would need an operations token")
	}
	metricsPort := portOf(t, "ConfigMap CARECOST_METRICS_ADDR", cfg.metricsAddr)
	if cfg.store != "" {
		t.Errorf("ConfigMap: CARECOST_STORE %q; the base runs the embedded store in the data volume", cfg.store)
	}

	// The Deployment: one writer, locked down, probes on carecost's paths.
	dep := docs["Deployment"]
	if replicas := dep.Spec.Replicas; replicas == nil || *replicas != 1 || dep.Spec.Strategy.Type != "Recreate" {
		t.Errorf("Deployment: replicas %s, strategy %q: the embedded store has one writer (replicas: 1, strategy Recreate)", fmtReplicas(replicas), dep.Spec.Strategy.Type)
	}
	pod := dep.Spec.Template.Spec
	if !matches(dep.selectorLabels(t), dep.Spec.Template.Metadata.Labels) {
		t.Error("Deployment: the selector does not select its pods")
	}
	if sc := pod.SecurityContext; !sc.RunAsNonRoot || sc.RunAsUser != 65532 || sc.FSGroup != 65532 || sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("Deployment: pod securityContext %+v; want runAsNonRoot, user and fsGroup 65532 (the image's), seccomp RuntimeDefault", sc)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("Deployment: carecost needs no service account token: automountServiceAccountToken: false")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("Deployment: %d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image != "carecost" {
		t.Errorf("Deployment: image %q; kustomization.yaml sets the image named carecost", c.Image)
	}
	if len(c.EnvFrom) != 1 || c.EnvFrom[0].ConfigMapRef == nil || c.EnvFrom[0].ConfigMapRef.Name != cm.Metadata.Name {
		t.Errorf("Deployment: the environment does not come from ConfigMap %s", cm.Metadata.Name)
	}
	for _, e := range c.Env {
		if strings.HasPrefix(e.Name, "CARECOST_") && !known[e.Name] {
			t.Errorf("Deployment sets %s, which carecost does not read", e.Name)
		}
	}
	sc := c.SecurityContext
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || !sc.ReadOnlyRootFilesystem || !sc.RunAsNonRoot ||
		!slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) || sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("Deployment: container securityContext %+v", sc)
	}
	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if strconv.Itoa(ports["http"]) != addrPort || strconv.Itoa(ports["metrics"]) != metricsPort {
		t.Errorf("Deployment: ports %v; carecost listens on %s and serves /metrics on %s", ports, addrPort, metricsPort)
	}
	probe := func(name string, p *k8sProbe, path string) {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("Deployment: no %s probe", name)
			return
		}
		if p.HTTPGet.Path != path || p.HTTPGet.Port != "http" {
			t.Errorf("Deployment: the %s probe asks %s on port %v, want %s on port http", name, p.HTTPGet.Path, p.HTTPGet.Port, path)
		}
	}
	probe("startup", c.StartupProbe, "/healthz")
	probe("liveness", c.LivenessProbe, "/healthz")
	probe("readiness", c.ReadinessProbe, "/readyz")
	if p := c.StartupProbe; p != nil && time.Duration(p.FailureThreshold*p.PeriodSeconds)*time.Second < 10*time.Minute {
		t.Errorf("Deployment: the startup probe gives up after %d s; a rebuild at start takes minutes", p.FailureThreshold*p.PeriodSeconds)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("Deployment: resources %+v; want cpu and memory requests and a memory limit", c.Resources)
	}
	volumes := map[string]k8sVolume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	mounts := map[string]k8sVolume{}
	for _, m := range c.VolumeMounts {
		v, ok := volumes[m.Name]
		if !ok {
			t.Errorf("Deployment: mount %s of no volume", m.Name)
		}
		mounts[m.MountPath] = v
	}
	pvc := docs["PersistentVolumeClaim"]
	if v := mounts[cfg.data]; v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != pvc.Metadata.Name {
		t.Errorf("Deployment: the data folder %s is not the PersistentVolumeClaim %s", cfg.data, pvc.Metadata.Name)
	}
	if !slices.Equal(pvc.Spec.AccessModes, []string{"ReadWriteOnce"}) {
		t.Errorf("PersistentVolumeClaim: access modes %v; one pod writes the data folder", pvc.Spec.AccessModes)
	}
	if mounts["/tmp"].EmptyDir == nil {
		t.Error("Deployment: no emptyDir on /tmp beside the read-only root filesystem")
	}
	// Every file a variable names is in a mounted Secret.
	secretFiles := map[string]string{bootstrapEnv: ""}
	if spec := cm.Data[bootstrapEnv]; spec != "" {
		_, secretFiles[bootstrapEnv], _ = strings.Cut(spec, ":")
	}
	raw, _ := os.ReadFile(filepath.Join(k8sDir, "configmap.yaml"))
	for _, m := range regexp.MustCompile(`(?m)^\s*#?\s*(CARECOST_[A-Z_]+_FILE):\s*(\S+)`).FindAllStringSubmatch(string(raw), -1) {
		secretFiles[m[1]] = m[2]
	}
	if len(secretFiles) < 3 {
		t.Errorf("ConfigMap: files of secrets %v; want the first admin's password and the OpenID Connect client secret and mapping", secretFiles)
	}
	for k, file := range secretFiles {
		found := false
		for path, v := range mounts {
			if v.Secret != nil && strings.HasPrefix(file, path+"/") {
				found = true
				if v.Secret.DefaultMode&0o044 == 0 || v.Secret.DefaultMode&0o007 != 0 {
					t.Errorf("Deployment: secret %s has mode %o: readable by the group (fsGroup 65532), not by others", v.Secret.SecretName, v.Secret.DefaultMode)
				}
			}
		}
		if !found {
			t.Errorf("ConfigMap: %s reads %q, which is in no mounted Secret", k, file)
		}
	}

	// The Service, the ServiceMonitor, the PDB select what they should.
	svc := docs["Service"]
	if !matches(svc.selectorLabels(t), dep.Spec.Template.Metadata.Labels) {
		t.Error("Service: the selector does not select carecost's pods")
	}
	svcPorts := map[string]any{}
	for _, p := range svc.Spec.Ports {
		svcPorts[p.Name] = p.TargetPort
		if strconv.Itoa(p.Port) != addrPort && strconv.Itoa(p.Port) != metricsPort {
			t.Errorf("Service: port %s is %d, neither carecost's address nor its metrics address", p.Name, p.Port)
		}
	}
	if svcPorts["http"] != "http" || svcPorts["metrics"] != "metrics" {
		t.Errorf("Service: ports %v; want http and metrics to the container's ports of those names", svcPorts)
	}
	sm := docs["ServiceMonitor"]
	if !matches(sm.selectorLabels(t), svc.Metadata.Labels) {
		t.Error("ServiceMonitor: the selector does not select the Service")
	}
	if job := svc.Metadata.Labels[sm.Spec.JobLabel]; job != "carecost" {
		t.Errorf("ServiceMonitor: the job would be %q; the alert rules select job=\"carecost\"", job)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "metrics" || sm.Spec.Endpoints[0].Path != metricsPath {
		t.Errorf("ServiceMonitor: endpoints %+v; want port metrics, path %s", sm.Spec.Endpoints, metricsPath)
	}
	pdb := docs["PodDisruptionBudget"]
	if !matches(pdb.selectorLabels(t), dep.Spec.Template.Metadata.Labels) {
		t.Error("PodDisruptionBudget: the selector does not select carecost's pods")
	}
	if pdb.Spec.MinAvailable == nil && pdb.Spec.MaxUnavailable == nil {
		t.Error("PodDisruptionBudget: neither minAvailable nor maxUnavailable")
	}

	// carecost with the ConfigMap's configuration answers the probes and
	// serves /metrics where the ServiceMonitor asks.
	cfg.addr, cfg.metricsAddr, cfg.data = "127.0.0.1:0", "127.0.0.1:0", t.TempDir()
	s := startTestServerWith(t, cfg)
	hc := &http.Client{Timeout: 10 * time.Second}
	for _, u := range []string{"http://" + s.addr + "/healthz", "http://" + s.addr + "/readyz", "http://" + s.metricsAddr + metricsPath} {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
		}
	}
}

func fmtReplicas(r *int) string {
	if r == nil {
		return "unset"
	}
	return strconv.Itoa(*r)
}

// metricsPath is where the ServiceMonitor and the compose files' Prometheus
// ask for the metrics.
const metricsPath = "/metrics"

// deploy/k8s-kurrentdb runs deploy/k8s on KurrentDB: more than one
// replica, a rolling update, the data folder in an emptyDir, the
// connection string from a mounted Secret, no PersistentVolumeClaim and no
// backup alerts.
func TestDeployKubernetesOnKurrentDB(t *testing.T) {
	dir := filepath.Join(deployDir, "k8s-kurrentdb")
	base := readK8s(t)
	var kust struct {
		Resources []string `yaml:"resources"`
		Patches   []struct {
			Path  string `yaml:"path"`
			Patch string `yaml:"patch"`
		} `yaml:"patches"`
	}
	readYAML(t, filepath.Join(dir, "kustomization.yaml"), &kust)
	if !slices.Equal(kust.Resources, []string{"../k8s"}) {
		t.Errorf("k8s-kurrentdb: resources %v, want the base ../k8s", kust.Resources)
	}
	var cm, dep k8sDoc
	deleted := map[string]string{}
	for _, p := range kust.Patches {
		var d k8sDoc
		switch {
		case p.Path != "":
			readYAML(t, filepath.Join(dir, p.Path), &d)
		default:
			if err := yaml.Unmarshal([]byte(p.Patch), &d); err != nil {
				t.Fatalf("k8s-kurrentdb: patch: %v", err)
			}
			if !strings.Contains(p.Patch, "$patch: delete") {
				t.Errorf("k8s-kurrentdb: an inline patch that deletes nothing: %s", p.Patch)
			}
			deleted[d.Kind] = d.Metadata.Name
		}
		switch d.Kind {
		case "ConfigMap":
			cm = d
		case "Deployment":
			dep = d
		}
	}
	if deleted["PersistentVolumeClaim"] != base["PersistentVolumeClaim"].Metadata.Name || deleted["PrometheusRule"] != "carecost-backup" {
		t.Errorf("k8s-kurrentdb deletes %v; want the PersistentVolumeClaim %s and the PrometheusRule carecost-backup", deleted, base["PersistentVolumeClaim"].Metadata.Name)
	}
	if cm.Metadata.Name != base["ConfigMap"].Metadata.Name || dep.Metadata.Name != base["Deployment"].Metadata.Name {
		t.Fatalf("k8s-kurrentdb patches ConfigMap %q and Deployment %q; the base's are %q and %q", cm.Metadata.Name, dep.Metadata.Name,
			base["ConfigMap"].Metadata.Name, base["Deployment"].Metadata.Name)
	}

	// The base's settings with the overlay's: a configuration carecost takes,
	// its store read from the Secret's file.
	known := programVariables()
	env := map[string]string{}
	for k, v := range base["ConfigMap"].Data {
		env[k] = v
	}
	for k, v := range cm.Data {
		if !known[k] {
			t.Errorf("k8s-kurrentdb: the ConfigMap sets %s, which carecost does not read", k)
		}
		env[k] = v
	}
	storeFile := env["CARECOST_STORE_FILE"]
	if storeFile == "" {
		t.Fatal("k8s-kurrentdb: no CARECOST_STORE_FILE")
	}
	local := filepath.Join(t.TempDir(), "connection")
	if err := os.WriteFile(local, []byte("esdb://carecost:secret@kurrentdb-0.kurrentdb:2113?tls=true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["CARECOST_STORE_FILE"] = local
	cfg, err := configFrom(env)
	if err == nil {
		err = cfg.loadStoreFile()
	}
	if err != nil || !strings.HasPrefix(cfg.store, "esdb://") {
		t.Errorf("k8s-kurrentdb: carecost refuses the configuration (store %q): %v", cfg.store, err)
	}

	if r := dep.Spec.Replicas; r == nil || *r < 2 || dep.Spec.Strategy.Type != "RollingUpdate" {
		t.Errorf("k8s-kurrentdb: replicas %s, strategy %q; want 2 or more and RollingUpdate", fmtReplicas(r), dep.Spec.Strategy.Type)
	}
	pod := dep.Spec.Template.Spec
	volumes := map[string]k8sVolume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	dataVolume := ""
	for _, m := range base["Deployment"].Spec.Template.Spec.Containers[0].VolumeMounts {
		if m.MountPath == env["CARECOST_DATA"] {
			dataVolume = m.Name
		}
	}
	if v := volumes[dataVolume]; v.EmptyDir == nil || v.PersistentVolumeClaim != nil {
		t.Errorf("k8s-kurrentdb: the data folder's volume %q is not an emptyDir", dataVolume)
	}
	inSecret := false
	for _, c := range pod.Containers {
		for _, m := range c.VolumeMounts {
			if v := volumes[m.Name]; v.Secret != nil && strings.HasPrefix(storeFile, m.MountPath+"/") {
				inSecret = true
			}
		}
	}
	if !inSecret {
		t.Errorf("k8s-kurrentdb: CARECOST_STORE_FILE %s is in no mounted Secret", storeFile)
	}
}
