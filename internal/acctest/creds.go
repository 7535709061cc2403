package acctest

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// PipelineConfig is a provider block for the fake without keys: region
// fakeapi.Region and the workspace, iam and sts endpoints on the fake; extra
// lines (blocks included) are added inside it.
func (f *Fake) PipelineConfig(extra ...string) string {
	return fmt.Sprintf(`provider "huaweicloud" {
  region = %q
  endpoints = {
    workspace = %q
    iam       = %q
    sts       = %q
  }
%s}
`, fakeapi.Region, f.URL, f.URL, f.URL, indent(extra))
}

// APIRequests are the requests the fake saw that are not credential requests:
// the Workspace listing and the IAM project lookup.
func (f *Fake) APIRequests() []fakeapi.Request {
	var out []fakeapi.Request
	for _, r := range f.Requests() {
		if strings.HasSuffix(r.Path, "/snapshots") || r.Path == "/v3/projects" {
			out = append(out, r)
		}
	}
	return out
}

// CredentialRequests are the requests to the metadata service, IAM's
// credential APIs and STS, in order, as "METHOD path".
func (f *Fake) CredentialRequests() []string {
	var out []string
	for _, r := range f.Requests() {
		if strings.HasPrefix(r.Path, "/v3.0/") || strings.HasPrefix(r.Path, "/v5/") ||
			strings.HasPrefix(r.Path, "/meta-data/") || strings.HasPrefix(r.Path, "/openstack/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// CheckSignedByChain passes when every Workspace and IAM project request was
// signed, with its security token, by a key the fake issued through the chain
// of origins, last step last: "key:AK" is a key of the fake's own (the first
// step only), the others are fakeapi.Issued origins ("metadata", "iam-token",
// "iam-agency:{domain}/{agency}", "sts-agency:{domain_id}/{agency}"). Each
// issued key's parent must be a key of the step before. Requests must have
// been made, and every one answered 200.
func (f *Fake) CheckSignedByChain(origins ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.APIRequests()
		if len(reqs) == 0 {
			return fmt.Errorf("the fake saw no Workspace or IAM project request")
		}
		for _, r := range reqs {
			if r.Status != 200 {
				return fmt.Errorf("%s %s answered %d (%s)", r.Method, r.Path, r.Status, r.ErrorCode)
			}
			if err := f.chainOf(r, origins); err != nil {
				return fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
			}
		}
		return nil
	}
}

func (f *Fake) chainOf(r fakeapi.Request, origins []string) error {
	ak := r.AccessKey
	for i := len(origins) - 1; i >= 0; i-- {
		o := origins[i]
		if key, ok := strings.CutPrefix(o, "key:"); ok {
			if i != 0 || ak != key {
				return fmt.Errorf("step %d signed by %q, want the fake's key %q", i, ak, key)
			}
			return nil
		}
		k, ok := f.IssuedKey(ak)
		if !ok {
			return fmt.Errorf("step %d: %q is not a key the fake issued (want one from %s)", i, ak, o)
		}
		if k.Origin != o {
			return fmt.Errorf("step %d: key %q came from %s, want %s", i, ak, k.Origin, o)
		}
		if i == len(origins)-1 {
			if got := r.Header.Get("X-Security-Token"); got != k.SecurityToken || !strings.Contains(r.Header.Get("Authorization"), "x-security-token") {
				return fmt.Errorf("key %q was not sent with its security token, signed", ak)
			}
		}
		ak = k.Parent
	}
	if ak != "" {
		return fmt.Errorf("the first step's key was obtained with %q, want an unsigned request", ak)
	}
	return nil
}

// CheckCredentialRequests passes when the credential requests were want, in
// order, once or repeated: every Terraform command configures the provider
// anew, and how many commands a test step runs depends on the CLI.
func (f *Fake) CheckCredentialRequests(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := f.CredentialRequests()
		ok := len(want) > 0 && len(got) > 0 && len(got)%len(want) == 0
		for i := 0; ok && i < len(got); i++ {
			ok = got[i] == want[i%len(want)]
		}
		if !ok && (len(want) != 0 || len(got) != 0) {
			return fmt.Errorf("credential requests:\n%s\nwant, once or repeated:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		return nil
	}
}
