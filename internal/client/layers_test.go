package client

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/workspace-terraform/terraform-provider-huaweicloud/"

// layers is the client's import order, bottom first: a package may import the
// packages before it and none after it. The package comment of session.go says
// what each one does.
var layers = []string{"sign", "transport", "listing", "iam", "creds", "workspace", "."}

// TestImportsGoOneWay fails when a production file of the client imports a
// package of the client at or above its own layer, or anything of the provider
// outside the client: imports run down the list, never back up.
func TestImportsGoOneWay(t *testing.T) {
	seen := 0
	for i, dir := range layers {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			seen++
			for _, v := range violations(i, imports(t, file)) {
				t.Errorf("%s: %s", file, v)
			}
		}
	}
	if seen < len(layers) {
		t.Fatalf("read %d files for %d layers", seen, len(layers))
	}
	// Every package under internal/client is in the order, but for test
	// helpers (credstest), which production code does not import.
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == "." || path == "testdata" || strings.HasPrefix(path, "testdata"+string(filepath.Separator)) {
			return err
		}
		if !slices.Contains(layers, filepath.ToSlash(path)) && !strings.HasSuffix(path, "test") {
			if matches, _ := filepath.Glob(filepath.Join(path, "*.go")); len(matches) > 0 {
				t.Errorf("package %s is not in the layer order %v", path, layers)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLayerCheckCatchesAnUpwardImport checks the check: sign importing
// transport, transport importing itself and anything importing the provider
// are refused; transport importing sign is not.
func TestLayerCheckCatchesAnUpwardImport(t *testing.T) {
	got := violations(0, []string{module + "internal/client/transport", "net/http"})
	want := []string{`imports internal/client/transport: layer "sign" may import only those before it in [sign transport listing iam creds workspace .]`}
	if !slices.Equal(got, want) {
		t.Errorf("sign importing transport: %q, want %q", got, want)
	}
	if got := violations(1, []string{module + "internal/client/transport"}); len(got) != 1 {
		t.Errorf("transport importing itself: %q", got)
	}
	if got := violations(6, []string{module + "internal/provider"}); !slices.Equal(got, []string{"imports internal/provider, outside the client"}) {
		t.Errorf("the client importing the provider: %q", got)
	}
	if got := violations(1, []string{module + "internal/client/sign"}); len(got) != 0 {
		t.Errorf("transport importing sign: %q", got)
	}
}

// violations lists the imports of a file of layers[i] that break the order.
func violations(i int, imports []string) []string {
	var out []string
	for _, imp := range imports {
		rel, ok := strings.CutPrefix(imp, module)
		if !ok {
			continue
		}
		layer, ok := strings.CutPrefix(rel, "internal/client/")
		if !ok {
			out = append(out, "imports "+rel+", outside the client")
			continue
		}
		if at := slices.Index(layers, layer); at < 0 || at >= i {
			out = append(out, fmt.Sprintf("imports %s: layer %q may import only those before it in %v", rel, layers[i], layers))
		}
	}
	return out
}

func imports(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
