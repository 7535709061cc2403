package datasources

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
)

// The protocol path of a read.
//
// Why: at 50,000 snapshots, terraform-plugin-framework v1.19 spends most of a
// read's time not in Read but around it: State.Set converts the list to
// tftypes, back and again; after Read, semantic equality deep-copies and
// compares the whole state, and ReifyNullCollectionBlocks resolves the schema
// path of every null value (BENCHMARKS.md has the profile). A data source that
// implements ProtoReader serves ReadDataSource itself: the configuration is
// still decoded by the framework (small, and the same code as Read), the
// listing is the same fetch, and the state is encoded to msgpack by
// encodeState, derived from the schema's type, byte for byte what tftypes
// would write. Validation, schema and configuration stay the framework's.
//
// What it gives up: the framework's post-Read processing, which does nothing
// for these schemas. There is no semantic equality to honour (no custom
// types), and there are no collection blocks to reify (timeouts is a single
// nested block, which is copied from the configuration as is).

// ProtoReader is a data source whose reads the provider's protocol server
// serves directly, once the provider is configured. The server finds the data
// sources that implement it in its own list, under the type names their
// Metadata gives: registering is implementing it.
type ProtoReader interface {
	datasource.DataSource
	ReadProto(ctx context.Context, session *client.Session, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse
}

// protoSchema is a data source's schema and its tftypes type, built once per
// data source value.
type protoSchema struct {
	once   sync.Once
	schema schema.Schema
	typ    tftypes.Object
	err    error
}

func (ps *protoSchema) load(ctx context.Context, ds datasource.DataSource) error {
	ps.once.Do(func() {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			ps.err = fmt.Errorf("the data source's schema: %v", resp.Diagnostics)
			return
		}
		typ, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			ps.err = fmt.Errorf("the data source's schema is not an object")
			return
		}
		ps.schema, ps.typ = resp.Schema, typ
	})
	return ps.err
}

// serveProto serves ReadDataSource for ds: read reads the configuration and
// returns the state's description, its problems in diags.
func serveProto(ctx context.Context, ps *protoSchema, ds datasource.DataSource, req *tfprotov6.ReadDataSourceRequest,
	read func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) *readState,
) *tfprotov6.ReadDataSourceResponse {
	var diags diag.Diagnostics
	resp := &tfprotov6.ReadDataSourceResponse{}
	var raw tftypes.Value
	done := func() *tfprotov6.ReadDataSourceResponse {
		resp.Diagnostics = protoDiagnostics(diags)
		if resp.State == nil && ps.err == nil && raw.Type() != nil {
			// As the framework answers a read that failed: the configuration.
			if cfg, err := tfprotov6.NewDynamicValue(ps.typ, raw); err == nil {
				resp.State = &cfg
			}
		}
		if resp.State == nil && ps.err == nil {
			// Or, without one, every attribute null.
			nulls := make(map[string]tftypes.Value, len(ps.typ.AttributeTypes))
			for name, t := range ps.typ.AttributeTypes {
				nulls[name] = tftypes.NewValue(t, nil)
			}
			if empty, err := tfprotov6.NewDynamicValue(ps.typ, tftypes.NewValue(ps.typ, nulls)); err == nil {
				resp.State = &empty
			}
		}
		return resp
	}
	if err := ps.load(ctx, ds); err != nil {
		diags.AddError("Internal error", err.Error()+". This is a bug in the provider; please report it.")
		return done()
	}
	if req.Config == nil {
		diags.AddError("Internal error", "ReadDataSource without a configuration. This is a bug in Terraform or the provider; please report it.")
		return done()
	}
	cfg, err := req.Config.Unmarshal(ps.typ)
	if err != nil {
		diags.AddError("Cannot decode the configuration", err.Error())
		return done()
	}
	raw = cfg
	st := read(ctx, tfsdk.Config{Schema: ps.schema, Raw: raw}, &diags)
	if diags.HasError() || st == nil {
		return done()
	}

	// The state is the configuration with the computed attributes filled in.
	attrs := map[string]tftypes.Value{}
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Cannot decode the configuration", err.Error())
		return done()
	}
	maps.Copy(attrs, st.attrs)
	state, err := encodeState(ps.typ, attrs, st.items)
	if err != nil {
		diags.AddError("Cannot encode the state", err.Error()+". This is a bug in the provider; please report it.")
		return done()
	}
	resp.State = &state
	st.done(ctx)
	return done()
}

// The state is encoded to msgpack here rather than by building a tftypes.Value
// of 50,000 objects and calling tfprotov6.NewDynamicValue: at 50,000 snapshots
// that cost about 1 CPU-s and 0.5 GB per read, for 700,000 boxed values built
// only to be walked once. The encoding is tftypes' own, byte for byte, with the
// same msgpack library and the same choices (an object is a map with its
// attribute names sorted; a null is nil; a number that is an int64 is the
// smallest msgpack int), which TestEncodeStateMatchesTftypes checks against
// tfprotov6.NewDynamicValue.

// encodeState encodes the state object of type typ: items' attributes from the
// typed API structs by hand, every other attribute from attrs by
// tfprotov6.NewDynamicValue, each spliced in under its name.
func encodeState(typ tftypes.Object, attrs map[string]tftypes.Value, items map[string]stateItems) (tfprotov6.DynamicValue, error) {
	for name := range items {
		if _, ok := typ.AttributeTypes[name]; !ok {
			return tfprotov6.DynamicValue{}, fmt.Errorf("the state has no attribute %q", name)
		}
	}
	names := slices.Sorted(maps.Keys(typ.AttributeTypes))
	var buf bytes.Buffer
	size := 4096
	for _, it := range items {
		size += it.sizeHint()
	}
	buf.Grow(size)
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeMapLen(len(names)); err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	for _, name := range names {
		if err := enc.EncodeString(name); err != nil {
			return tfprotov6.DynamicValue{}, err
		}
		if it, ok := items[name]; ok {
			if err := it.encode(enc, typ.AttributeTypes[name]); err != nil {
				return tfprotov6.DynamicValue{}, fmt.Errorf("%s: %w", name, err)
			}
			continue
		}
		v, ok := attrs[name]
		if !ok {
			return tfprotov6.DynamicValue{}, fmt.Errorf("%s: no value set", name)
		}
		// The small attributes (configuration, counts) are tftypes' own encoding.
		dv, err := tfprotov6.NewDynamicValue(typ.AttributeTypes[name], v)
		if err != nil {
			return tfprotov6.DynamicValue{}, fmt.Errorf("%s: %w", name, err)
		}
		if err := enc.Encode(msgpack.RawMessage(dv.MsgPack)); err != nil {
			return tfprotov6.DynamicValue{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	return tfprotov6.DynamicValue{MsgPack: buf.Bytes()}, nil
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
