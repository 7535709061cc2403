package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// frameworkServer is what the framework's protocol 6 server serves: the
// provider server, and the list resource and action RPCs, which plugin-go
// keeps in interfaces of their own. The server wrapper embeds all of it, so
// that Terraform 1.14+ reaches list blocks and actions through it.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// asFrameworkServer is fw with its list resource and action RPCs.
func asFrameworkServer(fw tfprotov6.ProviderServer) (frameworkServer, error) {
	full, ok := fw.(frameworkServer)
	if !ok {
		return nil, fmt.Errorf("the framework's server %T serves no list resources or actions; this is a bug in the provider", fw)
	}
	return full, nil
}
