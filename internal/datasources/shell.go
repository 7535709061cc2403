package datasources

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// The shell of a data source: one spec value gives Metadata, Schema,
// Configure and one read, served by both the framework's Read and the
// protocol path's ReadProto. A read returns one description of its state
// (readState); each path derives its state from it, the framework's as a
// tftypes value, the protocol path's as msgpack (encodeState).

// dataSourceSpec declares a data source. A is what its arguments read into.
type dataSourceSpec[A any] struct {
	// typeName follows the provider's name: "_workspace_desktop_snapshots".
	typeName    string
	description string
	// regionDesc is the region argument's text; the shell adds the region
	// argument and the timeouts block to attributes.
	regionDesc string
	attributes func() map[string]schema.Attribute
	// args reads the arguments from the configuration; problems go to diags.
	args func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) A
	// read reads what the arguments select once the read has started (timeout,
	// region, project) and returns the state's computed attributes but region,
	// which the shell sets; nil, with the problem in diags, when it failed.
	read func(st *started, a A, diags *diag.Diagnostics) *readState
}

// readState is what a read found, described once: attributes to set over the
// configuration, and item lists that convert themselves.
type readState struct {
	attrs map[string]tftypes.Value
	items map[string]stateItems
	// log, when set, is called once the state is built, with the time the
	// read started.
	log   func(ctx context.Context, start time.Time)
	start time.Time
}

// done logs the read, when the spec asks to.
func (rs *readState) done(ctx context.Context) {
	if rs.log != nil {
		rs.log(ctx, rs.start)
	}
}

// listed is a data source made from its spec.
type listed[A any] struct {
	configured
	proto protoSchema
	spec  *dataSourceSpec[A]
}

var (
	_ datasource.DataSourceWithConfigure = (*listed[struct{}])(nil)
	_ ProtoReader                        = (*listed[struct{}])(nil)
)

// newDataSource is the constructor the provider's list takes.
func (s *dataSourceSpec[A]) newDataSource() datasource.DataSource { return &listed[A]{spec: s} }

// Metadata names the data source.
func (d *listed[A]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.spec.typeName
}

// Schema is the spec's attributes, the region argument and the timeouts block.
func (d *listed[A]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := d.spec.attributes()
	attrs["region"] = regionAttribute(d.spec.regionDesc)
	resp.Schema = schema.Schema{
		MarkdownDescription: d.spec.description,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

// run is the one read of both paths: the arguments, the start (timeout,
// region, project), the spec's read and the region's state.
func (d *listed[A]) run(ctx context.Context, session *client.Session, cfg tfsdk.Config, diags *diag.Diagnostics) *readState {
	start := time.Now()
	a := d.spec.args(ctx, cfg, diags)
	var region types.String
	var t timeouts.Value
	diags.Append(cfg.GetAttribute(ctx, path.Root("region"), &region)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	if diags.HasError() {
		return nil
	}
	st := begin(ctx, session, t, region, diags)
	if st == nil {
		return nil
	}
	defer st.Cancel()
	rs := d.spec.read(st, a, diags)
	if rs == nil || diags.HasError() {
		return nil
	}
	attrs := maps.Clone(rs.attrs)
	if attrs == nil {
		attrs = map[string]tftypes.Value{}
	}
	attrs["region"] = tftypes.NewValue(tftypes.String, stateRegion(region, st.Region).ValueString())
	return &readState{attrs: attrs, items: rs.items, log: rs.log, start: start}
}

// Read is the framework's path, kept for providerserver users and for the
// tests and benchmarks that compare the two: the state is the configuration
// with the read's attributes, as a tftypes value.
func (d *listed[A]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	rs := d.run(ctx, d.session, req.Config, &resp.Diagnostics)
	if rs == nil {
		return
	}
	typ, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Internal error", "The data source's schema is not an object. This is a bug in the provider; please report it.")
		return
	}
	state, err := rs.value(typ, req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the state", err.Error()+". This is a bug in the provider; please report it.")
		return
	}
	resp.State.Raw = state
	rs.done(ctx)
}

// ReadProto serves ReadDataSource on the protocol (see proto.go), with the
// session the provider configured.
func (d *listed[A]) ReadProto(ctx context.Context, session *client.Session, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	return serveProto(ctx, &d.proto, d, req, func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) *readState {
		return d.run(ctx, session, cfg, diags)
	})
}

// value is the state of type typ as a tftypes value: the configuration cfg
// with the read's attributes and items.
func (rs *readState) value(typ tftypes.Object, cfg tftypes.Value) (tftypes.Value, error) {
	attrs := map[string]tftypes.Value{}
	if err := cfg.As(&attrs); err != nil {
		return tftypes.Value{}, err
	}
	maps.Copy(attrs, rs.attrs)
	for name, it := range rs.items {
		t, ok := typ.AttributeTypes[name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("the state has no attribute %q", name)
		}
		v, err := it.value(t)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
		}
		attrs[name] = v
	}
	if err := tftypes.ValidateValue(typ, attrs); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(typ, attrs), nil
}

