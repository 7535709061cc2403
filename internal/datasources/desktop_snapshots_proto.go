package datasources

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
)

// The protocol path of huaweicloud_workspace_desktop_snapshots.
//
// Why: at 50,000 snapshots, terraform-plugin-framework v1.19 spends most of a
// read's time not in Read but around it: State.Set converts the list to
// tftypes, back and again; after Read, semantic equality deep-copies and
// compares the whole state, and ReifyNullCollectionBlocks resolves the schema
// path of every null value (BENCHMARKS.md has the profile). ReadProto serves
// ReadDataSource itself: the configuration is still decoded by the framework
// (small, and the same code as Read), the listing is the same fetch, and the
// state is built once as a tftypes.Value from the typed API structs and encoded
// to msgpack. Validation, schema and configuration stay the framework's.
//
// What it gives up: the framework's post-Read processing does nothing for this
// schema. There is no semantic equality to honour (no custom types), and there
// are no collection blocks to reify (timeouts is a single nested block, which is
// copied from the configuration as is).

var protoSchema struct {
	once sync.Once
	s    tfsdk.Config // Schema only; Raw unused
	typ  tftypes.Object
	err  error
}

// loadProtoSchema builds the data source's schema and its tftypes type, once.
func loadProtoSchema(ctx context.Context) error {
	protoSchema.once.Do(func() {
		var resp datasource.SchemaResponse
		(&DesktopSnapshotsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			protoSchema.err = fmt.Errorf("the data source's schema: %v", resp.Diagnostics)
			return
		}
		typ, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			protoSchema.err = fmt.Errorf("the data source's schema is not an object")
			return
		}
		protoSchema.s.Schema = resp.Schema
		protoSchema.typ = typ
	})
	return protoSchema.err
}

// ReadProto serves ReadDataSource for this data source with session, which the
// provider configured.
func ReadProto(ctx context.Context, session *client.Session, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	start := time.Now()
	var diags diag.Diagnostics
	resp := &tfprotov6.ReadDataSourceResponse{}
	done := func() *tfprotov6.ReadDataSourceResponse {
		resp.Diagnostics = protoDiagnostics(diags)
		if resp.State == nil && protoSchema.err == nil {
			// As the framework answers a failed read: every attribute null.
			nulls := make(map[string]tftypes.Value, len(protoSchema.typ.AttributeTypes))
			for name, t := range protoSchema.typ.AttributeTypes {
				nulls[name] = tftypes.NewValue(t, nil)
			}
			if empty, err := tfprotov6.NewDynamicValue(protoSchema.typ, tftypes.NewValue(protoSchema.typ, nulls)); err == nil {
				resp.State = &empty
			}
		}
		return resp
	}
	if err := loadProtoSchema(ctx); err != nil {
		diags.AddError("Internal error", err.Error()+". This is a bug in the provider; please report it.")
		return done()
	}
	if req.Config == nil {
		diags.AddError("Internal error", "ReadDataSource without a configuration. This is a bug in Terraform or the provider; please report it.")
		return done()
	}
	raw, err := req.Config.Unmarshal(protoSchema.typ)
	if err != nil {
		diags.AddError("Cannot decode the configuration", err.Error())
		return done()
	}
	var m desktopSnapshotsModel
	cfg := tfsdk.Config{Schema: protoSchema.s.Schema, Raw: raw}
	diags.Append(cfg.Get(ctx, &m)...)
	if diags.HasError() {
		return done()
	}

	d := &DesktopSnapshotsDataSource{session: session}
	r := d.fetch(ctx, m, &diags)
	if diags.HasError() {
		return done()
	}

	// The state is the configuration with the computed attributes filled in.
	attrs := map[string]tftypes.Value{}
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Cannot decode the configuration", err.Error())
		return done()
	}
	attrs["region"] = tftypes.NewValue(tftypes.String, r.region)
	attrs["id"] = tftypes.NewValue(tftypes.String, r.id)
	attrs["total_count"] = tftypes.NewValue(tftypes.Number, int64(len(r.out.Snapshots)))
	attrs["snapshots"] = snapshotsTFValue(r.out.Snapshots)
	state, err := tfprotov6.NewDynamicValue(protoSchema.typ, tftypes.NewValue(protoSchema.typ, attrs))
	if err != nil {
		diags.AddError("Cannot encode the state", err.Error()+". This is a bug in the provider; please report it.")
		return done()
	}
	resp.State = &state
	r.log(ctx, start)
	return done()
}

// snapshotTFType is the tftypes type of one snapshot, built once from the
// framework's attribute types so that the two paths cannot disagree.
var snapshotTFType = snapshotObjectType.TerraformType(context.Background())

var (
	tfNullString = tftypes.NewValue(tftypes.String, nil)
	tfNullBool   = tftypes.NewValue(tftypes.Bool, nil)
	tfNullNumber = tftypes.NewValue(tftypes.Number, nil)
)

func tfString(p *string) tftypes.Value {
	if p == nil {
		return tfNullString
	}
	return tftypes.NewValue(tftypes.String, *p)
}

func tfBool(p *bool) tftypes.Value {
	if p == nil {
		return tfNullBool
	}
	return tftypes.NewValue(tftypes.Bool, *p)
}

func tfInt(p *int64) tftypes.Value {
	if p == nil {
		return tfNullNumber
	}
	return tftypes.NewValue(tftypes.Number, *p)
}

// snapshotsTFValue is snapshotsValue in tftypes: absent fields null, "" kept.
func snapshotsTFValue(snapshots []client.DesktopSnapshot) tftypes.Value {
	elems := make([]tftypes.Value, len(snapshots))
	for i, s := range snapshots {
		elems[i] = tftypes.NewValue(snapshotTFType, map[string]tftypes.Value{
			"snapshot_id":         tfString(s.SnapshotID),
			"snapshot_name":       tfString(s.SnapshotName),
			"desktop_id":          tfString(s.DesktopID),
			"desktop_name":        tfString(s.DesktopName),
			"desktop_sid":         tfString(s.DesktopSID),
			"desktop_pool_id":     tfString(s.DesktopPoolID),
			"is_system_disk":      tfBool(s.IsSystemDisk),
			"status":              tfString(s.Status),
			"process":             tfInt(s.Process),
			"description":         tfString(s.Description),
			"create_time":         tfString(s.CreateTime),
			"create_type":         tfString(s.CreateType),
			"last_restore_time":   tfString(s.LastRestoreTime),
			"restore_fail_reason": tfString(s.RestoreFailReason),
		})
	}
	return tftypes.NewValue(tftypes.List{ElementType: snapshotTFType}, elems)
}

// protoDiagnostics converts the framework's diagnostics for the protocol.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		severity := tfprotov6.DiagnosticSeverityError
		if d.Severity() == diag.SeverityWarning {
			severity = tfprotov6.DiagnosticSeverityWarning
		}
		out = append(out, &tfprotov6.Diagnostic{Severity: severity, Summary: d.Summary(), Detail: d.Detail()})
	}
	return out
}
