// Package examples_test runs the configurations under examples/ through a real
// Terraform or OpenTofu CLI (TF_ACC_TERRAFORM_PATH) with the provider built from
// this repository and installed through a dev_overrides CLI configuration, the
// way a user tries an unreleased provider: no terraform init, no registry.
package examples_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// cliConfig is the TF_CLI_CONFIG_FILE that TestMain writes: dev_overrides for
// the provider's address on both registries, pointing at the freshly built
// provider.
var cliConfig string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run() // the tests skip and say why
	}
	dir, err := os.MkdirTemp("", "examples-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=test",
		"-o", filepath.Join(bin, "terraform-provider-huaweicloud"), ".")
	build.Dir = ".." // the repository's root: package main
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building the provider: %v\n", err)
		return 1
	}
	cliConfig = filepath.Join(dir, "cli.tfrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-terraform/huaweicloud" = %[1]q
    "registry.opentofu.org/workspace-terraform/huaweicloud" = %[1]q
  }
  direct {}
}
`, bin)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func preCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the examples through a Terraform CLI: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test does)")
	}
}

// cli runs the CLI under test in dir with the dev_overrides configuration, the
// variables in env and none of the developer's HW_* or TF_* variables. It
// returns the combined output, failing the test when the exit status is not 0.
func cli(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, acctest.CLIPath(t), args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HW_") && !strings.HasPrefix(kv, "TF_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", filepath.Base(cmd.Path), strings.Join(args, " "), dir, err, out.String())
	}
	return out.String()
}

// copyTF copies the *.tf files of src into dst.
func copyTF(t *testing.T, src, dst string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s (%v)", src, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// exampleDirs are the folders under examples/ with .tf files.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".tf") && !slices.Contains(dirs, filepath.Dir(path)) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 3 {
		t.Fatalf("found only %v under examples/", dirs)
	}
	return dirs
}

// sideBySide is the example holding the official provider and this one.
const sideBySide = "side-by-side"

// Every example is formatted as the CLI formats it, and is a valid
// configuration for the provider's schema. An example without a terraform
// block (the data source examples, which tfplugindocs renders alone) is
// validated together with examples/provider, as a user would write it.
func TestAccExamples_fmtAndValidate(t *testing.T) {
	preCheck(t)
	t.Run("fmt", func(t *testing.T) {
		cli(t, ".", nil, "fmt", "-check", "-diff", "-recursive", "-no-color", ".")
	})
	for _, dir := range exampleDirs(t) {
		if dir == sideBySide {
			continue // needs the official provider: TestAccExamples_sideBySide
		}
		t.Run("validate "+dir, func(t *testing.T) {
			t.Parallel()
			skipBelow114(t, dir)
			work := t.TempDir()
			copyTF(t, dir, work)
			if !declaresProvider(t, work) {
				copyTF(t, "provider", work)
			}
			out := cli(t, work, nil, "validate", "-no-color")
			if !strings.Contains(out, "Success! The configuration is valid") {
				t.Errorf("validate printed no success:\n%s", out)
			}
		})
	}
}

func declaresProvider(t *testing.T, dir string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("required_providers")) {
			return true
		}
	}
	return false
}

// The quickstart that `make demo` and the README show, applied against the fake
// API with the environment variables a user would export: the exact outputs,
// and the exact requests behind them.
func TestAccExamples_quickstart(t *testing.T) {
	preCheck(t)
	t.Parallel()
	fake := acctest.StartFake(t)
	work := t.TempDir()
	copyTF(t, "quickstart", work)
	env := []string{
		"HW_REGION_NAME=" + fakeapi.Region,
		"HW_ACCESS_KEY=" + fakeapi.AccessKey,
		"HW_SECRET_KEY=" + fakeapi.SecretKey,
		fmt.Sprintf("TF_VAR_endpoints={ workspace = %q, iam = %q }", fake.URL, fake.URL),
	}
	out := cli(t, work, env, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply did not complete as expected:\n%s", out)
	}

	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(cli(t, work, env, "output", "-json")), &outputs); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"snapshot_count": 7,
		"snapshots": []string{
			"2024-04-22T10:15:00Z  a&b=c+d%e?f#g/h;i j             ops & dev = team+1  restore_failed",
			"2024-04-21T23:59:59Z  财务部-每日快照 🗂                      财务桌面-01           creating",
			"2024-04-20T08:36:16Z  sys0420_xzx03_1713602176593     xzx03             create_success",
			"2024-04-20T06:50:11Z  AUTOCREATED_AA_1713595811910    AA                create_success",
			"2024-04-19T12:00:00Z  weekly                          xzx03             restoring",
			"2024-04-18T07:30:00Z  weekly                          AA                restore_success",
			"2024-04-17T00:00:01Z  Zeta-failed                     -                 create_failed",
		},
		"auto_system_disk_snapshot_ids": []string{"3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"},
	}
	if len(outputs) != len(want) {
		t.Errorf("outputs: got %d, want %d", len(outputs), len(want))
	}
	for name, w := range want {
		wantJSON, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := outputs[name]
		if !ok {
			t.Errorf("output %s missing", name)
			continue
		}
		var g any
		if err := json.Unmarshal(got.Value, &g); err != nil {
			t.Fatal(err)
		}
		gotJSON, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Errorf("output %s:\n  got  %s\n  want %s", name, gotJSON, wantJSON)
		}
	}

	// What the two data sources asked the API (they read concurrently, so in
	// either order), and that the project came from IAM.
	var queries []string
	for _, r := range fake.SnapshotRequests() {
		if r.Path != "/v2/"+fakeapi.ProjectID+"/snapshots" || r.Status != 200 {
			t.Errorf("request %s?%s answered %d", r.Path, r.RawQuery, r.Status)
		}
		queries = append(queries, r.RawQuery)
	}
	slices.Sort(queries)
	queries = slices.Compact(queries)
	wantQueries := []string{
		"disk_type=SYSTEM_DISK&create_type=AUTO&offset=0&limit=1000",
		"sort_field=create_time&sort_type=DESC&offset=0&limit=1000",
	}
	if !slices.Equal(queries, wantQueries) {
		t.Errorf("ListDesktopSnapshot queries:\n  got  %q\n  want %q", queries, wantQueries)
	}
	if n := len(fake.IAMRequests()); n == 0 {
		t.Error("no IAM project lookup: want the project ID looked up by region")
	}
}

// The side-by-side example holds the official provider (huaweicloud/huaweicloud,
// local name huaweicloud) and this one (local name hcworkspace, twice: the
// default configuration and the alias dr). The tests run offline, without a
// registry, so the official provider cannot be installed. What is checked:
//   - the whole example: fmt -check (TestAccExamples_fmtAndValidate), and
//     `providers`, which parses every file and resolves each local name to its
//     source without installing anything: both sources, and no third;
//   - this provider's half (versions.tf's hcworkspace entry and workspace.tf):
//     applied against the fake API with a copy of versions.tf that requires
//     only hcworkspace, with the exact outputs, and the fake's record showing
//     that each data source read through its own provider configuration (its
//     region's IAM lookup and project).
//
// Not checked: official.tf against the official provider's schema.
func TestAccExamples_sideBySide(t *testing.T) {
	preCheck(t)
	t.Parallel()
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = h
	}

	t.Run("providers", func(t *testing.T) {
		work := t.TempDir()
		copyTF(t, sideBySide, work)
		out := cli(t, work, nil, "providers", "-no-color")
		var got []string
		for _, line := range strings.Split(out, "\n") {
			if _, addr, ok := strings.Cut(line, "provider["); ok {
				got = append(got, strings.TrimSpace(strings.Replace(addr, "]", "", 1)))
			}
		}
		slices.Sort(got)
		want := []string{host + "/huaweicloud/huaweicloud >= 1.60.0", host + "/workspace-terraform/huaweicloud"}
		if !slices.Equal(got, want) {
			t.Errorf("providers required:\n  got  %q\n  want %q\n%s", got, want, out)
		}
	})

	// The README's shorter configuration is formatted and requires the same two
	// sources.
	t.Run("README", func(t *testing.T) {
		readme, err := os.ReadFile("../README.md")
		if err != nil {
			t.Fatal(err)
		}
		_, section, _ := strings.Cut(string(readme), "### Beside the official huaweicloud provider")
		_, block, _ := strings.Cut(section, "```terraform\n")
		block, _, ok := strings.Cut(block, "```")
		if !ok || !strings.Contains(block, "provider = hcworkspace") {
			t.Fatalf("no terraform block with provider = hcworkspace in the README's side-by-side section")
		}
		work := t.TempDir()
		if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(block), 0o600); err != nil {
			t.Fatal(err)
		}
		cli(t, work, nil, "fmt", "-check", "-diff", "-no-color", ".")
		out := cli(t, work, nil, "providers", "-no-color")
		for _, want := range []string{host + "/huaweicloud/huaweicloud] >= 1.60.0", host + "/workspace-terraform/huaweicloud]"} {
			if !strings.Contains(out, want) {
				t.Errorf("README configuration: providers does not list %s:\n%s", want, out)
			}
		}
	})

	t.Run("this provider's half applied", func(t *testing.T) {
		fake := acctest.StartFake(t)
		work := t.TempDir()
		b, err := os.ReadFile(filepath.Join(sideBySide, "workspace.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "workspace.tf"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		versions := `terraform {
  required_providers {
    hcworkspace = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

variable "region" {
  type    = string
  default = "cn-north-4"
}
`
		if err := os.WriteFile(filepath.Join(work, "versions.tf"), []byte(versions), 0o600); err != nil {
			t.Fatal(err)
		}
		env := []string{
			"HW_ACCESS_KEY=" + fakeapi.AccessKey,
			"HW_SECRET_KEY=" + fakeapi.SecretKey,
			fmt.Sprintf("TF_VAR_endpoints={ workspace = %q, iam = %q }", fake.URL, fake.URL),
		}
		out := cli(t, work, env, "apply", "-auto-approve", "-input=false", "-no-color")
		if !strings.Contains(out, "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.") {
			t.Errorf("apply did not complete as expected:\n%s", out)
		}
		var outputs map[string]struct {
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal([]byte(cli(t, work, env, "output", "-json")), &outputs); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"failed_snapshot_ids": `["5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"]`,
			"dr_snapshot_count":   fmt.Sprint(fakeapi.LargeCount),
		}
		for name, w := range want {
			var got bytes.Buffer
			if err := json.Compact(&got, outputs[name].Value); err != nil || got.String() != w {
				t.Errorf("output %s: got %s, want %s (%v)", name, outputs[name].Value, w, err)
			}
		}
		if len(outputs) != len(want) {
			t.Errorf("outputs: got %d, want %d", len(outputs), len(want))
		}

		// The default configuration (region cn-north-4) read "failed", the
		// alias dr (ap-southeast-1) read "dr": each its region's project.
		paths := map[string][]string{}
		for _, r := range fake.SnapshotRequests() {
			if r.Status != 200 {
				t.Errorf("request %s?%s answered %d", r.Path, r.RawQuery, r.Status)
			}
			paths[r.Path] = append(paths[r.Path], r.Query.Get("status"))
		}
		if got := slices.Compact(paths["/v2/"+fakeapi.ProjectID+"/snapshots"]); !slices.Equal(got, []string{"restore_failed"}) {
			t.Errorf("cn-north-4's project: status filters %q, want only restore_failed", got)
		}
		if got := slices.Compact(paths["/v2/"+fakeapi.LargeProjectID+"/snapshots"]); !slices.Equal(got, []string{""}) || len(paths["/v2/"+fakeapi.LargeProjectID+"/snapshots"]) < 3 {
			t.Errorf("ap-southeast-1's project: status filters %q over %d pages, want none over 3 pages or more", got, len(paths["/v2/"+fakeapi.LargeProjectID+"/snapshots"]))
		}
		if len(paths) != 2 {
			t.Errorf("snapshot listings of %d projects, want 2: %v", len(paths), paths)
		}
		var names []string
		for _, r := range fake.IAMRequests() {
			names = append(names, r.Query.Get("name"))
		}
		slices.Sort(names)
		if names = slices.Compact(names); !slices.Equal(names, []string{fakeapi.LargeRegion, fakeapi.Region}) {
			t.Errorf("IAM project lookups by name: got %q, want %q", names, []string{fakeapi.LargeRegion, fakeapi.Region})
		}
	})
}
