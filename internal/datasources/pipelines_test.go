package datasources_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

// The credential setups of pipelines: each reads the exact Sample list, and
// every Workspace and IAM request is signed by the identity the setup should
// produce, as the fake's record of the keys it issued shows.

const (
	targetAccount  = "target-account"
	targetDomainID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	secondAccount  = "second-account"
	secondDomainID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9"
	idpID          = "github-actions"
	idToken1       = "eyJ.fake-oidc-id-token-1.do-not-log"
	idToken2       = "eyJ.fake-oidc-id-token-2.do-not-log"
)

// startPipelineFake is a fake with the credential services: the metadata
// service (with a token service unless noToken), agencies ops (in both
// accounts), deploy, ci and a refused one, and the OIDC identity provider.
func startPipelineFake(t *testing.T, noToken bool) *acctest.Fake {
	t.Helper()
	f := acctest.StartFake(t)
	f.EnableMetadata(!noToken)
	f.AddAgency(fakeapi.Agency{Name: "ops", DomainName: targetAccount, DomainID: targetDomainID})
	f.AddAgency(fakeapi.Agency{Name: "deploy", DomainName: secondAccount, DomainID: secondDomainID})
	f.AddAgency(fakeapi.Agency{Name: "ci", DomainName: targetAccount, DomainID: targetDomainID})
	f.AddAgency(fakeapi.Agency{Name: "forbidden", DomainName: targetAccount, DomainID: targetDomainID, Refused: true})
	f.AddIdentityProvider(idpID, idToken1, idToken2)
	return f
}

var (
	hwKeys   = map[string]string{provider.EnvAccessKey: fakeapi.AccessKey, provider.EnvSecretKey: fakeapi.SecretKey}
	metadata = []string{"PUT /meta-data/latest/api/token", "GET /openstack/latest/securitykey"}
	iamRole  = "POST /v3.0/OS-CREDENTIAL/securitytokens"
	stsRole  = "POST /v5/agencies/assume"
	oidc     = []string{"POST /v3.0/OS-AUTH/id-token/tokens", "POST /v3.0/OS-CREDENTIAL/securitytokens", "POST /v5/agencies/assume"}
)

