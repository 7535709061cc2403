package datasources_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

// protoRead configures a fresh server with opts against fake and reads the data
// source once with the given arguments, returning the state and diagnostics.
func protoRead(t *testing.T, fake *acctest.Fake, newServer func() (tfprotov6.ProviderServer, error), typeName string, args map[string]tftypes.Value) (tftypes.Value, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	srv, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	endpoints := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
		"workspace": tftypes.NewValue(tftypes.String, fake.URL),
		"iam":       tftypes.NewValue(tftypes.String, fake.URL),
	})
	configured, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7",
		Config: dynamicValue(t, schemas.Provider, map[string]tftypes.Value{
			"region":      tftypes.NewValue(tftypes.String, fakeapi.Region),
			"access_key":  tftypes.NewValue(tftypes.String, fakeapi.AccessKey),
			"secret_key":  tftypes.NewValue(tftypes.String, fakeapi.SecretKey),
			"endpoints":   endpoints,
			"max_retries": tftypes.NewValue(tftypes.Number, 0),
		})})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}
	schema := schemas.DataSourceSchemas[typeName]
	read, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName,
		Config:   dynamicValue(t, schema, args),
	})
	if err != nil {
		t.Fatal(err)
	}
	if read.State == nil {
		return tftypes.Value{}, read.Diagnostics
	}
	state, err := read.State.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return state, read.Diagnostics
}

// TestProtoReadMatchesFrameworkRead checks that the protocol path the provider
// serves gives, value for value, the state and the diagnostics the framework's
// Read gives: the same listing through two encoders must not differ in a null,
// an empty string, a zero or an element.
func TestProtoReadMatchesFrameworkRead(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	strs := func(ss ...string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for i, s := range ss {
			vs[i] = str(s)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	timeouts := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}}
	const list, one = "huaweicloud_workspace_desktop_snapshots", "huaweicloud_workspace_desktop_snapshot"
	cases := []struct {
		name     string
		typeName string
		args     map[string]tftypes.Value
		setup    func(*acctest.Fake)
	}{
		{"the curated sample, every corner of every field", list, nil, nil},
		{"three pages", list, map[string]tftypes.Value{"region": str(fakeapi.LargeRegion)}, nil},
		{"filtered and sorted, with a timeouts block", list, map[string]tftypes.Value{
			"snapshot_names": strs("weekly", "AA"), "sort_field": str("create_time"), "sort_type": str("ASC"),
			"timeouts": tftypes.NewValue(timeouts, map[string]tftypes.Value{"read": str("2m")}),
		}, nil},
		{"empty", list, map[string]tftypes.Value{"region": str(fakeapi.EmptyRegion)}, nil},
		{`region = "": the provider's, kept as ""`, list, map[string]tftypes.Value{"region": str("")}, nil},
		{`one: region = "": the provider's, kept as ""`, one, map[string]tftypes.Value{"region": str(""), "snapshot_name": str("Zeta-failed")}, nil},
		{"a warning: total_count overstated", list, map[string]tftypes.Value{"region": str(fakeapi.LargeRegion)},
			func(f *acctest.Fake) { f.SetTotalCountSkew(1500) }},
		{"an error: 403", list, nil, func(f *acctest.Fake) {
			f.Fail(fakeapi.Fault{Path: "/v2/", Status: 403, Times: -1, Body: `{"error_code":"WKS.0403","error_msg":"denied"}`})
		}},
		{"an error, with arguments", list, map[string]tftypes.Value{"status": str("creating")}, func(f *acctest.Fake) {
			f.Fail(fakeapi.Fault{Path: "/v2/", Status: 500, Times: -1, Body: `{"error_code":"WKS.0500","error_msg":"boom"}`})
		}},
		{"one: by ID on the third page", one, map[string]tftypes.Value{"region": str(fakeapi.LargeRegion), "snapshot_id": str("00000834-0000-4000-8000-000000000054")}, nil},
		{"one: most recent, with a timeouts block", one, map[string]tftypes.Value{
			"status": str("restore_success"), "most_recent": tftypes.NewValue(tftypes.Bool, true),
			"timeouts": tftypes.NewValue(timeouts, map[string]tftypes.Value{"read": str("2m")}),
		}, nil},
		{"one: the only match, fields null and empty", one, map[string]tftypes.Value{"snapshot_name": str("Zeta-failed")}, nil},
		{"one: several match", one, map[string]tftypes.Value{"snapshot_name": str("weekly")}, nil},
		{"one: no match", one, map[string]tftypes.Value{"snapshot_id": str("nope")}, nil},
		{"one: no match after a warning: total_count overstated", one, map[string]tftypes.Value{"region": str(fakeapi.LargeRegion), "snapshot_id": str("nope")},
			func(f *acctest.Fake) { f.SetTotalCountSkew(1500) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var states []tftypes.Value
			var diags [][]*tfprotov6.Diagnostic
			for _, newServer := range []func() (tfprotov6.ProviderServer, error){provider.NewProtocol6Server("test", provider.Options{}), frameworkServer(provider.Options{})} {
				fake := acctest.StartFake(t)
				if tc.setup != nil {
					tc.setup(fake)
				}
				s, d := protoRead(t, fake, newServer, tc.typeName, tc.args)
				states, diags = append(states, s), append(diags, d)
			}
			if !states[0].Equal(states[1]) {
				diff, _ := states[0].Diff(states[1])
				t.Errorf("the protocol path's state differs from the framework's: %v", diff)
			}
			if got, want := describeDiags(diags[0]), describeDiags(diags[1]); got != want {
				t.Errorf("diagnostics differ:\nprotocol  %s\nframework %s", got, want)
			}
		})
	}
}

func describeDiags(diags []*tfprotov6.Diagnostic) string {
	s := ""
	for _, d := range diags {
		s += fmt.Sprintf("[%v %q %q] ", d.Severity, d.Summary, d.Detail)
	}
	return s
}
