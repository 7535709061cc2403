// Command terraform-provider-huaweicloud serves the huaweicloud Terraform provider
// over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	newServer := provider.NewProtocol6Server(version, provider.Options{})
	server, err := newServer()
	if err != nil {
		log.Fatal(err.Error())
	}
	err = tf6server.Serve("registry.terraform.io/workspace-terraform/huaweicloud", func() tfprotov6.ProviderServer { return server }, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
