package datasources

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
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

// started is a read under way: its context (with the read's deadline; call
// cancel when done), the region and its project.
type started struct {
	ctx       context.Context //nolint:containedctx // one read's context
	cancel    context.CancelFunc
	timeout   time.Duration
	session   *client.Session
	region    string
	projectID string
}

// begin starts a read: the timeout, the region (the argument's, else the
// provider's) and its project ID, looked up when not configured. Problems go
// to diags, and the result is then nil.
func begin(ctx context.Context, session *client.Session, t timeouts.Value, regionArg types.String, diags *diag.Diagnostics) *started {
	if session == nil {
		diags.AddError("Provider not configured", "The huaweicloud provider was not configured before this data source was read. This is a bug in the provider or Terraform; please report it.")
		return nil
	}
	timeout, ds := t.Read(ctx, defaultReadTimeout)
	diags.Append(ds...)
	if diags.HasError() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	region := regionArg.ValueString()
	if regionArg.IsNull() || region == "" {
		region = session.Region()
	}
	projectID, err := session.ProjectID(ctx, region)
	if err != nil {
		diags.AddError("Cannot find the project ID", projectLookupDetail(ctx, region, err, timeout))
		cancel()
		return nil
	}
	return &started{ctx: ctx, cancel: cancel, timeout: timeout, session: session, region: region, projectID: projectID}
}

// timeoutNote explains a context that ran out.
func timeoutNote(ctx context.Context, timeout time.Duration) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("\n\nThe read timed out after %s; raise it with a timeouts { read = \"...\" } block.", timeout)
	}
	return ""
}

func projectLookupDetail(ctx context.Context, region string, err error, timeout time.Duration) string {
	return fmt.Sprintf("The provider looked up the project ID of region %q in IAM, because no project_id is configured for it: %s.\n\n"+
		"Set project_id in the provider block (or HW_PROJECT_ID) to the project ID shown in the console under My Credentials > Projects, "+
		"or check the region's name (or project_name) and that the credentials may list IAM projects.%s%s", region, err, tlsNote(err), timeoutNote(ctx, timeout))
}

func apiErrorDetail(ctx context.Context, err error, timeout time.Duration) string {
	detail := err.Error()
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.ErrorCode == "APIG.0301":
			detail += "\n\nThe gateway refused the signature: check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), " +
				"security_token for temporary credentials, and this machine's clock."
		case apiErr.StatusCode == 403:
			detail += "\n\nThe credentials lack permission to list Workspace snapshots in this project."
		}
	}
	return detail + tlsNote(err) + timeoutNote(ctx, timeout)
}

// tlsNote explains a server certificate that could not be verified.
func tlsNote(err error) string {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) {
		return "\n\nThe endpoint's TLS certificate could not be verified. If a private CA signs it (a proxy, a private cloud), " +
			"point cacert_file (or HW_CACERT, OS_CACERT) at that CA's PEM file."
	}
	return ""
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
