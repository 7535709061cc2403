//go:build tools

// Package opentofu pins OpenTofu 1.12, which `go install module@version` cannot
// build: its go.mod carries a replace directive (github.com/hashicorp/hcl/v2
// => github.com/opentofu/hcl/v2). This module requires it and copies that
// directive; the GNUmakefile builds cmd/tofu from here.
package opentofu

import (
	_ "github.com/opentofu/opentofu/cmd/tofu"
)
