package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
)

// NewProtocol6Server returns the provider's protocol 6 server constructor: the
// framework's server, except that ReadDataSource of every data source that
// implements datasources.ProtoReader is served by its ReadProto, which builds
// the state without the framework's per-value processing (see
// datasources/proto.go for why). Each server gets a provider of its own.
func NewProtocol6Server(version string, opts Options) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := newProvider(version, opts)
		fw, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		full, err := asFrameworkServer(fw)
		if err != nil {
			return nil, err
		}
		return &server{frameworkServer: full, p: p, fast: protoReaders(context.Background(), p)}, nil
	}
}

// protoReaders are the data sources of p that serve their own reads, by the
// type names their Metadata gives.
func protoReaders(ctx context.Context, p *Provider) map[string]datasources.ProtoReader {
	out := map[string]datasources.ProtoReader{}
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		r, ok := ds.(datasources.ProtoReader)
		if !ok {
			continue
		}
		var resp datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: TypeName}, &resp)
		out[resp.TypeName] = r
	}
	return out
}

// server is the framework's server with one method of its own.
type server struct {
	frameworkServer
	p    *Provider
	fast map[string]datasources.ProtoReader
}

// ReadDataSource serves the reads of the ProtoReaders directly once the
// provider is configured; anything else, including a provider that is not
// configured or deferred, goes to the framework, which answers those cases.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if r, ok := s.fast[req.TypeName]; ok {
		if session := s.p.configured(); session != nil {
			return r.ReadProto(ctx, session, req), nil
		}
	}
	return s.frameworkServer.ReadDataSource(ctx, req)
}
