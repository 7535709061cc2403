package examples_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// The "Running in pipelines" examples, applied against the fake with the
// credential setup each one is for: an override file points the endpoints (and
// the metadata service) at the fake, and nothing else changes. Each lists the
// one restore_failed snapshot, signed by the identity the setup produces.
func TestAccExamples_pipelines(t *testing.T) {
	preCheck(t)
	const wantID = `["5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"]`
	cases := []struct {
		dir   string
		env   func(f *acctest.Fake, work string) []string
		chain []string
	}{
		{"pipelines/ecs-agency", func(f *acctest.Fake, _ string) []string {
			return []string{"HW_METADATA_ENDPOINT=" + f.URL}
		}, []string{"metadata"}},
		{"pipelines/cross-account", func(*acctest.Fake, string) []string {
			return []string{"HW_ACCESS_KEY=" + fakeapi.AccessKey, "HW_SECRET_KEY=" + fakeapi.SecretKey, "HW_METADATA_ENDPOINT=" + acctest.NoMetadata}
		}, []string{"key:" + fakeapi.AccessKey, "iam-agency:acme-production/workspace-reader"}},
		{"pipelines/gitlab-oidc", func(_ *acctest.Fake, work string) []string {
			if err := os.WriteFile(filepath.Join(work, ".oidc-token"), []byte("eyJ.gitlab-job-token\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"HW_METADATA_ENDPOINT=" + acctest.NoMetadata}
		}, []string{"iam-token", "sts-agency:0f1e2d3c4b5a69788796a5b4c3d2e1f0/ci-workspace-reader"}},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			f := acctest.StartFake(t)
			f.EnableMetadata(true)
			f.AddAgency(fakeapi.Agency{Name: "workspace-reader", DomainName: "acme-production"})
			f.AddAgency(fakeapi.Agency{Name: "ci-workspace-reader", DomainID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"})
			f.AddIdentityProvider("gitlab-ci", "eyJ.gitlab-job-token")
			work := t.TempDir()
			copyTF(t, tc.dir, work)
			override := fmt.Sprintf("provider \"huaweicloud\" {\n  endpoints = { workspace = %q, iam = %q, sts = %q }\n}\n", f.URL, f.URL, f.URL)
			if err := os.WriteFile(filepath.Join(work, "fake_override.tf"), []byte(override), 0o600); err != nil {
				t.Fatal(err)
			}
			env := append(tc.env(f, work), "HOME="+acctest.NoHome)
			cli(t, work, env, "apply", "-auto-approve", "-input=false", "-no-color")
			var out struct {
				IDs struct {
					Value []string `json:"value"`
				} `json:"failed_snapshot_ids"`
			}
			if err := json.Unmarshal([]byte(cli(t, work, env, "output", "-json")), &out); err != nil {
				t.Fatal(err)
			}
			if got, _ := json.Marshal(out.IDs.Value); string(got) != wantID {
				t.Errorf("failed_snapshot_ids = %s, want %s", out.IDs.Value, wantID)
			}
			if err := f.CheckSignedByChain(tc.chain...)(nil); err != nil {
				t.Error(err)
			}
		})
	}
}