func TestAccPipelines_credentials(t *testing.T) {
	type setup func(t *testing.T, f *acctest.Fake, home string) (lines []string)
	cases := []struct {
		name    string
		noToken bool
		setup   setup
		chain   []string
		creds   []string
		extra   func(f *acctest.Fake) resource.TestCheckFunc
	}{
		{name: "metadata alone, with its token service",
			setup: func(t *testing.T, f *acctest.Fake, _ string) []string {
				t.Setenv(provider.EnvMetadataEndpoint, f.URL)
				return nil
			},
			chain: []string{"metadata"}, creds: metadata,
			extra: func(f *acctest.Fake) resource.TestCheckFunc {
				return func(*terraform.State) error { return checkMetadataToken(f, true) }
			}},
		{name: "metadata alone, without a token service", noToken: true,
			setup: func(t *testing.T, f *acctest.Fake, _ string) []string {
				t.Setenv(provider.EnvMetadataEndpoint, f.URL+"/")
				return nil
			},
			chain: []string{"metadata"}, creds: metadata,
			extra: func(f *acctest.Fake) resource.TestCheckFunc {
				return func(*terraform.State) error { return checkMetadataToken(f, false) }
			}},
		{name: "keys in variables: the metadata service is never asked",
			setup: func(t *testing.T, f *acctest.Fake, _ string) []string {
				t.Setenv(provider.EnvMetadataEndpoint, f.URL)
				setenv(t, hwKeys)
				return nil
			},
			chain: []string{"key:" + fakeapi.AccessKey}, creds: nil},
		{name: "assume_role through IAM, with its duration",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, hwKeys)
				return []string{`assume_role {`, `  agency_name = "ops"`, `  domain_name = "` + targetAccount + `"`, `  duration    = 3600`, `}`}
			},
			chain: []string{"key:" + fakeapi.AccessKey, "iam-agency:" + targetAccount + "/ops"}, creds: []string{iamRole},
			extra: func(f *acctest.Fake) resource.TestCheckFunc { return checkDurations(f, 3600) }},
		{name: "assume_role through STS",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, hwKeys)
				return []string{`assume_role {`, `  agency_name = "ops"`, `  domain_id   = "` + targetDomainID + `"`, `}`}
			},
			chain: []string{"key:" + fakeapi.AccessKey, "sts-agency:" + targetDomainID + "/ops"}, creds: []string{stsRole},
			extra: func(f *acctest.Fake) resource.TestCheckFunc { return checkDurations(f, 0) }},
		{name: "assume_role through IAM and STS signed with SM2SM3, as every request",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, hwKeys)
				return []string{`signing_algorithm = "SM2SM3"`,
					`assume_role {`, `  agency_name = "ops"`, `  domain_name = "` + targetAccount + `"`, `}`,
					`assume_role {`, `  agency_name = "deploy"`, `  domain_id   = "` + secondDomainID + `"`, `}`}
			},
			chain: []string{"key:" + fakeapi.AccessKey, "iam-agency:" + targetAccount + "/ops", "sts-agency:" + secondDomainID + "/deploy"},
			creds: []string{iamRole, stsRole},
			extra: func(f *acctest.Fake) resource.TestCheckFunc {
				return func(*terraform.State) error {
					for _, r := range f.Requests() {
						if r.SigningAlgorithm != "SDK-SM2-SM3" || r.Status >= 300 {
							return errorf("%s %s signed with %q, answered %d; want SDK-SM2-SM3 and success", r.Method, r.Path, r.SigningAlgorithm, r.Status)
						}
					}
					return nil
				}
			}},
		{name: "two chained assume_role blocks",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, hwKeys)
				return []string{
					`assume_role {`, `  agency_name = "ops"`, `  domain_name = "` + targetAccount + `"`, `}`,
					`assume_role {`, `  agency_name = "deploy"`, `  domain_id   = "` + secondDomainID + `"`, `  duration    = 900`, `}`,
				}
			},
			chain: []string{"key:" + fakeapi.AccessKey, "iam-agency:" + targetAccount + "/ops", "sts-agency:" + secondDomainID + "/deploy"},
			creds: []string{iamRole, stsRole}},
		{name: "assume_role from the HW_ASSUME_ROLE_ variables",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, hwKeys)
				setenv(t, map[string]string{provider.EnvAssumeRoleAgencyName: "deploy", provider.EnvAssumeRoleDomainName: secondAccount, provider.EnvAssumeRoleDuration: "7200"})
				return nil
			},
			chain: []string{"key:" + fakeapi.AccessKey, "iam-agency:" + secondAccount + "/deploy"}, creds: []string{iamRole},
			extra: func(f *acctest.Fake) resource.TestCheckFunc { return checkDurations(f, 7200) }},
		{name: "assume_role on top of the metadata service's keys",
			setup: func(t *testing.T, f *acctest.Fake, _ string) []string {
				t.Setenv(provider.EnvMetadataEndpoint, f.URL)
				return []string{`assume_role {`, `  agency_name = "ops"`, `  domain_name = "` + targetAccount + `"`, `}`}
			},
			chain: []string{"metadata", "iam-agency:" + targetAccount + "/ops"}, creds: append(append([]string{}, metadata...), iamRole)},
		{name: "assume_role_with_oidc block with id_token_file",
			setup: func(t *testing.T, _ *acctest.Fake, home string) []string {
				file := filepath.Join(home, "oidc-token")
				writeFile(t, file, idToken1+"\n")
				// keys elsewhere lose to the block
				setenv(t, hwKeys)
				return []string{`assume_role_with_oidc {`, `  idp_id        = "` + idpID + `"`, `  id_token_file = "` + filepath.ToSlash(file) + `"`,
					`  agency_name   = "ci"`, `  domain_id     = "` + targetDomainID + `"`, `  duration      = 1800`, `}`}
			},
			chain: []string{"iam-token", "sts-agency:" + targetDomainID + "/ci"}, creds: oidc,
			extra: func(f *acctest.Fake) resource.TestCheckFunc { return checkDurations(f, 0, 1800) }},
		{name: "OIDC from the HW_ASSUME_ROLE_ variables, then an agency on top",
			setup: func(t *testing.T, _ *acctest.Fake, _ string) []string {
				setenv(t, map[string]string{provider.EnvAssumeRoleIdpID: idpID, provider.EnvAssumeRoleIDToken: idToken2,
					provider.EnvAssumeRoleAgencyName: "ci", provider.EnvAssumeRoleDomainID: targetDomainID})
				return []string{`assume_role {`, `  agency_name = "deploy"`, `  domain_name = "` + secondAccount + `"`, `}`}
			},
			chain: []string{"iam-token", "sts-agency:" + targetDomainID + "/ci", "iam-agency:" + secondAccount + "/deploy"},
			creds: append(append([]string{}, oidc...), iamRole)},
		{name: "hcloud profile with agencyName",
			setup: func(t *testing.T, _ *acctest.Fake, home string) []string {
				cfg := filepath.Join(home, ".hcloud", "config.json")
				writeFile(t, cfg, `{"current": "agency", "profiles": [{"name": "agency", "mode": "AKSK", "accessKeyId": "`+fakeapi.AccessKey+
					`", "secretAccessKey": "`+fakeapi.SecretKey+`", "agencyName": "ops", "agencyDomainName": "`+targetAccount+`"}]}`)
				return nil
			},
			chain: []string{"key:" + fakeapi.AccessKey, "iam-agency:" + targetAccount + "/ops"}, creds: []string{iamRole}},
		{name: "hcloud profile of mode ecsAgency",
			setup: func(t *testing.T, f *acctest.Fake, home string) []string {
				t.Setenv(provider.EnvMetadataEndpoint, f.URL)
				cfg := filepath.Join(home, ".hcloud", "config.json")
				writeFile(t, cfg, `{"current": "wrong", "profiles": [{"name": "wrong", "accessKeyId": "WRONGAK", "secretAccessKey": "wrong"}, {"name": "ecs", "mode": "ecsAgency"}]}`)
				return []string{`profile = "ecs"`}
			},
			chain: []string{"metadata"}, creds: metadata},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := startPipelineFake(t, tc.noToken)
			lines := tc.setup(t, f, filepath.Dir(filepath.Dir(newHome(t))))
			checks := []resource.TestCheckFunc{f.CheckSignedByChain(tc.chain...), f.CheckCredentialRequests(tc.creds...)}
			if tc.extra != nil {
				checks = append(checks, tc.extra(f))
			}
			acctest.Run(t, []resource.TestStep{{
				Config:            f.PipelineConfig(lines...) + dataSource(),
				ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
				Check:             resource.ComposeAggregateTestCheckFunc(checks...),
			}})
		})
	}
}

