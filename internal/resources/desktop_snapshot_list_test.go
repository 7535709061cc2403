package resources_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

const listAddr = "huaweicloud_workspace_desktop_snapshot.test"

// listsNeed14 skips below Terraform 1.14, the first with list blocks and
// terraform query (OpenTofu 1.12 has neither).
var listsNeed14 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

func listBlock(extra string, config ...string) string {
	return fmt.Sprintf("list \"huaweicloud_workspace_desktop_snapshot\" \"test\" {\n  provider = huaweicloud\n%s  config {\n    %s\n  }\n}\n",
		extra, strings.Join(config, "\n    "))
}

// byID selects the result of one snapshot.
func byID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"snapshot_id": knownvalue.StringExact(id), "region": knownvalue.StringExact(fakeapi.Region),
	})
}

// Filters as the data source has them; each result has the identity, the
// display name "<snapshot_name> (<desktop_name>)" and the resource object with
// every field.
func TestAccDesktopSnapshotList_filters(t *testing.T) {
	fake := acctest.StartFake(t)
	want := fake.Snapshots(fakeapi.ProjectID)[2] // sys0420_xzx03_1713602176593
	var values []querycheck.KnownValueCheck
	for name, c := range acctest.ExpectSnapshotFields(want) {
		values = append(values, querycheck.KnownValueCheck{Path: tfjsonpath.New(name), KnownValue: c})
	}
	values = append(values,
		querycheck.KnownValueCheck{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(xzx03Snapshot)},
		querycheck.KnownValueCheck{Path: tfjsonpath.New("disk_type"), KnownValue: knownvalue.StringExact("SYSTEM_DISK")},
		querycheck.KnownValueCheck{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact(fakeapi.Region)},
		querycheck.KnownValueCheck{Path: tfjsonpath.New("name"), KnownValue: knownvalue.Null()},
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   listsNeed14,
		Steps: []resource.TestStep{
			{
				Query:  true,
				Config: fake.ProviderConfig() + listBlock("  include_resource = true\n", `desktop_id = "`+xzx03Desktop+`"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(listAddr, 2),
					querycheck.ExpectIdentity(listAddr, map[string]knownvalue.Check{
						"snapshot_id": knownvalue.StringExact(xzx03Snapshot), "region": knownvalue.StringExact(fakeapi.Region),
					}),
					querycheck.ExpectResourceDisplayName(listAddr, byID(xzx03Snapshot), knownvalue.StringExact("sys0420_xzx03_1713602176593 (xzx03)")),
					querycheck.ExpectResourceDisplayName(listAddr, byID("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"), knownvalue.StringExact("weekly (xzx03)")),
					querycheck.ExpectResourceKnownValues(listAddr, byID(xzx03Snapshot), values),
				},
			},
			{
				PreConfig: fake.Reset,
				Query:     true,
				Config: fake.ProviderConfig() + listBlock("", `snapshot_names = ["weekly", "Zeta-failed"]`, `create_type    = "AUTO"`,
					`sort_field     = "create_time"`, `sort_type      = "DESC"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(listAddr, 1),
					querycheck.ExpectResourceDisplayName(listAddr, byID("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"), knownvalue.StringExact("weekly (xzx03)")),
				},
			},
		},
	})
	// The last query's requests: the filters in the API's order, and one page
	// of 100, the limit Terraform gives a list block that sets none.
	if err := fake.CheckSnapshotQueries(fakeapi.ProjectID,
		"snapshot_names=weekly&snapshot_names=Zeta-failed&create_type=AUTO&sort_field=create_time&sort_type=DESC&offset=0&limit=100")(&terraform.State{}); err != nil {
		t.Error(err)
	}
}

// limit up to 1000 is one request of that many; above, the concurrent pager
// reads every page and the results stop at the limit.
func TestAccDesktopSnapshotList_limit(t *testing.T) {
	fake := acctest.StartFake(t)
	region := `region = "` + fakeapi.LargeRegion + `"`
	first := fake.Snapshots(fakeapi.LargeProjectID)[0]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   listsNeed14,
		Steps: []resource.TestStep{
			{
				Query:  true,
				Config: fake.ProviderConfig() + listBlock("  limit = 3\n", region),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(listAddr, 3),
					querycheck.ExpectIdentity(listAddr, map[string]knownvalue.Check{
						"snapshot_id": knownvalue.StringExact(*first.SnapshotID), "region": knownvalue.StringExact(fakeapi.LargeRegion),
					}),
				},
			},
			{
				PreConfig: func() {
					if err := fake.CheckSnapshotQueries(fakeapi.LargeProjectID, "offset=0&limit=3")(nil); err != nil {
						t.Error(err)
					}
					fake.Reset()
				},
				Query:             true,
				Config:            fake.ProviderConfig() + listBlock("  limit = 1500\n", region),
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(listAddr, 1500)},
			},
		},
	})
	if err := fake.CheckSnapshotQueries(fakeapi.LargeProjectID, "offset=0&limit=1000", "offset=1000&limit=1000", "offset=2000&limit=1000")(nil); err != nil {
		t.Error(err)
	}
}

// Bad filters are refused before any request.
func TestAccDesktopSnapshotList_badInput(t *testing.T) {
	fake := acctest.StartFake(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   listsNeed14,
		Steps: []resource.TestStep{{
			Query:       true,
			Config:      fake.ProviderConfig() + listBlock("", `disk_type = "BOTH"`),
			ExpectError: acctest.ExpectError(`Attribute disk_type value must be one of: ["SYSTEM_DISK" "DATA_DISKS" "ALL"], got: "BOTH"`),
		}},
	})
	if n := len(fake.SnapshotRequests()); n != 0 {
		t.Errorf("the fake saw %d requests, want none", n)
	}
}
