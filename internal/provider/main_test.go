package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain clears every variable the provider reads and points HOME at a
// directory that does not exist, so that the unit tests see only what they set
// and never a developer's ~/.hcloud/config.json.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "HW_") || strings.HasPrefix(k, "HUAWEICLOUD_SDK_") {
			_ = os.Unsetenv(k)
		}
	}
	for _, s := range settings {
		for _, env := range s.envs {
			_ = os.Unsetenv(env)
		}
	}
	noHome := filepath.Join(os.TempDir(), "terraform-provider-huaweicloud-test-no-home")
	_ = os.Setenv("HOME", noHome)
	_ = os.Setenv("USERPROFILE", noHome)
	os.Exit(m.Run())
}

// processEnv is the process's environment, which the tests set with
// t.Setenv, as the provider reads it.
var processEnv = trimmedEnv(os.Getenv)
