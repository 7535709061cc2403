package resources_test

import (
	"os"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
)

func TestMain(m *testing.M) {
	acctest.IsolateEnv()
	os.Exit(m.Run())
}
