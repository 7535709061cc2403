package acctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

var cli struct {
	once    sync.Once
	path    string
	version string
	tofu    bool
	err     error
}

// CLIPath is the Terraform or OpenTofu CLI the acceptance tests drive:
// TF_ACC_TERRAFORM_PATH, else terraform on PATH. It fails the test when there
// is none.
func CLIPath(t testing.TB) string {
	t.Helper()
	loadCLI()
	if cli.err != nil {
		t.Fatalf("the Terraform CLI for acceptance tests: %v (set TF_ACC_TERRAFORM_PATH, as make test does)", cli.err)
	}
	return cli.path
}

// CLIVersion is the version of that CLI, as `version -json` gives it:
// "1.5.7" for Terraform 1.5.7, "1.12.6" for OpenTofu 1.12.6.
func CLIVersion(t testing.TB) string {
	t.Helper()
	CLIPath(t)
	return cli.version
}

// tofuImpersonates maps an OpenTofu version to the Terraform version it tells
// providers in ConfigureProvider, where that is not its own: OpenTofu 1.12
// reports 1.13.0 (its version.VersionToImpersonateForProviders). An OpenTofu
// of the matrix missing here reports its own version.
var tofuImpersonates = map[string]string{"1.12.6": "1.13.0"}

// ReportedVersion is the version the CLI tells providers in ConfigureProvider,
// which the provider puts in its User-Agent: the CLI's own, except for an
// OpenTofu that impersonates a Terraform version.
func ReportedVersion(t testing.TB) string {
	t.Helper()
	CLIPath(t)
	if v, ok := tofuImpersonates[cli.version]; ok && cli.tofu {
		return v
	}
	return cli.version
}

func loadCLI() {
	cli.once.Do(func() {
		cli.path = os.Getenv("TF_ACC_TERRAFORM_PATH")
		if cli.path == "" {
			if cli.path, cli.err = exec.LookPath("terraform"); cli.err != nil {
				return
			}
		}
		cmd := exec.Command(cli.path, "version", "-json")
		// The version must not depend on a CLI configuration left on the machine.
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cli.err = err
			return
		}
		// OpenTofu keeps Terraform's key.
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
			cli.err = fmt.Errorf("%s version -json printed no terraform_version: %q", cli.path, out)
			return
		}
		cli.version = v.Version
		// The JSON is the same for both CLIs; the text names the product.
		text := exec.Command(cli.path, "version")
		text.Env = cmd.Env
		out, err = text.Output()
		cli.tofu = err == nil && bytes.HasPrefix(out, []byte("OpenTofu "))
	})
}
