package provider

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// frameworkReads counts the reads that reach the framework's server.
type frameworkReads struct {
	frameworkServer
	types []string
}

func (f *frameworkReads) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	f.types = append(f.types, req.TypeName)
	return f.frameworkServer.ReadDataSource(ctx, req)
}

// TestProtoReadersAreServedOnTheProtocol fails when a data source that
// implements datasources.ProtoReader is read through the framework once the
// provider is configured: the routing is by the type name its own Metadata
// gives, so it cannot drift from a copied string, and this checks it end to
// end for every such data source in the provider's list (and that there are
// some). Reads before Configure still go to the framework.
func TestProtoReadersAreServedOnTheProtocol(t *testing.T) {
	ctx := context.Background()
	hs := httptest.NewServer(fakeapi.NewServer(fakeapi.DefaultOptions()))
	t.Cleanup(hs.Close)
	srv, err := NewProtocol6Server("test", Options{})()
	if err != nil {
		t.Fatal(err)
	}
	s := srv.(*server)
	rec := &frameworkReads{frameworkServer: s.frameworkServer}
	s.frameworkServer = rec
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var readers []string
	for _, newDS := range (&Provider{}).DataSources(ctx) {
		if _, ok := newDS().(datasources.ProtoReader); ok {
			readers = append(readers, "")
		}
	}
	if len(s.fast) != len(readers) || len(s.fast) < 2 {
		t.Fatalf("%d data sources serve their own reads, %d implement ProtoReader", len(s.fast), len(readers))
	}
	read := func(typeName string) *tfprotov6.ReadDataSourceResponse {
		schema, ok := schemas.DataSourceSchemas[typeName]
		if !ok {
			t.Fatalf("%s is registered for the protocol path but the provider's schema has no such data source", typeName)
		}
		typ := schema.ValueType().(tftypes.Object)
		nulls := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			nulls[name] = tftypes.NewValue(at, nil)
		}
		cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nulls))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &cfg})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for typeName := range s.fast {
		read(typeName) // not configured: the framework answers
	}
	if len(rec.types) != len(s.fast) {
		t.Fatalf("before Configure the framework served %v, want every one of the %d", rec.types, len(s.fast))
	}
	rec.types = nil

	provCfg, err := tfprotov6.NewDynamicValue(schemas.Provider.ValueType(), tftypes.NewValue(schemas.Provider.ValueType(), providerConfig(schemas.Provider, hs.URL)))
	if err != nil {
		t.Fatal(err)
	}
	configured, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7", Config: &provCfg})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}
	for typeName := range s.fast {
		if resp := read(typeName); resp.State == nil {
			t.Errorf("%s: no state", typeName)
		}
	}
	if len(rec.types) > 0 {
		t.Fatalf("the framework served reads of %v, which implement ProtoReader", rec.types)
	}
}

// providerConfig is the provider block for the fake at url, null elsewhere.
func providerConfig(schema *tfprotov6.Schema, url string) map[string]tftypes.Value {
	typ := schema.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["region"] = tftypes.NewValue(tftypes.String, fakeapi.Region)
	vals["access_key"] = tftypes.NewValue(tftypes.String, fakeapi.AccessKey)
	vals["secret_key"] = tftypes.NewValue(tftypes.String, fakeapi.SecretKey)
	vals["endpoints"] = tftypes.NewValue(typ.AttributeTypes["endpoints"], map[string]tftypes.Value{
		"workspace": tftypes.NewValue(tftypes.String, url), "iam": tftypes.NewValue(tftypes.String, url),
	})
	return vals
}
