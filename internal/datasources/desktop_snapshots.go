// Package datasources holds the provider's data sources, one file each.
package datasources

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// huaweicloud_workspace_desktop_snapshots: every snapshot its filters select,
// derived from the snapshot's one description (schemakit.DesktopSnapshot).
//
// @API Workspace GET /v2/{project_id}/snapshots
var desktopSnapshots = register(listDataSource(schemakit.DesktopSnapshot,
	"Lists the desktop snapshots of a Huawei Cloud Workspace project through the `ListDesktopSnapshot` API "+
		"(`GET /v2/{project_id}/snapshots`): every filter the API has, every page (1000 snapshots a request), every field, in the API's order.",
	"The region to list snapshots in. Defaults to the provider's `region`."))

// NewDesktopSnapshotsDataSource returns the data source.
func NewDesktopSnapshotsDataSource() datasource.DataSource { return desktopSnapshots.newDataSource() }

// snapshotsArgs is the request the configuration selects.
type snapshotsArgs = workspace.ListDesktopSnapshotsInput

// dataSourceID hashes what selects the listing, so that equal arguments give equal
// IDs. Values are length-prefixed so that no two different inputs collide by
// concatenation.
func dataSourceID(region, projectID string, q sign.Query) string {
	h := sha256.New()
	write := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	write(region)
	write(projectID)
	for _, p := range q {
		write(p.Key)
		write(p.Value)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
