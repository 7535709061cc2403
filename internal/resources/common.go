// Package resources holds what acts on Workspace snapshots: the managed
// resource huaweicloud_workspace_desktop_snapshot (with identity and import),
// its list resource for Terraform Search, and the create, restore and delete
// actions. All of them wait for the API's jobs with workspace.WaitJob.
package resources

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/workspace"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// Disk types and the other enumerations the arguments take.
var (
	resourceDiskTypes = []string{workspace.DiskTypeSystem, workspace.DiskTypeData}
	actionDiskTypes   = workspace.SnapshotDiskTypes
)

// sessionOf takes the provider's session from ProviderData; nil (with no
// diagnostic) before the provider is configured.
func sessionOf(data any, diags *diag.Diagnostics) *client.Session {
	if data == nil {
		return nil
	}
	s, ok := data.(*client.Session)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *client.Session, got %T. This is a bug in the provider; please report it.", data))
	}
	return s
}

// shell is what a resource and its list resource take from their listed
// object's type name and the provider: Metadata and Configure (the session).
type shell struct {
	// typeName follows the provider's name: "_workspace_desktop_snapshot".
	typeName string
	session  *client.Session
}

// Metadata names the resource or list resource.
func (s *shell) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + s.typeName
}

// Configure takes the provider's session.
func (s *shell) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	s.session = sessionOf(req.ProviderData, &resp.Diagnostics)
}

// op is one operation under way (see package operation).
type op = operation.Op

// begin starts an operation bounded by timeout in region (the provider's when
// null or ""), looking the project up when none is configured.
func begin(ctx context.Context, session *client.Session, timeout time.Duration, region types.String, diags *diag.Diagnostics) *op {
	return operation.Begin(ctx, session, timeout, region, operation.Operation, diags)
}

// identitySchema is the identity of o's resource: o's ID attribute (required
// for import) and the region (optional).
func identitySchema[T any, In schemakit.Input](o *schemakit.Listed[T, In]) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			o.IDAttribute(): identityschema.StringAttribute{RequiredForImport: true, Description: "The " + o.One + "'s ID."},
			"region":        identityschema.StringAttribute{OptionalForImport: true, Description: "The " + o.One + "'s region; the provider's when omitted."},
		},
	}
}

// setIdentity writes the identity of item id of o in region, when Terraform
// handles one (1.12+).
func setIdentity[T any, In schemakit.Input](ctx context.Context, o *schemakit.Listed[T, In], ident *tfsdk.ResourceIdentity, id, region string, diags *diag.Diagnostics) {
	if ident == nil {
		return
	}
	diags.Append(ident.SetAttribute(ctx, path.Root(o.IDAttribute()), types.StringValue(id))...)
	diags.Append(ident.SetAttribute(ctx, path.Root("region"), types.StringValue(region))...)
}

// attrSetter is a state or a list result's resource object.
type attrSetter interface {
	SetAttribute(ctx context.Context, p path.Path, v any) diag.Diagnostics
}

// listResource is the list resource of a listed object, for list blocks
// (terraform query, Terraform 1.14+): the object's filters and the region are
// its schema; its List reads the object's listing, and each result has the
// item's display name, the resource's identity and, with include_resource,
// the resource's object (object, as the resource's Read writes it).
type listResource[T any, In schemakit.Input] struct {
	shell
	obj         *schemakit.Listed[T, In]
	description string
	object      func(ctx context.Context, st attrSetter, v *T, configuredRegion types.String, region string, diags *diag.Diagnostics)
}

var _ list.ListResourceWithConfigure = (*listResource[struct{}, schemakit.Input])(nil)

// newListResource is the list resource of o.
func newListResource[T any, In schemakit.Input](o *schemakit.Listed[T, In], description string,
	object func(context.Context, attrSetter, *T, types.String, string, *diag.Diagnostics)) *listResource[T, In] {
	return &listResource[T, In]{shell: shell{typeName: o.TypeName}, obj: o, description: description, object: object}
}

// ListResourceConfigSchema is the object's filters, from their one
// declaration, and the region.
func (l *listResource[T, In]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{
		"region": listschema.StringAttribute{Optional: true, MarkdownDescription: "The region to list. Defaults to the provider's `region`; `\"\"` means it too."},
	}
	if l.obj.Filters != nil {
		for _, f := range l.obj.Filters() {
			attrs[f.Name] = listFilterAttribute(f)
		}
	}
	resp.Schema = listschema.Schema{MarkdownDescription: l.description, Attributes: attrs}
}

// listFilterAttribute is a filter's attribute in the list block's schema.
func listFilterAttribute(f schemakit.Filter) listschema.Attribute {
	if f.Kind == schemakit.FilterList {
		return listschema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: f.ListValidators(), MarkdownDescription: f.Description()}
	}
	return listschema.StringAttribute{Optional: true, Validators: f.StringValidators(), MarkdownDescription: f.Description()}
}

// listConfig reads the list block's region and the request its filters select.
func (l *listResource[T, In]) listConfig(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) (types.String, In) {
	var region types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root("region"), &region)...)
	in, ds := l.obj.RequestOf(ctx, func(name string, target any) diag.Diagnostics { return cfg.GetAttribute(ctx, path.Root(name), target) })
	diags.Append(ds...)
	return region, in
}

// List lists the items the filters select: a limit from 1 to a page's is one
// request of that many, else every page is read and the results stop at the
// limit.
func (l *listResource[T, In]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	region, in := l.listConfig(ctx, req.Config, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	o := begin(ctx, l.session, defaultReadTimeout, region, &diags)
	if o == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	defer o.Cancel()
	var opts listing.ListOptions[T]
	if req.Limit > 0 && req.Limit <= listing.PageLimit {
		opts.Limit = int(req.Limit) // one request of at most that many
	}
	out := operation.List(o, l.obj.Listing, in.Query(), opts, &diags)
	if out == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	items := out.Items
	if req.Limit > 0 && int64(len(items)) > req.Limit {
		items = items[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, w := range out.Warnings {
			var d diag.Diagnostics
			d.AddWarning("Unexpected answer from the Workspace API", w)
			if !push(list.ListResult{Diagnostics: d}) {
				return
			}
		}
		for i := range items {
			v := &items[i]
			r := req.NewListResult(ctx)
			r.DisplayName = l.obj.Display(v)
			setIdentity(ctx, l.obj, r.Identity, l.obj.ID(v), o.Region, &r.Diagnostics)
			if req.IncludeResource {
				l.object(ctx, r.Resource, v, region, o.Region, &r.Diagnostics)
			}
			if !push(r) {
				return
			}
		}
	}
}
