package datasources_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// project_name picks a sub-project of the provider's region: the IAM lookup
// asks for it by name instead of the region's, and the listing reads its
// snapshots. A data source in another region still uses that region's default
// project.
func TestAccProvider_projectName(t *testing.T) {
	t.Parallel()
	const subID, subName = "5ab5ab5ab5ab4ab5ab5ab5ab5ab5ab5a", fakeapi.Region + "_sub"
	sub := sample(t, s3Xzx03, s5Weekly)
	opts := fakeapi.DefaultOptions()
	opts.Projects = append(opts.Projects, fakeapi.Project{ID: subID, Name: subName, Snapshots: sub})
	fake := acctest.StartFake(t, opts)
	acctest.Run(t, []resource.TestStep{
		{
			Config: fake.ProviderConfig(`project_name = "`+subName+`"`) + dataSource(),
			ConfigStateChecks: append(snapshotsChecks(sub),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(fakeapi.Region))),
			Check: resource.ComposeAggregateTestCheckFunc(
				fake.CheckIAMQueries("name="+subName),
				fake.CheckSnapshotQueries(subID, "offset=0&limit=1000"),
			),
		},
		{
			Config:            fake.ProviderConfig(`project_name = "`+subName+`"`) + dataSource(`region = "`+fakeapi.EmptyRegion+`"`),
			ConfigStateChecks: snapshotsChecks(nil),
			Check:             fake.CheckIAMQueries("name="+subName, "name="+fakeapi.EmptyRegion),
		},
		{
			Config:      fake.ProviderConfig(`project_name = "`+fakeapi.Region+`_nosuch"`) + dataSource(),
			ExpectError: acctest.ExpectError("Cannot find the project ID", `The provider looked up the project ID of region "cn-north-4"`, `IAM lists no project named "cn-north-4_nosuch"`, "check the region's name (or project_name)"),
		},
	})
}

// checkDomainHeader passes when every IAM project lookup the fake saw carried
// X-Domain-Id want ("" for none), signed when sent, and the account lookup
// (GET /v3/auth/domains) was made domainLookups times.
func checkDomainHeader(f *acctest.Fake, want string, domainLookups int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		lookups := 0
		for _, r := range f.Requests() {
			switch r.Path {
			case "/v3/auth/domains":
				lookups++
				if r.Status != 200 {
					return fmt.Errorf("GET /v3/auth/domains answered %d %s", r.Status, r.ErrorCode)
				}
			case "/v3/projects":
				if got := r.Header.Get("X-Domain-Id"); got != want {
					return fmt.Errorf("project lookup carried X-Domain-Id %q, want %q", got, want)
				}
				signed := strings.Contains(r.Header.Get("Authorization"), "x-domain-id")
				if signed != (want != "") {
					return fmt.Errorf("x-domain-id signed: %v, want %v (%s)", signed, want != "", r.Header.Get("Authorization"))
				}
			}
		}
		if lookups != domainLookups {
			return fmt.Errorf("GET /v3/auth/domains made %d times, want %d", lookups, domainLookups)
		}
		return nil
	}
}

