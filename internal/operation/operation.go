// Package operation is the start of every call the data sources and
// resources make, and the advice their errors carry: one version of the
// timeout, the region, the project lookup and the wording of API errors.
package operation

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/listing"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// Use says what kind of call an operation is, for its messages.
type Use struct {
	// Subject is what the provider was not configured for: "this data source was read".
	Subject string
	// Noun names the call in a timeout's advice: "The read timed out after ...".
	Noun string
	// Raise says how to raise the timeout: "a timeouts block".
	Raise string
	// Posts is true of calls that may send requests the API carries out
	// (POSTs, which are not sent again after an answer that may follow their
	// effect); their errors say so.
	Posts bool
}

var (
	// Read is a data source's read.
	Read = &Use{Subject: "this data source was read", Noun: "read", Raise: `a timeouts { read = "..." } block`}
	// Operation is a resource's, list resource's or action's call.
	Operation = &Use{Subject: "this was used", Noun: "operation", Raise: "a timeouts block", Posts: true}
)

// Op is one operation under way: its context (with its deadline; call Cancel
// when done), the region, its Workspace endpoint and its project.
type Op struct {
	Ctx       context.Context //nolint:containedctx // one operation's context
	Cancel    context.CancelFunc
	Timeout   time.Duration
	Session   *client.Session
	Region    string
	Endpoint  string
	ProjectID string
	use       *Use
}

// Begin starts an operation bounded by timeout in region (the provider's when
// null or ""), looking the project up when none is configured. Problems go to
// diags, and the result is then nil.
func Begin(ctx context.Context, session *client.Session, timeout time.Duration, region types.String, use *Use, diags *diag.Diagnostics) *Op {
	if session == nil {
		diags.AddError("Provider not configured", "The huaweicloud provider was not configured before "+use.Subject+". This is a bug in the provider or Terraform; please report it.")
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	r := region.ValueString()
	if region.IsNull() || r == "" {
		r = session.Region()
	}
	o := &Op{Ctx: ctx, Cancel: cancel, Timeout: timeout, Session: session, Region: r, use: use}
	projectID, err := session.ProjectID(ctx, r)
	if err != nil {
		diags.AddError("Cannot find the project ID", fmt.Sprintf("The provider looked up the project ID of region %q in IAM, because no project_id is configured for it: %s.\n\n"+
			"Set project_id in the provider block (or HW_PROJECT_ID) to the project ID shown in the console under My Credentials > Projects, "+
			"or check the region's name (or project_name) and that the credentials may list IAM projects.%s%s", r, err, TLSNote(err), o.timeoutNote()))
		cancel()
		return nil
	}
	o.ProjectID, o.Endpoint = projectID, session.WorkspaceEndpoint(r)
	return o
}

// Detail is err for a diagnostic, with advice for what the user can act on: a
// refused signature, a refusal (denied is what the call does, "list
// Workspace snapshots"; "" gives no advice), a POST that may have been carried
// out (for a Use that Posts), a certificate not verified, a timeout.
func (o *Op) Detail(err error, denied string) string {
	d := err.Error()
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.ErrorCode == "APIG.0301":
			d += "\n\nThe gateway refused the signature: check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), " +
				"security_token for temporary credentials, and this machine's clock."
		case apiErr.StatusCode == 403 && denied != "":
			d += "\n\nThe credentials lack permission to " + denied + " in this project."
		}
	}
	if o.use.Posts && transport.MaybeProcessed(err) {
		d += "\n\nThe request was not sent again, because the API may have carried it out; check the snapshots (the huaweicloud_workspace_desktop_snapshots data source) before trying again."
	}
	return d + TLSNote(err) + o.timeoutNote()
}

// timeoutNote explains an operation that ran out of time: its own deadline,
// not one attempt's.
func (o *Op) timeoutNote() string {
	if errors.Is(o.Ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("\n\nThe %s timed out after %s; raise it with %s.", o.use.Noun, o.Timeout, o.use.Raise)
	}
	return ""
}

// TLSNote explains a server certificate that could not be verified.
func TLSNote(err error) string {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) {
		return "\n\nThe endpoint's TLS certificate could not be verified. If a private CA signs it (a proxy, a private cloud), " +
			"point cacert_file (or HW_CACERT, OS_CACERT) at that CA's PEM file."
	}
	return ""
}

// List reads the listing l of the operation's project with the filters q (and
// opts). A failure is one error, "Cannot list <noun>", with the advice of
// Detail, and the result is then nil; the API's warnings are the caller's.
func List[T any](o *Op, l *listing.Listing[T], q sign.Query, opts listing.ListOptions[T], diags *diag.Diagnostics) *listing.ListOutput[T] {
	out, err := listing.List(o.Ctx, o.Session.Client(), l, o.Endpoint, o.ProjectID, q, opts)
	if err != nil {
		diags.AddError("Cannot list "+l.Noun, o.Detail(err, "list Workspace "+l.Items))
		return nil
	}
	return out
}
