package datasources

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/operation"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/schemakit"
)

// What the Workspace data sources share: arguments, the start of a read, and
// the wording of their errors.

// defaultReadTimeout bounds a whole read when the timeouts block does not.
const defaultReadTimeout = 5 * time.Minute

// filterAttribute is the schema attribute of a listing filter: optional, with
// the filter's description and validators.
func filterAttribute(f schemakit.Filter) schema.Attribute {
	if f.Kind == schemakit.FilterList {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: f.ListValidators(), MarkdownDescription: f.Description()}
	}
	return schema.StringAttribute{Optional: true, Validators: f.StringValidators(), MarkdownDescription: f.Description()}
}

// regionAttribute is the region argument, which defaults to the provider's;
// "" means the provider's region too (stateRegion).
func regionAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: desc + " The provider's region is then stored here. " +
			"`region = \"\"` also means the provider's region, as in the official provider, so that a module can pass `region = var.region` with an empty default; " +
			"the attribute then stays `\"\"`, as Terraform requires of a value set in the configuration.",
	}
}

// stateRegion is the region attribute's state: the region read when the
// configuration left it null; otherwise what was configured, "" included,
// because Terraform refuses a state that changes a configured value.
func stateRegion(configured types.String, used string) types.String {
	if configured.IsNull() || configured.IsUnknown() {
		return types.StringValue(used)
	}
	return configured
}

// timeoutsBlock is the timeouts { read } block.
func timeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("How long the whole read may take, as a duration such as `30s` or `10m`: the project lookup, every page, "+
			"every retry and every wait between retries. Defaults to `%s`. Each single request is also bounded by %s, so that one stuck connection is retried "+
			"rather than eating the whole budget; a retry that would start after this deadline is not attempted.", defaultReadTimeout, transport.DefaultRequestTimeout),
	})
}

// started is a read under way (see package operation).
type started = operation.Op

// begin starts a read: the timeout (the timeouts block's, else
// defaultReadTimeout), the region (the argument's, else the provider's) and
// its project ID, looked up when not configured. Problems go to diags, and
// the result is then nil.
func begin(ctx context.Context, session *client.Session, t timeouts.Value, regionArg types.String, diags *diag.Diagnostics) *started {
	if session == nil {
		return operation.Begin(ctx, nil, 0, regionArg, operation.Read, diags)
	}
	timeout, ds := t.Read(ctx, defaultReadTimeout)
	diags.Append(ds...)
	if diags.HasError() {
		return nil
	}
	return operation.Begin(ctx, session, timeout, regionArg, operation.Read, diags)
}

// configured is what every data source embeds: the provider's session, taken
// in the one Configure they share.
type configured struct {
	session *client.Session
}

// Configure takes the provider's session.
func (c *configured) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	s, ok := req.ProviderData.(*client.Session)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("Expected *client.Session, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	c.session = s
}
