package acctest

import (
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

// CLIVersion is the version of that CLI, as it reports it to providers in
// ConfigureProvider: "1.5.7" for Terraform 1.5.7, "1.6.3" for OpenTofu 1.6.3.
func CLIVersion(t testing.TB) string {
	t.Helper()
	CLIPath(t)
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
	})
}
