package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// The provider page's signing table (templates/index.md.tmpl, "### Signing")
// lists exactly the client's algorithms, each with its Authorization scheme and
// body-hash header, the default marked, and the settings table gives the same
// default: the page cannot drift from the signer.
func TestSigningDocsMatchClient(t *testing.T) {
	raw, err := os.ReadFile("../../templates/index.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	_, section, ok := strings.Cut(page, "\n### Signing\n")
	if !ok {
		t.Fatal("templates/index.md.tmpl has no ### Signing section")
	}
	section, _, _ = strings.Cut(section, "\n#")
	seen := map[sign.Algorithm]bool{}
	for _, line := range strings.Split(section, "\n") {
		cells := tableCells(line)
		if len(cells) != 5 || !strings.HasPrefix(cells[0], "`") || strings.HasPrefix(cells[0], "`signing_algorithm`") {
			continue
		}
		name, isDefault := strings.CutSuffix(cells[0], " (default)")
		alg := sign.Algorithm(strings.Trim(name, "`"))
		if !alg.Valid() {
			t.Errorf("the signing table lists %s, which the client does not have", name)
			continue
		}
		seen[alg] = true
		if isDefault != (alg == sign.DefaultAlgorithm) {
			t.Errorf("%s: marked default %v, the client's default is %s", alg, isDefault, sign.DefaultAlgorithm)
		}
		if want := "`" + alg.Scheme() + "`"; cells[1] != want {
			t.Errorf("%s: scheme %s, the client's is %s", alg, cells[1], want)
		}
		if want := "`" + alg.ContentHeader() + "`"; cells[4] != want {
			t.Errorf("%s: body hash header %s, the client's is %s", alg, cells[4], want)
		}
	}
	for _, alg := range sign.Algorithms() {
		if !seen[alg] {
			t.Errorf("the signing table has no row for %s", alg)
		}
	}
	row := "| `" + settingSigning.attr + "` | `" + strings.Join(settingSigning.envs, "`, `") + "` | `" + string(sign.DefaultAlgorithm) + "` |"
	if !strings.Contains(page, row) {
		t.Errorf("the settings table lacks the row %s", row)
	}
}

// tableCells splits a Markdown table row into its trimmed cells; nil for any
// other line.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	cells := strings.Split(strings.Trim(line, "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}