// checkMetadataToken: every securitykey read carried a token the fake handed
// out (with the token service), or none (without).
func checkMetadataToken(f *acctest.Fake, withToken bool) error {
	for _, r := range f.Requests() {
		switch r.Path {
		case "/meta-data/latest/api/token":
			if r.Header.Get("X-Metadata-Token-Ttl-Seconds") != "21600" {
				return errorf("the token request asked a TTL of %q, want 21600", r.Header.Get("X-Metadata-Token-Ttl-Seconds"))
			}
		case "/openstack/latest/securitykey":
			tok := r.Header.Get("X-Metadata-Token")
			if withToken != strings.HasPrefix(tok, "fake-metadata-token-") || r.Status != 200 {
				return errorf("securitykey read with X-Metadata-Token %q, status %d (token service: %v)", tok, r.Status, withToken)
			}
		}
	}
	return nil
}

// checkDurations: the issued keys asked for these durations, in order of
// issue, repeated for each Terraform command.
func checkDurations(f *acctest.Fake, want ...int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		issued := f.Issued()
		if len(issued) == 0 || len(issued)%len(want) != 0 {
			return errorf("%d keys issued, want a multiple of %d", len(issued), len(want))
		}
		for i, k := range issued {
			if k.Duration != want[i%len(want)] {
				return errorf("key %d (%s) asked for duration_seconds %d, want %d", i, k.Origin, k.Duration, want[i%len(want)])
			}
		}
		return nil
	}
}

// The OS_* variables the official provider reads: keys, region, project,
// auth URL and insecure, against a TLS fake no system trusts.
func TestAccPipelines_osVariables(t *testing.T) {
	f, _ := acctest.StartFakeTLS(t)
	setenv(t, map[string]string{
		provider.EnvOSAccessKey: fakeapi.AccessKey, provider.EnvOSSecretKey: fakeapi.SecretKey,
		provider.EnvOSRegion: fakeapi.Region, provider.EnvOSAuthURL: f.URL + "/v3", provider.EnvOSInsecure: "true",
	})
	acctest.Run(t, []resource.TestStep{{
		Config:            `provider "huaweicloud" {` + "\n  endpoints = { workspace = \"" + f.URL + "\" }\n}\n" + dataSource(),
		ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
		// the project looked up through OS_AUTH_URL
		Check: resource.ComposeAggregateTestCheckFunc(f.CheckAllSignedBy(fakeapi.AccessKey, ""), f.CheckIAMQueries("name="+fakeapi.Region)),
	}})
	t.Run("OS_PROJECT_ID", func(t *testing.T) {
		f.Reset()
		t.Setenv(provider.EnvOSProjectID, fakeapi.ProjectID)
		acctest.Run(t, []resource.TestStep{{
			Config:            `provider "huaweicloud" {` + "\n  endpoints = { workspace = \"" + f.URL + "\" }\n}\n" + dataSource(),
			ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
			Check:             resource.ComposeAggregateTestCheckFunc(f.CheckAllSignedBy(fakeapi.AccessKey, ""), f.CheckIAMQueries()),
		}})
	})
}

