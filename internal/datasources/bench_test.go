package datasources_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

const (
	benchSnapshots = 50000
	benchTypeName  = "huaweicloud_workspace_desktop_snapshots"
)

// BenchmarkReadDataSource is one whole in-process read of 50,000 snapshots, as a
// terraform plan runs it in a fresh provider process: the protocol 6 server's
// GetProviderSchema, ConfigureProvider and ReadDataSource with DynamicValues,
// against the fake API over HTTP on loopback (its IAM lookup and 50 pages of
// 1000), decoding, conversion, State.Set and what the framework does with the
// state (semantic equality, msgpack). The fake runs in the same process, so its
// work (serialising the pages) is counted too. Three servers from
// three servers, measured in the same run: "proto" is the provider as it ships
// (provider.NewProtocol6Server: ReadProto builds and encodes the state
// itself); "framework" serves the read through terraform-plugin-framework
// alone (frameworkServer) with the kit's direct conversion;
// "framework-reflection" also swaps in the framework's reflection for the
// conversion. Besides ns/op it reports the
// process's CPU time per read (cpu-ms/op), the fake's included:
//
//	go test -run '^$' -bench ReadDataSource -benchmem -count 6 ./internal/datasources/
func BenchmarkReadDataSource(b *testing.B) {
	fake := fakeapi.NewServer(fakeapi.Options{
		Credentials: []fakeapi.Credential{{AccessKey: fakeapi.AccessKey, SecretKey: fakeapi.SecretKey}},
		Projects:    []fakeapi.Project{{ID: fakeapi.LargeProjectID, Name: fakeapi.LargeRegion, Snapshots: fakeapi.Generate(benchSnapshots)}},
	})
	hs := httptest.NewServer(fake)
	b.Cleanup(hs.Close)

	for _, c := range []struct {
		name      string
		newServer func() (tfprotov6.ProviderServer, error)
	}{
		{"proto", provider.NewProtocol6Server("bench", provider.Options{})},
		{"framework", frameworkServer(provider.Options{})},
		{"framework-reflection", frameworkServer(provider.Options{}, datasources.NewReflectionDesktopSnapshotsDataSource)},
	} {
		b.Run(c.name, func(b *testing.B) {
			newServer := c.newServer
			// Once untimed: the answer holds every snapshot.
			if n := countSnapshots(b, readOnce(b, newServer, hs.URL)); n != benchSnapshots {
				b.Fatalf("state holds %d snapshots, want %d", n, benchSnapshots)
			}
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				readOnce(b, newServer, hs.URL)
			}
			// CPU time is less sensitive than ns/op to other work on the machine.
			b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// readOnce serves the provider afresh with newServer and reads the data source
// once, returning the state Terraform would get.
func readOnce(b *testing.B, newServer func() (tfprotov6.ProviderServer, error), url string) *tfprotov6.DynamicValue {
	ctx := context.Background()
	srv, err := newServer()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schemas.Diagnostics) {
		b.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	endpoints := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
		"workspace": tftypes.NewValue(tftypes.String, url),
		"iam":       tftypes.NewValue(tftypes.String, url),
	})
	providerConfig := dynamicValue(b, schemas.Provider, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, fakeapi.LargeRegion),
		"access_key": tftypes.NewValue(tftypes.String, fakeapi.AccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, fakeapi.SecretKey),
		"endpoints":  endpoints,
	})
	configured, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7", Config: providerConfig})
	if err != nil || hasError(configured.Diagnostics) {
		b.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}
	read, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: benchTypeName,
		Config:   dynamicValue(b, schemas.DataSourceSchemas[benchTypeName], nil),
	})
	if err != nil || hasError(read.Diagnostics) || read.State == nil {
		b.Fatalf("ReadDataSource: %v %v", err, read.Diagnostics)
	}
	return read.State
}

// dynamicValue is a configuration of schema: the given attributes, null elsewhere.
func dynamicValue(b testing.TB, schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	typ := schema.ValueType().(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// countSnapshots decodes a state as Terraform would and counts its snapshots.
func countSnapshots(b *testing.B, state *tfprotov6.DynamicValue) int {
	ctx := context.Background()
	srv, _ := provider.NewProtocol6Server("bench", provider.Options{})()
	schemas, _ := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	v, err := state.Unmarshal(schemas.DataSourceSchemas[benchTypeName].ValueType())
	if err != nil {
		b.Fatal(err)
	}
	var obj map[string]tftypes.Value
	var list []tftypes.Value
	if err := v.As(&obj); err != nil {
		b.Fatal(err)
	}
	if err := obj["snapshots"].As(&list); err != nil {
		b.Fatal(err)
	}
	return len(list)
}

// frameworkServer serves the provider through terraform-plugin-framework
// alone: every read goes through the data sources' Read. With dataSources, the
// provider lists those instead of its own.
func frameworkServer(opts provider.Options, dataSources ...func() datasource.DataSource) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := provider.NewWithOptions("test", opts)()
		if len(dataSources) > 0 {
			p = withDataSources{p, dataSources}
		}
		return providerserver.NewProtocol6WithError(p)()
	}
}

type withDataSources struct {
	fwprovider.Provider
	list []func() datasource.DataSource
}

func (p withDataSources) DataSources(context.Context) []func() datasource.DataSource { return p.list }
