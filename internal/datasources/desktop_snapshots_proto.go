package datasources

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

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
// state is encoded to msgpack straight from the typed API structs (see
// encodeState), byte for byte what tftypes would write. Validation, schema and
// configuration stay the framework's.
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
	if attrs["region"].IsNull() {
		// A configured region, "" included, stays as written.
		attrs["region"] = tftypes.NewValue(tftypes.String, r.region)
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, r.id)
	attrs["total_count"] = tftypes.NewValue(tftypes.Number, int64(len(r.out.Snapshots)))
	state, err := encodeState(protoSchema.typ, attrs, r.out.Snapshots)
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

// The state is encoded to msgpack here rather than by building a tftypes.Value
// of 50,000 objects and calling tfprotov6.NewDynamicValue: at 50,000 snapshots
// that cost about 1 CPU-s and 0.5 GB per read, for 700,000 boxed values built
// only to be walked once. The encoding is tftypes' own, byte for byte, with the
// same msgpack library and the same choices (an object is a map with its
// attribute names sorted; a null is nil; a number that is an int64 is the
// smallest msgpack int), which TestEncodeStateMatchesTftypes checks against
// tfprotov6.NewDynamicValue.

// snapshotField is one attribute of a snapshot: its name and how to encode it.
type snapshotField struct {
	name   string
	encode func(enc *msgpack.Encoder, s *client.DesktopSnapshot) error
}

func stringField(name string, get func(s *client.DesktopSnapshot) *string) snapshotField {
	return snapshotField{name, func(enc *msgpack.Encoder, s *client.DesktopSnapshot) error {
		if p := get(s); p != nil {
			return enc.EncodeString(*p)
		}
		return enc.EncodeNil()
	}}
}

// snapshotFields are the snapshot's attributes in tftypes' order (sorted by
// name); TestSnapshotFieldsMatchTheSchema makes sure they are exactly
// snapshotTFType's.
var snapshotFields = sortedFields([]snapshotField{
	stringField("snapshot_id", func(s *client.DesktopSnapshot) *string { return s.SnapshotID }),
	stringField("snapshot_name", func(s *client.DesktopSnapshot) *string { return s.SnapshotName }),
	stringField("desktop_id", func(s *client.DesktopSnapshot) *string { return s.DesktopID }),
	stringField("desktop_name", func(s *client.DesktopSnapshot) *string { return s.DesktopName }),
	stringField("desktop_sid", func(s *client.DesktopSnapshot) *string { return s.DesktopSID }),
	stringField("desktop_pool_id", func(s *client.DesktopSnapshot) *string { return s.DesktopPoolID }),
	{"is_system_disk", func(enc *msgpack.Encoder, s *client.DesktopSnapshot) error {
		if s.IsSystemDisk != nil {
			return enc.EncodeBool(*s.IsSystemDisk)
		}
		return enc.EncodeNil()
	}},
	stringField("status", func(s *client.DesktopSnapshot) *string { return s.Status }),
	{"process", func(enc *msgpack.Encoder, s *client.DesktopSnapshot) error {
		if s.Process != nil {
			return enc.EncodeInt(*s.Process)
		}
		return enc.EncodeNil()
	}},
	stringField("description", func(s *client.DesktopSnapshot) *string { return s.Description }),
	stringField("create_time", func(s *client.DesktopSnapshot) *string { return s.CreateTime }),
	stringField("create_type", func(s *client.DesktopSnapshot) *string { return s.CreateType }),
	stringField("last_restore_time", func(s *client.DesktopSnapshot) *string { return s.LastRestoreTime }),
	stringField("restore_fail_reason", func(s *client.DesktopSnapshot) *string { return s.RestoreFailReason }),
})

func sortedFields(fields []snapshotField) []snapshotField {
	slices.SortFunc(fields, func(a, b snapshotField) int { return strings.Compare(a.name, b.name) })
	return fields
}

// encodeState encodes the state object of type typ: attrs for every attribute
// but "snapshots", which is encoded from snapshots directly.
func encodeState(typ tftypes.Object, attrs map[string]tftypes.Value, snapshots []client.DesktopSnapshot) (tfprotov6.DynamicValue, error) {
	if t, ok := typ.AttributeTypes["snapshots"]; !ok || !t.Equal(tftypes.List{ElementType: snapshotTFType}) {
		return tfprotov6.DynamicValue{}, fmt.Errorf("the state has no list of snapshots")
	}
	names := slices.Sorted(maps.Keys(typ.AttributeTypes))
	var buf bytes.Buffer
	buf.Grow(512 * len(snapshots))
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeMapLen(len(names)); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	for _, name := range names {
		if err := enc.EncodeString(name); err != nil {
			return tfprotov6.DynamicValue{}, err
		}
		if name == "snapshots" {
			if err := encodeSnapshots(enc, snapshots); err != nil {
				return tfprotov6.DynamicValue{}, err
			}
			continue
		}
		v, ok := attrs[name]
		if !ok {
			return tfprotov6.DynamicValue{}, fmt.Errorf("%s: no value set", name)
		}
		// tftypes' encoding of one value alone is the same bytes as inside the
		// object, and the encoder writes straight to buf, keeping no state.
		dv, err := tfprotov6.NewDynamicValue(typ.AttributeTypes[name], v)
		if err != nil {
			return tfprotov6.DynamicValue{}, fmt.Errorf("%s: %w", name, err)
		}
		buf.Write(dv.MsgPack)
	}
	return tfprotov6.DynamicValue{MsgPack: buf.Bytes()}, nil
}

func encodeSnapshots(enc *msgpack.Encoder, snapshots []client.DesktopSnapshot) error {
	if err := enc.EncodeArrayLen(len(snapshots)); err != nil {
		return err
	}
	for i := range snapshots {
		if err := enc.EncodeMapLen(len(snapshotFields)); err != nil {
			return err
		}
		for _, f := range snapshotFields {
			if err := enc.EncodeString(f.name); err != nil {
				return err
			}
			if err := f.encode(enc, &snapshots[i]); err != nil {
				return err
			}
		}
	}
	return nil
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
