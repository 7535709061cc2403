package resources

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// An action reports its progress as "N of M <noun> done", rising to the whole,
// each count once. (A CLI shows these lines; the acceptance tests cannot read
// them, so this calls Invoke directly.)
func TestActionProgress(t *testing.T) {
	o := fakeapi.DefaultOptions()
	o.JobDuration = 500 * time.Millisecond
	api := fakeapi.NewServer(o)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	session := client.NewSession(client.SessionConfig{
		Client:    transport.New(transport.Config{Credentials: sign.Credentials{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}}),
		Region:    fakeapi.LargeRegion,
		Endpoints: map[string]string{"workspace": srv.URL, "iam": srv.URL},
	})
	ctx := context.Background()
	a := NewDesktopSnapshotDeleteAction().(*batchAction)
	a.session = session
	var sr action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sr)
	var ids []tftypes.Value
	for _, s := range api.Snapshots(fakeapi.LargeProjectID)[:120] {
		ids = append(ids, tftypes.NewValue(tftypes.String, *s.SnapshotID))
	}
	cfg := tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"snapshot_ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids),
		"region":       tftypes.NewValue(tftypes.String, nil),
	})}
	var msgs []string
	resp := action.InvokeResponse{SendProgress: func(e action.InvokeProgressEvent) { msgs = append(msgs, e.Message) }}
	a.Invoke(ctx, action.InvokeRequest{Config: cfg}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	form := regexp.MustCompile(`^(\d+) of 120 snapshots done$`)
	last := -1
	for _, m := range msgs {
		g := form.FindStringSubmatch(m)
		if g == nil {
			t.Fatalf("progress %q", m)
		}
		var n int
		if _, err := fmt.Sscan(g[1], &n); err != nil {
			t.Fatalf("progress %q: %v", m, err)
		}
		if n <= last {
			t.Errorf("progress went from %d to %d: %q", last, n, msgs)
		}
		last = n
	}
	if last != 120 || len(msgs) < 2 {
		t.Errorf("progress %q, want it to rise to 120 of 120", msgs)
	}
	if n := len(api.Snapshots(fakeapi.LargeProjectID)); n != fakeapi.LargeCount-120 {
		t.Errorf("%d snapshots left, want %d", n, fakeapi.LargeCount-120)
	}
}
