package acctest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The CLI matrix is pinned in three places only: the wrapper modules that the
// newest Terraform and OpenTofu are built from, and the GNUmakefile's
// variables for the oldest. The GNUmakefile's header and README name them for
// people; this test fails when those texts drift from the pins.
func TestCLIMatrixIsNamedWhereItIsPinned(t *testing.T) {
	root := filepath.Join("..", "..")
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pin := func(text, pattern, where string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%s: no match for %s", where, pattern)
		}
		return m[1]
	}
	makefile := read("GNUmakefile")
	matrix := map[string]string{
		"Terraform newest": pin(read("tools/terraform/go.mod"), `(?m)^require github\.com/hashicorp/terraform v(\S+)`, "tools/terraform/go.mod"),
		"OpenTofu newest":  pin(read("tools/opentofu/go.mod"), `(?m)^require github\.com/opentofu/opentofu v(\S+)`, "tools/opentofu/go.mod"),
		"Terraform oldest": pin(makefile, `(?m)^TERRAFORM_OLDEST_VERSION\s*\?=\s*(\S+)`, "GNUmakefile"),
		"OpenTofu oldest":  pin(makefile, `(?m)^TOFU_OLDEST_VERSION\s*\?=\s*(\S+)`, "GNUmakefile"),
	}
	if got := matrix["Terraform newest"]; got != "1.16.4" {
		t.Errorf("tools/terraform pins Terraform %s; its replace directives name the pseudo-version of 1.16.4's commit, so change both together", got)
	}
	header, _, _ := strings.Cut(makefile, "\nSHELL")
	readme := read("README.md")
	for what, version := range matrix {
		cli, _, _ := strings.Cut(what, " ")
		for doc, text := range map[string]string{"GNUmakefile's header": header, "README.md": readme} {
			if !strings.Contains(text, cli+" "+version) {
				t.Errorf("%s does not name %s %s (%s)", doc, cli, version, what)
			}
		}
	}
	// The CLIs the matrix has left must not be named as tested.
	for _, gone := range []string{"1.8.5", "1.8.11"} {
		if strings.Contains(readme, gone) || strings.Contains(makefile, gone) {
			t.Errorf("README.md or the GNUmakefile still names %s, which the matrix no longer has", gone)
		}
	}
}
