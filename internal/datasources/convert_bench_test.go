package datasources

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// BenchmarkConvertSnapshots converts decoded API snapshots into the list value,
// with the framework's reflection and with snapshotsValue, side by side:
//
//	go test -run '^$' -bench ConvertSnapshots -benchmem ./internal/datasources/
func BenchmarkConvertSnapshots(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		in := apiSnapshots(b, fakeapi.Generate(n))
		for _, c := range []struct {
			name    string
			convert func([]workspace.DesktopSnapshot) (types.List, diag.Diagnostics)
		}{
			{"reflection", snapshotsValueReflect},
			{"direct", snapshotsValue},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					list, diags := c.convert(in)
					if diags.HasError() || len(list.Elements()) != n {
						b.Fatalf("%d elements, %v", len(list.Elements()), diags)
					}
				}
			})
		}
	}
}

// BenchmarkStateSetSnapshots is the framework's State.Set of the data source's
// model holding n converted snapshots, as Read ends: the part of a read after the
// conversion that the provider's code calls but does not control.
//
//	go test -run '^$' -bench StateSetSnapshots -benchmem ./internal/datasources/
func BenchmarkStateSetSnapshots(b *testing.B) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	NewDesktopSnapshotsDataSource().Schema(ctx, datasource.SchemaRequest{}, &sr)
	for _, n := range []int{1000, 10000, 50000} {
		list, diags := snapshotsValue(apiSnapshots(b, fakeapi.Generate(n)))
		if diags.HasError() {
			b.Fatal(diags)
		}
		m := desktopSnapshotsModel{
			ID: types.StringValue("id"), Region: types.StringValue(fakeapi.LargeRegion),
			DesktopIDs: types.ListNull(types.StringType), DesktopNames: types.ListNull(types.StringType),
			SnapshotNames: types.ListNull(types.StringType), TotalCount: types.Int64Value(int64(n)), Snapshots: list,
			Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})},
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
				if diags := state.Set(ctx, &m); diags.HasError() {
					b.Fatal(diags)
				}
			}
		})
	}
}