// What goes wrong names the step, the agency and the API's own words, and no
// Workspace request is made.
func TestAccPipelines_errors(t *testing.T) {
	t.Run("a refused agency", func(t *testing.T) {
		f := startPipelineFake(t, false)
		setenv(t, hwKeys)
		acctest.Run(t, []resource.TestStep{{
			Config: f.PipelineConfig(`assume_role {`, `  agency_name = "forbidden"`, `  domain_name = "`+targetAccount+`"`, `}`) + dataSource(),
			ExpectError: acctest.ExpectError("Cannot get Huawei Cloud credentials",
				"The provider takes its keys from HW_ACCESS_KEY and HW_SECRET_KEY, then agency forbidden in domain "+targetAccount+" through IAM.",
				"Failed assuming agency forbidden in domain "+targetAccount+" through IAM: POST /v3.0/OS-CREDENTIAL/securitytokens: HTTP 403,",
				`error_code "IAM.0003", error_msg "Policy doesn't allow iam:agencies:assume to be performed.", request id 00000000000000000000000000000001`,
				"The identity that asked may not assume this agency"),
		}})
		if n := len(f.APIRequests()); n != 0 {
			t.Errorf("%d Workspace or IAM project requests, want none", n)
		}
	})
	t.Run("a refused agency through STS, second in a chain", func(t *testing.T) {
		f := startPipelineFake(t, false)
		setenv(t, hwKeys)
		acctest.Run(t, []resource.TestStep{{
			Config: f.PipelineConfig(`assume_role {`, `  agency_name = "ops"`, `  domain_name = "`+targetAccount+`"`, `}`,
				`assume_role {`, `  agency_name = "forbidden"`, `  domain_id   = "`+targetDomainID+`"`, `}`) + dataSource(),
			ExpectError: acctest.ExpectError("Failed assuming agency forbidden in domain "+targetDomainID+" through STS: POST /v5/agencies/assume: HTTP 403,",
				`error_code "STS.0004"`, "request id 00000000000000000000000000000002"),
		}})
	})
	t.Run("an OIDC token the identity provider refuses", func(t *testing.T) {
		f := startPipelineFake(t, false)
		setenv(t, map[string]string{provider.EnvAssumeRoleIdpID: idpID, provider.EnvAssumeRoleIDToken: "eyJ.not-a-token-it-knows",
			provider.EnvAssumeRoleAgencyName: "ci", provider.EnvAssumeRoleDomainID: targetDomainID})
		acctest.Run(t, []resource.TestStep{{
			Config: f.PipelineConfig() + dataSource(),
			ExpectError: acctest.ExpectError("Failed exchanging the OIDC token of identity provider "+idpID+": POST /v3.0/OS-AUTH/id-token/tokens: HTTP 401,",
				`error_code "IAM.0306", error_msg "The id_token is invalid or has expired."`),
		}})
	})
	t.Run("a metadata service that never answers", func(t *testing.T) {
		// Asked once: no answer within 2s means no metadata service here, and
		// is not retried (max_retries is the default 5), so the error comes
		// after one attempt, without an attempt count.
		var mu sync.Mutex
		var seen []string
		hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = append(seen, r.Method+" "+r.URL.Path)
			mu.Unlock()
			<-r.Context().Done() // until the client gives up
		}))
		t.Cleanup(hang.Close)
		t.Cleanup(hang.CloseClientConnections)
		t.Setenv(provider.EnvMetadataEndpoint, hang.URL)
		t.Setenv(provider.EnvRegion, fakeapi.Region)
		f := acctest.StartFake(t)
		acctest.Run(t, []resource.TestStep{{
			Config: f.EndpointsOnly() + dataSource(),
			ExpectError: acctest.ExpectError("Missing Huawei Cloud credentials", "No access key was found.",
				"8. the environment variables HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_SECURITY_TOKEN: not set",
				"9. the metadata service at "+hang.URL+": reading keys from the metadata service at "+hang.URL+
					": PUT /meta-data/latest/api/token: no answer within 2s: Put \""+hang.URL+"/meta-data/latest/api/token\": "+
					"context deadline exceeded (Client.Timeout exceeded while awaiting headers) Set access_key and secret_key",
				"or run on an ECS or CCE node with an agency bound"),
		}})
		mu.Lock()
		defer mu.Unlock()
		// The client gave up on the token request and asked nothing more.
		if len(seen) != 1 || seen[0] != "PUT /meta-data/latest/api/token" {
			t.Errorf("the metadata service saw %q, want the token request once, abandoned", seen)
		}
		if n := len(f.Requests()); n != 0 {
			t.Errorf("the fake API saw %d requests, want none", n)
		}
	})
}

