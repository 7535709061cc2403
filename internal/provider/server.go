package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/datasources"
)

// desktopSnapshotsType is the type name whose reads the server serves itself.
const desktopSnapshotsType = TypeName + "_workspace_desktop_snapshots"

// NewProtocol6Server returns the provider's protocol 6 server constructor: the
// framework's server, except that ReadDataSource of
// huaweicloud_workspace_desktop_snapshots is served by datasources.ReadProto,
// which builds the state without the framework's per-value processing (see
// desktop_snapshots_proto.go for why). Each server gets a provider of its own.
func NewProtocol6Server(version string, opts Options) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &Provider{version: version, opts: opts}
		fw, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		if opts.FrameworkRead {
			return fw, nil
		}
		return &server{ProviderServer: fw, p: p}, nil
	}
}

// server is the framework's server with one method of its own.
type server struct {
	tfprotov6.ProviderServer
	p *Provider
}

// ReadDataSource serves desktop snapshot reads directly once the provider is
// configured; anything else, including a provider that is not configured or
// deferred, goes to the framework, which answers those cases.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName == desktopSnapshotsType {
		if session := s.p.configured(); session != nil {
			return datasources.ReadProto(ctx, session, req), nil
		}
	}
	return s.ProviderServer.ReadDataSource(ctx, req)
}