// domain_id is sent, signed, as X-Domain-Id on the IAM lookup, and the fake,
// like IAM, refuses another account's; domain_name is checked against the
// keys' account and its ID sent the same way.
func TestAccProvider_domain(t *testing.T) {
	cases := []struct {
		name, line    string
		header        string
		domainLookups int
		err           []string
	}{
		{name: "no domain", line: "", header: ""},
		{name: "domain_id", line: `domain_id = "` + fakeapi.DomainID + `"`, header: fakeapi.DomainID},
		{name: "domain_name", line: `domain_name = "` + fakeapi.DomainName + `"`, header: fakeapi.DomainID, domainLookups: 1},
		{name: "domain_id wins over domain_name", line: `domain_id = "` + fakeapi.DomainID + `"` + "\n" + `domain_name = "other-account"`, header: fakeapi.DomainID},
		{name: "another account's domain_id", line: `domain_id = "0123456789abcdef0123456789abcdef"`,
			err: []string{"Cannot find the project ID", "HTTP 403", `error_code "IAM.0003"`, "X-Domain-Id 0123456789abcdef0123456789abcdef is not the account of the access key"}},
		{name: "another account's domain_name", line: `domain_name = "other-account"`,
			err: []string{"Cannot find the project ID", `the credentials belong to the account "` + fakeapi.DomainName + `" (` + fakeapi.DomainID + `), not to domain_name "other-account"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := acctest.StartFake(t)
			step := resource.TestStep{Config: fake.ProviderConfig(tc.line) + dataSource()}
			if tc.err != nil {
				step.ExpectError = acctest.ExpectError(tc.err...)
			} else {
				step.ConfigStateChecks = snapshotsChecks(fakeapi.Sample())
				step.Check = resource.ComposeAggregateTestCheckFunc(
					checkDomainHeader(fake, tc.header, tc.domainLookups),
					fake.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"))
			}
			acctest.Run(t, []resource.TestStep{step})
		})
	}
}

// region = "" means the provider's region, in the provider block (which then
// takes HW_REGION_NAME) and in the data source (which keeps "" in its state,
// as Terraform requires of a configured value, and reads the provider's
// region). Not parallel: it sets HW_REGION_NAME.
// emptyRegionProvider is a provider block whose region, like a module's
// var.region with an empty default, is "": HW_REGION_NAME then gives it.
func emptyRegionProvider(fake *acctest.Fake) string {
	return fmt.Sprintf(`
variable "region" {
  type    = string
  default = ""
}

provider "huaweicloud" {
  region     = var.region
  access_key = %q
  secret_key = %q
  endpoints  = { workspace = %q, iam = %q }
}
`, fakeapi.AccessKey, fakeapi.SecretKey, fake.URL, fake.URL)
}

func TestAccProvider_emptyRegion(t *testing.T) {
	fake := acctest.StartFake(t)
	t.Setenv("HW_REGION_NAME", fakeapi.Region)
	acctest.Run(t, []resource.TestStep{{
		Config: emptyRegionProvider(fake) + dataSource(`region = var.region`),
		ConfigStateChecks: append(snapshotsChecks(fakeapi.Sample()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(""))),
		Check: resource.ComposeAggregateTestCheckFunc(
			fake.CheckIAMQueries("name="+fakeapi.Region),
			fake.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"),
		),
	}})
}

// An endpoints map copied from the official provider's configuration, with
// keys this provider does not use and values without a scheme (which the
// official provider takes), works: those keys are only warned about (the
// warning's text is checked in internal/provider; terraform-plugin-testing
// cannot assert warnings). A likely typo of a used key fails at plan time with
// a "did you mean" (TestAccProvider_invalidSettings).
func TestAccProvider_endpointKeys(t *testing.T) {
	t.Parallel()
	fake := acctest.StartFake(t)
	acctest.Run(t, []resource.TestStep{
		{
			Config: `
provider "huaweicloud" {
  region     = "` + fakeapi.Region + `"
  access_key = "` + fakeapi.AccessKey + `"
  secret_key = "` + fakeapi.SecretKey + `"
  endpoints = {
    workspace = "` + fake.URL + `"
    iam       = "` + fake.URL + `"
    ecs       = "ecs.cn-north-4.myhuaweicloud.com"
    vpc       = "https://vpc.cn-north-4.myhuaweicloud.com/"
    obs       = "obs.cn-north-4.myhuaweicloud.com"
  }
}
` + dataSource(),
			ConfigStateChecks: snapshotsChecks(fakeapi.Sample()),
			Check:             fake.CheckSnapshotQueries(fakeapi.ProjectID, "offset=0&limit=1000"),
		},
	})
}
