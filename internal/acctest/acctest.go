// Package acctest has what the acceptance tests share: provider factories, the
// fake Workspace API started per test, provider blocks that point at it, the
// environment isolation that keeps a developer's real credentials out of offline
// tests, and the PreCheck of the real-cloud variants.
package acctest

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

// TestOptions are the provider options of the acceptance tests: the backoff is
// a hundredth of the real one (5 ms doubling to 100 ms), so that tests of many
// retries take milliseconds; the policy itself (full jitter, the cap,
// Retry-After, which a test with Retry-After: 1 shows is honoured) is the same.
var TestOptions = provider.Options{RetryBaseDelay: 5 * time.Millisecond, RetryMaxDelay: 100 * time.Millisecond}

// ProtoV6ProviderFactories serve the provider in-process to the Terraform CLI that
// terraform-plugin-testing drives (TF_ACC_TERRAFORM_PATH), with TestOptions.
var ProtoV6ProviderFactories = Factories(TestOptions)

// Factories serve the provider with opts.
func Factories(opts provider.Options) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: provider.NewProtocol6Server("test", opts),
	}
}

// hwEnv lists every variable the provider reads.
var hwEnv = provider.EnvVars()

// NoMetadata is where IsolateEnv points HW_METADATA_ENDPOINT: a loopback port
// nothing listens on, so that a test without keys fails at once rather than
// asking this machine's real metadata service (which, on a cloud VM, might
// answer).
const NoMetadata = "http://127.0.0.1:1"

// NoHome is where IsolateEnv points HOME (and USERPROFILE): a directory that
// does not exist, so that the provider's default ~/.hcloud/config.json is never
// the developer's. Tests of the default file set HOME to a directory of their
// own.
var NoHome = filepath.Join(os.TempDir(), "terraform-provider-huaweicloud-acctest-no-home")

// RealCloud holds the HW_* variables as they were when the tests started, for the
// real-cloud variants; IsolateEnv has removed them from the environment.
var RealCloud = map[string]string{}

// IsolateEnv moves every variable the provider reads (HW_*, HUAWEICLOUD_SDK_*,
// OS_*) into RealCloud and unsets it, points HOME at NoHome and the metadata
// service at NoMetadata, and gives the CLI an empty configuration
// (TF_CLI_CONFIG_FILE), so that offline tests see only what they set: a
// developer's ~/.terraformrc, or a TF_CLI_CONFIG_FILE naming a file that does
// not exist (on which OpenTofu warns and terraform-plugin-testing cannot read
// its version), changes nothing. Call it from TestMain.
func IsolateEnv() {
	for _, k := range hwEnv {
		if v, ok := os.LookupEnv(k); ok {
			RealCloud[k] = v
			_ = os.Unsetenv(k)
		}
	}
	_ = os.Setenv("HOME", NoHome)
	_ = os.Setenv("USERPROFILE", NoHome)
	_ = os.Setenv(provider.EnvMetadataEndpoint, NoMetadata)
	_ = os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull)
}

// PreCheckRealCloud skips a real-cloud test, saying why, unless HW_ACCESS_KEY,
// HW_SECRET_KEY and HW_REGION_NAME were set.
func PreCheckRealCloud(t *testing.T) {
	t.Helper()
	var missing []string
	for _, k := range []string{provider.EnvAccessKey, provider.EnvSecretKey, provider.EnvRegion} {
		if RealCloud[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Skipf("real-cloud test: set %s to run it against a Huawei Cloud account", strings.Join(missing, ", "))
	}
}

// RealCloudProviderConfig is a provider block with the real-cloud variables.
func RealCloudProviderConfig() string {
	var b strings.Builder
	b.WriteString("provider \"huaweicloud\" {\n")
	for _, kv := range [][2]string{
		{"region", provider.EnvRegion}, {"access_key", provider.EnvAccessKey}, {"secret_key", provider.EnvSecretKey},
		{"security_token", provider.EnvSecurityToken}, {"project_id", provider.EnvProjectID},
	} {
		if v := RealCloud[kv[1]]; v != "" {
			fmt.Fprintf(&b, "  %s = %q\n", kv[0], v)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// Fake is a fake Workspace and IAM API serving over real HTTP on loopback.
type Fake struct {
	*fakeapi.Server
	URL string
}

// StartFake starts a fake with opts (fakeapi.DefaultOptions() when none), stopped
// when the test ends.
func StartFake(t testing.TB, opts ...fakeapi.Options) *Fake {
	t.Helper()
	o := fakeapi.DefaultOptions()
	if len(opts) > 0 {
		o = opts[0]
	}
	srv := fakeapi.NewServer(o)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &Fake{Server: srv, URL: hs.URL}
}

// StartFakeTLS is StartFake over HTTPS, with a certificate of its own CA that
// no system trusts; caPEM is the path of that CA's PEM file, for cacert_file.
func StartFakeTLS(t testing.TB, opts ...fakeapi.Options) (f *Fake, caPEM string) {
	t.Helper()
	o := fakeapi.DefaultOptions()
	if len(opts) > 0 {
		o = opts[0]
	}
	srv := fakeapi.NewServer(o)
	hs := httptest.NewUnstartedServer(srv)
	// The handshakes refused on purpose are not news.
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	t.Cleanup(hs.Close)
	caPEM = filepath.Join(t.TempDir(), "fake-ca.pem")
	// httptest's certificate is self-signed: it is its own CA.
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw})
	if err := os.WriteFile(caPEM, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return &Fake{Server: srv, URL: hs.URL}, caPEM
}

// ProviderConfig is a provider block for the fake with the permanent credentials,
// region fakeapi.Region, both endpoints pointing at the fake and no project_id
// (so the project is looked up through the fake's IAM). extra lines are added
// inside the block.
func (f *Fake) ProviderConfig(extra ...string) string {
	return fmt.Sprintf(`provider "huaweicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints = {
    workspace = %q
    iam       = "%s/"
  }
%s}
`, fakeapi.Region, fakeapi.AccessKey, fakeapi.SecretKey, f.URL, f.URL, indent(extra))
}

// EndpointsOnly is a provider block that sets only the endpoints, for tests that
// give everything else through the environment.
func (f *Fake) EndpointsOnly(extra ...string) string {
	return fmt.Sprintf(`provider "huaweicloud" {
  endpoints = {
    workspace = %q
    iam       = %q
  }
%s}
`, f.URL, f.URL, indent(extra))
}

func indent(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// SnapshotRequests returns the recorded ListDesktopSnapshot requests.
func (f *Fake) SnapshotRequests() []fakeapi.Request {
	var out []fakeapi.Request
	for _, r := range f.Requests() {
		if strings.HasSuffix(r.Path, "/snapshots") {
			out = append(out, r)
		}
	}
	return out
}

// IAMRequests returns the recorded IAM project lookups.
func (f *Fake) IAMRequests() []fakeapi.Request {
	var out []fakeapi.Request
	for _, r := range f.Requests() {
		if r.Path == "/v3/projects" {
			out = append(out, r)
		}
	}
	return out
}

// Run runs steps through the Terraform CLI with the provider served in-process.
func Run(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	RunWith(t, TestOptions, steps)
}

// RunWith is Run with the provider built with opts.
func RunWith(t *testing.T, opts provider.Options, steps []resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: Factories(opts), Steps: steps})
}
