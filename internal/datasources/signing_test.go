package datasources_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// The Authorization scheme of each signing_algorithm value, written out here
// rather than taken from the client.
var signingSchemes = []struct{ algorithm, scheme string }{
	{"HmacSHA256", "SDK-HMAC-SHA256"},
	{"HmacSM3", "SDK-HMAC-SM3"},
	{"EcdsaP256SHA256", "SDK-ECDSA-P256-SHA256"},
	{"SM2SM3", "SDK-SM2-SM3"},
}

// checkAllSignedWith passes when the fake saw at least one IAM project lookup
// and one listing, and every request it saw was signed with scheme and
// accepted.
func checkAllSignedWith(f *acctest.Fake, scheme string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if len(f.IAMRequests()) == 0 || len(f.SnapshotRequests()) == 0 {
			return fmt.Errorf("the fake saw %d IAM lookups and %d listings, want both", len(f.IAMRequests()), len(f.SnapshotRequests()))
		}
		for _, r := range f.Requests() {
			if r.SigningAlgorithm != scheme || r.Status != 200 {
				return fmt.Errorf("%s %s?%s: signed with %q, status %d; want %s, 200", r.Method, r.Path, r.RawQuery, r.SigningAlgorithm, r.Status, scheme)
			}
		}
		return nil
	}
}

// Each signing_algorithm reads the exact listing, and the fake, which checks
// each scheme with code of its own, saw that scheme on every request, the IAM
// project lookup included.
func TestAccProvider_signingAlgorithm(t *testing.T) {
	for _, tc := range signingSchemes {
		t.Run(tc.algorithm, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			acctest.Run(t, []resource.TestStep{{
				Config:            fake.ProviderConfig(fmt.Sprintf("signing_algorithm = %q", tc.algorithm)) + dataSource(),
				ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkAllSignedWith(fake, tc.scheme),
					fake.CheckIAMQueries("name="+fakeapi.Region),
					fake.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"),
					fake.CheckAllSignedBy(fakeapi.AccessKey, ""),
				),
			}})
		})
	}
}

// Temporary credentials sign the token too with the ECC algorithms, over pages.
func TestAccProvider_signingAlgorithmTemporaryPages(t *testing.T) {
	for _, tc := range signingSchemes[2:] {
		t.Run(tc.algorithm, func(t *testing.T) {
			t.Parallel()
			opts := fakeapi.DefaultOptions()
			opts.Projects[0].Snapshots = fakeapi.Generate(1001)
			fake := acctest.StartFake(t, opts)
			acctest.Run(t, []resource.TestStep{{
				Config: fmt.Sprintf(`provider "huaweicloud" {
  region            = %q
  access_key        = %q
  secret_key        = %q
  security_token    = %q
  signing_algorithm = %q
  endpoints         = { workspace = %q, iam = %q }
}
`, fakeapi.Region, fakeapi.TempAccessKey, fakeapi.TempSecretKey, fakeapi.SecurityToken, tc.algorithm, fake.URL, fake.URL) + dataSource(),
				ConfigStateChecks: snapshotsChecks(opts.Projects[0].Snapshots),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkAllSignedWith(fake, tc.scheme),
					fake.CheckAllSignedBy(fakeapi.TempAccessKey, fakeapi.SecurityToken),
					fake.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000", "offset=1000&limit=1000"),
				),
			}})
		})
	}
}

// HW_SIGNING_ALGORITHM chooses the algorithm when the block does not, and the
// block wins over it. These set variables, so they do not run in parallel.
func TestAccProvider_signingAlgorithmEnvironment(t *testing.T) {
	cases := []struct {
		name, env, line, scheme string
	}{
		{"variable", "HmacSM3", "", "SDK-HMAC-SM3"},
		{"variable, ECC", "SM2SM3", "", "SDK-SM2-SM3"},
		{"attribute wins", "SM2SM3", `signing_algorithm = "EcdsaP256SHA256"`, "SDK-ECDSA-P256-SHA256"},
		{"neither: the default", "", "", "SDK-HMAC-SHA256"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := acctest.StartFake(t)
			for k, v := range hwPermanent {
				t.Setenv(k, v)
			}
			if tc.env != "" {
				t.Setenv("HW_SIGNING_ALGORITHM", tc.env)
			}
			var lines []string
			if tc.line != "" {
				lines = append(lines, tc.line)
			}
			acctest.Run(t, []resource.TestStep{{
				Config:            fake.EndpointsOnly(lines...) + dataSource(),
				ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
				Check:             checkAllSignedWith(fake, tc.scheme),
			}})
		})
	}
}

// An invalid value is refused before any request: the attribute at plan time
// with the allowed values, the variable naming itself.
func TestAccProvider_signingAlgorithmInvalid(t *testing.T) {
	cases := []struct {
		name, line, env string
		err             []string
	}{
		{name: "attribute, wrong case", line: `signing_algorithm = "hmacsm3"`,
			err: []string{`Attribute signing_algorithm value must be one of: ["HmacSHA256" "HmacSM3" "EcdsaP256SHA256" "SM2SM3"], got: "hmacsm3"`}},
		{name: "attribute, a scheme name", line: `signing_algorithm = "SDK-HMAC-SM3"`,
			err: []string{`Attribute signing_algorithm value must be one of:`, `got: "SDK-HMAC-SM3"`}},
		{name: "variable", env: "HmacSHA1",
			err: []string{"Invalid provider configuration", `HW_SIGNING_ALGORITHM="HmacSHA1" is not a signing algorithm: use one of HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3 (names are case-sensitive), or unset it for the default HmacSHA256`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := acctest.StartFake(t)
			if tc.env != "" {
				t.Setenv("HW_SIGNING_ALGORITHM", tc.env)
			}
			var lines []string
			if tc.line != "" {
				lines = append(lines, tc.line)
			}
			acctest.Run(t, []resource.TestStep{{
				Config:      fake.ProviderConfig(lines...) + dataSource(),
				ExpectError: acctest.ExpectError(tc.err...),
			}})
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("the fake API saw %d requests, want none", n)
			}
		})
	}
}

// A wrong secret key with an ECC algorithm: the derived key is wrong, and the
// gateway's 401 APIG.0301 reaches the user with the scheme recorded.
func TestAccProvider_signingAlgorithmWrongKey(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{{
		Config: fmt.Sprintf(`provider "huaweicloud" {
  region            = %q
  access_key        = %q
  secret_key        = "not-the-secret-key"
  project_id        = %q
  signing_algorithm = "SM2SM3"
  endpoints         = { workspace = %q }
}
`, fakeapi.Region, fakeapi.AccessKey, fakeapi.ProjectID, fake.URL) + dataSource(),
		ExpectError: acctest.ExpectError("Cannot list desktop snapshots", "HTTP 401", `error_code "APIG.0301"`,
			`error_msg "Incorrect IAM authentication information: verify aksk signature fail"`, "check access_key and secret_key"),
	}})
	reqs := fake.Requests()
	if len(reqs) == 0 {
		t.Fatal("the fake saw no request")
	}
	for _, r := range reqs {
		if r.Status != 401 || r.ErrorCode != "APIG.0301" || r.SigningAlgorithm != "SDK-SM2-SM3" {
			t.Errorf("recorded %d %s signed with %q, want 401 APIG.0301 signed with SDK-SM2-SM3", r.Status, r.ErrorCode, r.SigningAlgorithm)
		}
	}
}
