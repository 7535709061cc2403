package examples_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// needs114 says whether the example in dir uses what only Terraform 1.14 and
// later have: action blocks, action_trigger, list blocks (.tfquery.hcl).
// OpenTofu (1.12 included) has none of them.
func needs114(t *testing.T, dir string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".tfquery.hcl") {
			return true
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`(?m)^\s*(action\s+"|action_trigger\s*\{|list\s+")`).Match(b) {
			return true
		}
	}
	return false
}

// skipBelow114 skips, saying why, when the example in dir needs Terraform
// 1.14 and the CLI under test is older or is OpenTofu.
func skipBelow114(t *testing.T, dir string) {
	t.Helper()
	if !needs114(t, dir) {
		return
	}
	v := acctest.CLIVersion(t)
	parts := strings.SplitN(v, ".", 3)
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	if major < 1 || major == 1 && minor < 14 || os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skipf("%s uses actions or list blocks, which need Terraform 1.14 or later; the CLI under test is %s", dir, v)
	}
}

// fakeEnv is the environment a user would export for the fake API.
func fakeEnv(fake *acctest.Fake) []string {
	return []string{
		"HW_REGION_NAME=" + fakeapi.Region,
		"HW_ACCESS_KEY=" + fakeapi.AccessKey,
		"HW_SECRET_KEY=" + fakeapi.SecretKey,
		fmt.Sprintf("TF_VAR_endpoints={ workspace = %q, iam = %q }", fake.URL, fake.URL),
	}
}

// copyExample copies the example dir, its .tfquery.hcl files included, into a
// new directory.
func copyExample(t *testing.T, dir string) string {
	t.Helper()
	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return work
}

const (
	xzx03Desktop = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
	weeklyAA     = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"
)

// Snapshot before a change: the first apply snapshots both desktops before
// terraform_data is created; a new version snapshots them again.
func TestAccExamples_snapshotBeforeChange(t *testing.T) {
	preCheck(t)
	skipBelow114(t, "snapshot-before-change")
	t.Parallel()
	fake := acctest.StartFake(t)
	work := copyExample(t, "snapshot-before-change")
	env := append(fakeEnv(fake), fmt.Sprintf(`TF_VAR_desktop_ids=["%s", "%s"]`, fakeapi.FreshDesktopID, xzx03Desktop))
	for i, v := range []string{"office-2024", "office-2025"} {
		out := cli(t, work, append(env, "TF_VAR_rollout_version="+v), "apply", "-auto-approve", "-input=false", "-no-color")
		if !strings.Contains(out, "Apply complete!") {
			t.Fatalf("apply %s:\n%s", v, out)
		}
		for _, d := range []struct{ id, name string }{{fakeapi.FreshDesktopID, fakeapi.FreshDesktopName}, {xzx03Desktop, "xzx03"}} {
			var names []string
			for _, s := range fake.DesktopSnapshots(fakeapi.ProjectID, d.id) {
				if *s.CreateType == "MANUALLY" && strings.HasPrefix(*s.SnapshotName, "before-") {
					if *s.Status != "create_success" || !*s.IsSystemDisk {
						t.Errorf("%s: %s is %s", d.name, *s.SnapshotName, *s.Status)
					}
					names = append(names, strings.Split(*s.SnapshotName, "_")[0])
				}
			}
			want := []string{"before-office-2024"}
			if i == 1 {
				want = []string{"before-office-2025", "before-office-2024"}
			}
			if !slices.Equal(names, want) {
				t.Errorf("after apply %s, %s's snapshots: %q, want %q", v, d.name, names, want)
			}
		}
	}
}

// Terraform Search: the query lists the one manual snapshot that succeeded,
// -generate-config-out writes its blocks, and they plan as a pure import.
func TestAccExamples_query(t *testing.T) {
	preCheck(t)
	skipBelow114(t, "query")
	t.Parallel()
	fake := acctest.StartFake(t)
	work := copyExample(t, "query")
	env := fakeEnv(fake)
	out := cli(t, work, env, "query", "-no-color")
	if !strings.Contains(out, "eed156d9-02a5-46f5-8eb1-54f09ab9fbae") || !strings.Contains(out, "sys0420_xzx03_1713602176593 (xzx03)") {
		t.Errorf("query output:\n%s", out)
	}
	cli(t, work, env, "query", "-no-color", "-generate-config-out=adopted.tf")
	generated, err := os.ReadFile(filepath.Join(work, "adopted.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`desktop_id  = "` + xzx03Desktop + `"`, `disk_type   = "SYSTEM_DISK"`, `snapshot_id = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae"`} {
		if !strings.Contains(strings.Join(strings.Fields(string(generated)), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("generated configuration lacks %s:\n%s", want, generated)
		}
	}
	out = cli(t, work, env, "plan", "-no-color", "-input=false")
	if !strings.Contains(out, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("plan of the generated configuration:\n%s\n%s", generated, out)
	}
}

// Retention: the manual snapshot older than the cut-off is deleted during
// apply; the next apply finds nothing to delete.
func TestAccExamples_retention(t *testing.T) {
	preCheck(t)
	skipBelow114(t, "retention")
	t.Parallel()
	fake := acctest.StartFake(t)
	work := copyExample(t, "retention")
	env := fakeEnv(fake)
	before := len(fake.Snapshots(fakeapi.ProjectID))
	out := cli(t, work, env, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "Apply complete!") {
		t.Fatalf("apply:\n%s", out)
	}
	for _, s := range fake.Snapshots(fakeapi.ProjectID) {
		if *s.SnapshotID == weeklyAA {
			t.Errorf("the expired snapshot %s is still there", weeklyAA)
		}
	}
	if after := len(fake.Snapshots(fakeapi.ProjectID)); after != before-1 {
		t.Errorf("%d snapshots after, want %d", after, before-1)
	}
	if got := fake.BatchRequests("batch-delete"); len(got) != 1 || string(got[0].Body) != `{"snapshot_ids":["`+weeklyAA+`"]}` {
		t.Errorf("batch-delete requests: %+v", got)
	}
	out = cli(t, work, env, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "Apply complete!") || len(fake.BatchRequests("batch-delete")) != 1 {
		t.Errorf("second apply deleted again or failed:\n%s", out)
	}
}
