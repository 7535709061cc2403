package client

import (
	"errors"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/iam"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// Through the real client against the fake over HTTP: each algorithm lists a
// project of three pages and looks up a project through IAM, a 503 on the
// second page is retried, signed anew, and the fake, which verifies
// each scheme with code of its own, saw the algorithm on every request. An
// invalid algorithm fails before any request.
func TestClientSignsWithAlgorithmAgainstFake(t *testing.T) {
	for _, alg := range sign.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			opts := fakeapi.DefaultOptions()
			opts.Projects[0].Snapshots = fakeapi.Generate(2500)
			env := startFake(t, opts)
			env.api.Fail(fakeapi.Fault{Path: samplePath, Skip: 1, Status: 503, Body: `{"error_code":"APIG.0503","error_msg":"busy"}`})
			c := fakeClient(transport.Config{SigningAlgorithm: alg, Credentials: fakeTemporary, MaxRetries: 2})
			out, err := list(t.Context(), c, env)
			if err != nil {
				t.Fatal(err)
			}
			checkSnapshots(t, out.Snapshots, wantSnapshots(t, env.api, fakeapi.ProjectID))
			if id, err := iam.ProjectID(t.Context(), c, env.URL, fakeapi.Region); err != nil || id != fakeapi.ProjectID {
				t.Fatalf("ProjectID = %q, %v", id, err)
			}
			reqs := env.api.Requests()
			if len(reqs) != 5 { // 3 pages, one of them twice, and IAM
				t.Errorf("the fake saw %d requests, want 5", len(reqs))
			}
			var refused, signatures int
			seen := map[string]bool{}
			for _, r := range reqs {
				if r.SigningAlgorithm != alg.Scheme() || r.AccessKey != fakeapi.TempAccessKey {
					t.Errorf("%s?%s signed with %q by %q", r.Path, r.RawQuery, r.SigningAlgorithm, r.AccessKey)
				}
				if r.Status == 503 {
					refused++
				} else if r.Status != 200 {
					t.Errorf("%s?%s: status %d %s", r.Path, r.RawQuery, r.Status, r.ErrorCode)
				}
				if auth := r.Header.Get("Authorization"); !seen[auth] {
					seen[auth] = true
					signatures++
				}
			}
			if refused != 1 {
				t.Errorf("%d answers of 503, want 1", refused)
			}
			// ECC signatures are randomized: the retry, signed anew, differs
			// from its first attempt (an HMAC within the same second would not).
			if ecc := alg == sign.EcdsaP256SHA256 || alg == sign.SM2SM3; ecc && signatures != len(reqs) {
				t.Errorf("%d distinct signatures of %d requests, want each attempt signed anew", signatures, len(reqs))
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		env := startDefaultFake(t)
		_, err := list(t.Context(), fakeClient(transport.Config{SigningAlgorithm: "HmacSHA1"}), env)
		if !errors.Is(err, sign.ErrInvalidAlgorithm) {
			t.Errorf("err = %v, want ErrInvalidAlgorithm", err)
		}
		if n := len(env.api.Requests()); n != 0 {
			t.Errorf("the fake saw %d requests, want none", n)
		}
	})
}