// listAll reads the listing l with the filters q (and opts) in the started
// read: the error says what could not be listed and why, the API's warnings
// are warnings.
func listAll[T any](st *started, l *listing.Listing[T], q sign.Query, opts listing.ListOptions[T], diags *diag.Diagnostics) *listing.ListOutput[T] {
	out := operation.List(st, l, q, opts, diags)
	if out == nil {
		return nil
	}
	for _, w := range out.Warnings {
		diags.AddWarning("Unexpected answer from the Workspace API", w)
	}
	return out
}

// itemsAttribute is the computed list attribute of o's items.
func itemsAttribute[T any](o *listing.Object[T], desc string) schema.Attribute {
	return schema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		NestedObject:        schema.NestedAttributeObject{Attributes: computedAttributes(o)},
	}
}

// fieldAttrs are v's fields as state attributes, for an object read at top level.
func fieldAttrs[T any](o *listing.Object[T], v *T, attrs map[string]tftypes.Value) map[string]tftypes.Value {
	if attrs == nil {
		attrs = make(map[string]tftypes.Value, len(o.Fields))
	}
	for i := range o.Fields {
		attrs[o.Fields[i].Name] = fieldTFValue(&o.Fields[i], v)
	}
	return attrs
}

// listDataSource is the list data source of o (type name o.TypeName + "s"):
// its filters as arguments; id, a hash of the region, the project and the
// filters; total_count; and the items, under the listing's Items name. Every
// page is read, and one line logs the read.
func listDataSource[T any, In schemakit.Input](o *schemakit.Listed[T, In], description, regionDesc string) *dataSourceSpec[In] {
	name, _ := o.TypeNames()
	items := o.Listing.Items
	return &dataSourceSpec[In]{
		typeName: name, description: description, regionDesc: regionDesc,
		attributes: func() map[string]schema.Attribute {
			attrs := map[string]schema.Attribute{
				"id": schema.StringAttribute{Computed: true,
					MarkdownDescription: "A hash of the region, the project and the filters: the same arguments give the same ID on every read."},
				"total_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "The number of " + items + " in `" + items + "`."},
				items:         itemsAttribute(o.Listing.Object, o.ItemsDescription),
			}
			if o.Filters != nil {
				for _, f := range o.Filters() {
					attrs[f.Name] = filterAttribute(f)
				}
			}
			return attrs
		},
		args: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) In {
			in, ds := o.RequestOf(ctx, func(name string, target any) diag.Diagnostics { return cfg.GetAttribute(ctx, path.Root(name), target) })
			diags.Append(ds...)
			return in
		},
		read: func(st *started, in In, diags *diag.Diagnostics) *readState { return listItems(o, st, in, diags) },
	}
}

// listItems lists every item of o the request in selects.
func listItems[T any, In schemakit.Input](o *schemakit.Listed[T, In], st *started, in In, diags *diag.Diagnostics) *readState {
	out := listAll(st, o.Listing, in.Query(), listing.ListOptions[T]{}, diags)
	if out == nil {
		return nil
	}
	at := time.Now()
	return &readState{
		attrs: map[string]tftypes.Value{
			"id":          tftypes.NewValue(tftypes.String, dataSourceID(st.Region, st.ProjectID, in.Query())),
			"total_count": tftypes.NewValue(tftypes.Number, int64(len(out.Items))),
		},
		items: map[string]stateItems{o.Listing.Items: itemList[T]{o.Listing.Object, out.Items}},
		// One line per read, so that the time spent in the provider can be
		// told apart from Terraform's in TF_LOG_PROVIDER output (see BENCHMARKS.md).
		log: func(ctx context.Context, start time.Time) {
			tflog.Info(ctx, "Read "+o.Listing.Noun, map[string]any{
				o.Listing.Items: len(out.Items), "pages": out.Requests,
				"fetch_ms": at.Sub(start).Milliseconds(), "duration_ms": time.Since(start).Milliseconds(),
			})
		},
	}
}

// registry is the provider's data sources: each spec's file registers it.
var registry []func() datasource.DataSource

// register adds s to the provider's data sources.
func register[A any](s *dataSourceSpec[A]) *dataSourceSpec[A] {
	registry = append(registry, s.newDataSource)
	return s
}

// All is the provider's data sources, for its DataSources.
func All() []func() datasource.DataSource { return slices.Clone(registry) }