// Keys that live only a little over the 5 minutes renewal margin are renewed
// in the middle of a long listing, before they expire: several issued keys
// sign the pages, and the fake, which refuses expired keys, never had to.
func TestAccPipelines_shortLivedKeysRenewedAhead(t *testing.T) {
	f := acctest.StartFake(t, withLatency(100*time.Millisecond))
	f.EnableMetadata(true)
	f.SetIssuedLifetime(5*time.Minute + 300*time.Millisecond)
	t.Setenv(provider.EnvMetadataEndpoint, f.URL)
	acctest.Run(t, []resource.TestStep{{
		Config: f.PipelineConfig("max_concurrency = 1") + `data "huaweicloud_workspace_desktop_snapshots" "test" {
  region = "` + fakeapi.LargeRegion + `"
}
`,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr("data.huaweicloud_workspace_desktop_snapshots.test", "total_count", "2345"),
			f.CheckSignedByChain("metadata"),
			func(*terraform.State) error {
				signers := map[string]bool{}
				for _, r := range f.APIRequests() {
					if strings.HasSuffix(r.Path, "/snapshots") {
						signers[r.AccessKey] = true
					}
				}
				if len(signers) < 2 {
					return errorf("the listing's pages were signed by %d key(s), want renewals in the middle of it", len(signers))
				}
				return nil
			},
		),
	}})
}

// A 401 that says the keys expired (the gateway's clock ahead of the keys'
// expiry) causes one renewal and one resend: the listing completes, and the
// refused request is sent again with new keys.
func TestAccPipelines_expiredKeysRenewedOnce(t *testing.T) {
	f := startPipelineFake(t, false)
	f.SetRefuseAfterUses(2)
	setenv(t, hwKeys)
	acctest.Run(t, []resource.TestStep{{
		Config: f.PipelineConfig("max_concurrency = 1", `assume_role {`, `  agency_name = "ops"`, `  domain_id   = "`+targetDomainID+`"`, `}`) +
			`data "huaweicloud_workspace_desktop_snapshots" "test" {
  region = "` + fakeapi.LargeRegion + `"
}
`,
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr("data.huaweicloud_workspace_desktop_snapshots.test", "total_count", "2345"),
			func(*terraform.State) error {
				var refused, after int
				for i, r := range f.APIRequests() {
					if r.Status == 401 {
						if r.ErrorCode != fakeapi.ExpiredCode {
							return errorf("request %d refused with %s, want %s", i, r.ErrorCode, fakeapi.ExpiredCode)
						}
						refused++
						continue
					}
					k, ok := f.IssuedKey(r.AccessKey)
					if !ok || k.Origin != "sts-agency:"+targetDomainID+"/ops" || k.Parent != fakeapi.AccessKey {
						return errorf("request %d signed by %q, not a key of agency ops", i, r.AccessKey)
					}
					after++
				}
				if refused == 0 || after == 0 {
					return errorf("%d refused requests, %d accepted: want both", refused, after)
				}
				return nil
			},
		),
	}})
}

