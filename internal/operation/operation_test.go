package operation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// The advice each error gets, for a data source's read and for the resources'
// operations: the same texts, but for the timeout's words and the POST note.
func TestDetail(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-expired.Done()
	live := context.Background()
	sig := &transport.APIError{StatusCode: 401, ErrorCode: "APIG.0301"}
	denied := &transport.APIError{StatusCode: 403, ErrorCode: "WKS.0003"}
	failed := &transport.APIError{StatusCode: 500, ErrorCode: "WKS.0500"}
	for _, tc := range []struct {
		name   string
		use    *Use
		ctx    context.Context //nolint:containedctx // the operation's
		err    error
		denied string
		want   string // the advice after the error's own text
	}{
		{"signature", Read, live, sig, "", "\n\nThe gateway refused the signature: check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), " +
			"security_token for temporary credentials, and this machine's clock."},
		{"refused", Read, live, denied, "list Workspace snapshots", "\n\nThe credentials lack permission to list Workspace snapshots in this project."},
		{"refused, no advice", Operation, live, denied, "", ""},
		{"read failed", Read, live, failed, "", ""},
		{"post failed", Operation, live, failed, "", "\n\nThe request was not sent again, because the API may have carried it out; " +
			"check the snapshots (the huaweicloud_workspace_desktop_snapshots data source) before trying again."},
		{"read timed out", Read, expired, context.DeadlineExceeded, "", "\n\nThe read timed out after 1s; raise it with a timeouts { read = \"...\" } block."},
		{"operation timed out", Operation, expired, errors.New("waiting"), "", "\n\nThe operation timed out after 1s; raise it with a timeouts block."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &Op{Ctx: tc.ctx, Timeout: time.Second, use: tc.use}
			if got, want := o.Detail(tc.err, tc.denied), tc.err.Error()+tc.want; got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

// Without a session, Begin says so, naming what was used.
func TestBeginUnconfigured(t *testing.T) {
	for use, want := range map[*Use]string{Read: "before this data source was read.", Operation: "before this was used."} {
		var diags diag.Diagnostics
		if o := Begin(context.Background(), nil, time.Second, types.StringNull(), use, &diags); o != nil || len(diags) != 1 ||
			diags[0].Summary() != "Provider not configured" || !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("%s: %v %v", use.Noun, o, diags)
		}
	}
}