// With TF_LOG=TRACE, an OIDC chain with an agency on top logs its credential
// requests with the masked headers, and no line holds any secret the fake
// issued or accepted: id tokens, subject tokens, temporary secret keys and
// security tokens.
func TestAccPipelines_traceLogsKeepOIDCSecrets(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	f := startPipelineFake(t, false)
	file := filepath.Join(t.TempDir(), "token")
	writeFile(t, file, idToken1)
	setenv(t, map[string]string{provider.EnvAssumeRoleIdpID: idpID, provider.EnvAssumeRoleIDTokenFile: file,
		provider.EnvAssumeRoleAgencyName: "ci", provider.EnvAssumeRoleDomainID: targetDomainID})
	acctest.Run(t, []resource.TestStep{{
		Config:            f.PipelineConfig(`assume_role {`, `  agency_name = "deploy"`, `  domain_id   = "`+secondDomainID+`"`, `}`) + dataSource(),
		ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
		Check:             f.CheckSignedByChain("iam-token", "sts-agency:"+targetDomainID+"/ci", "sts-agency:"+secondDomainID+"/deploy"),
	}})
	raw, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	secrets := f.Secrets()
	if len(secrets) < 6 {
		t.Fatalf("the fake holds %d secrets, want the id tokens, a subject token and issued keys", len(secrets))
	}
	for _, secret := range secrets {
		if i := strings.Index(log, secret); i >= 0 {
			t.Errorf("the log holds a secret: …%s…", log[max(i-200, 0):min(i+100, len(log))])
		}
	}
	for _, want := range []string{
		"Huawei Cloud credential request sent",
		"step=\"exchanging the OIDC token of identity provider " + idpID + "\"",
		"X-Subject-Token:***",
		"X-Security-Token:***",
		"Authorization:***",
		"path=/v3.0/OS-AUTH/id-token/tokens",
		"path=/v5/agencies/assume",
		"status=201",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) has no %q", len(log), want)
		}
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// withLatency is the default fake's data with latency added to every answer.
func withLatency(d time.Duration) fakeapi.Options {
	o := fakeapi.DefaultOptions()
	o.Latency = d
	return o
}

// The provider's credential requests follow max_retries, as its API requests
// do: a 503 on the agency's securitytokens POST is retried and the read
// succeeds; with max_retries = 0 the same 503 fails Configure after one
// request, naming the step.
func TestAccPipelines_credentialRetries(t *testing.T) {
	unavailable := fakeapi.Fault{Path: "/v3.0/OS-CREDENTIAL/securitytokens", Status: 503, Body: `{"error_code":"APIG.0503","error_msg":"Backend unavailable"}`}
	role := []string{`assume_role {`, `  agency_name = "ops"`, `  domain_name = "` + targetAccount + `"`, `}`}
	t.Run("retried", func(t *testing.T) {
		f := startPipelineFake(t, false)
		setenv(t, hwKeys)
		f.Fail(unavailable)
		acctest.Run(t, []resource.TestStep{{
			Config:            f.PipelineConfig(role...) + dataSource(),
			ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
			Check: resource.ComposeAggregateTestCheckFunc(f.CheckSignedByChain("key:"+fakeapi.AccessKey, "iam-agency:"+targetAccount+"/ops"),
				f.CheckCredentialRequests(iamRole),
				func(*terraform.State) error {
					// The first Configure's two attempts, both signed and
					// verified; later Configures ask once each.
					reqs := f.Requests()
					if len(reqs) < 2 || reqs[0].Path != unavailable.Path || reqs[0].Status != 503 || reqs[0].Fault != "status" ||
						reqs[1].Path != unavailable.Path || reqs[1].Status != 201 || reqs[1].AccessKey != fakeapi.AccessKey {
						return errorf("the first requests were %+v, want a 503 then a 201 on %s", reqs[:min(2, len(reqs))], unavailable.Path)
					}
					return nil
				}),
		}})
	})
	t.Run("max_retries = 0", func(t *testing.T) {
		f := startPipelineFake(t, false)
		setenv(t, hwKeys)
		f.Fail(unavailable)
		acctest.Run(t, []resource.TestStep{{
			Config: f.PipelineConfig(append([]string{"max_retries = 0"}, role...)...) + dataSource(),
			ExpectError: acctest.ExpectError("Failed assuming agency ops in domain "+targetAccount+" through IAM: POST /v3.0/OS-CREDENTIAL/securitytokens: HTTP 503,",
				`error_code "APIG.0503", error_msg "Backend unavailable", request id 00000000000000000000000000000001 (gave up after 1 attempt: max_retries is 0)`),
		}})
		if got := f.CredentialRequests(); len(got) != 1 {
			t.Errorf("credential requests %q, want the one securitytokens POST", got)
		}
	})
}
