package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const manifestJSON = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}` + "\n"

// makeDist lays out a release of version v in a new directory: each zip holds
// bin (a Go binary built for this machine) under the registry's name, with a
// manifest and SHA256SUMS over all of them. It returns the dist and manifest paths.
func makeDist(t *testing.T, bin []byte, v string) (dist, manifest string) {
	t.Helper()
	dir := t.TempDir()
	manifest = filepath.Join(dir, "terraform-registry-manifest.json")
	write(t, manifest, []byte(manifestJSON))
	dist = filepath.Join(dir, "dist")
	if err := os.Mkdir(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, p := range Platforms {
		zipName := fmt.Sprintf("%s_%s_%s_%s.zip", name, v, p[0], p[1])
		exe := fmt.Sprintf("%s_v%s", name, v)
		if p[0] == "windows" {
			exe += ".exe"
		}
		writeZip(t, filepath.Join(dist, zipName), exe, bin)
		sums.WriteString(sumLine(t, filepath.Join(dist, zipName)))
	}
	m := filepath.Join(dist, fmt.Sprintf("%s_%s_manifest.json", name, v))
	write(t, m, []byte(manifestJSON))
	sums.WriteString(sumLine(t, m))
	write(t, filepath.Join(dist, fmt.Sprintf("%s_%s_SHA256SUMS", name, v)), []byte(sums.String()))
	return dist, manifest
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeZip(t *testing.T, path, entry string, content []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	h := &zip.FileHeader{Name: entry, Method: zip.Store}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func sumLine(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]) + "  " + filepath.Base(path) + "\n"
}

// buildBinary builds a tiny program the way the release does, with
// -X main.version=v, for this machine.
func buildBinary(t *testing.T, v string) []byte {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), []byte("module example.com/tiny\n\ngo 1.22\n"))
	write(t, filepath.Join(dir, "main.go"), []byte("package main\n\nvar version = \"dev\"\n\nfunc main() { println(version) }\n"))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+v, "-o", "tiny")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tiny"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheck(t *testing.T) {
	const v = "1.2.3-SNAPSHOT-abc1234"
	bin := buildBinary(t, v)
	// The binary is built for this machine only, so the other platforms' zips
	// report it: exactly those, nothing else.
	var builtFor []string
	for _, p := range Platforms {
		if p[0] == runtime.GOOS && p[1] == runtime.GOARCH {
			continue
		}
		exe := fmt.Sprintf("%s_v%s", name, v)
		if p[0] == "windows" {
			exe += ".exe"
		}
		builtFor = append(builtFor, fmt.Sprintf("%s_%s_%s_%s.zip: %s is built for %s/%s", name, v, p[0], p[1], exe, runtime.GOOS, runtime.GOARCH))
	}

	cases := []struct {
		name   string
		tamper func(t *testing.T, dist, manifest string)
		want   []string
	}{
		{"as built", func(*testing.T, string, string) {}, nil},
		{"a zip changed after SHA256SUMS", func(t *testing.T, dist, _ string) {
			writeZip(t, filepath.Join(dist, name+"_"+v+"_linux_arm64.zip"), name+"_v"+v, bin[:len(bin)/2])
		}, []string{
			name + "_" + v + "_linux_arm64.zip: " + name + "_v" + v + ": unrecognized file format",
			name + "_" + v + "_SHA256SUMS lists " + name + "_" + v + "_linux_arm64.zip with",
		}},
		{"a binary misnamed", func(t *testing.T, dist, _ string) {
			writeZip(t, filepath.Join(dist, name+"_"+v+"_darwin_amd64.zip"), name, bin)
		}, []string{
			name + "_" + v + "_darwin_amd64.zip: holds [\"" + name + "\"], want only \"" + name + "_v" + v + "\"",
			name + "_" + v + "_SHA256SUMS lists " + name + "_" + v + "_darwin_amd64.zip with",
		}},
		{"manifest missing", func(t *testing.T, dist, _ string) {
			if err := os.Remove(filepath.Join(dist, name+"_"+v+"_manifest.json")); err != nil {
				t.Fatal(err)
			}
		}, []string{
			name + "_" + v + "_manifest.json: open ",
			name + "_" + v + "_SHA256SUMS lists " + name + "_" + v + "_manifest.json: open ",
		}},
		{"manifest for protocol 5", func(t *testing.T, dist, manifest string) {
			v5 := []byte(`{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}` + "\n")
			write(t, manifest, v5)
			write(t, filepath.Join(dist, name+"_"+v+"_manifest.json"), v5)
		}, []string{
			name + "_" + v + "_manifest.json: version 1, protocol_versions [\"5.0\"]; want 1 and [\"6.0\"]",
			name + "_" + v + "_SHA256SUMS lists " + name + "_" + v + "_manifest.json with",
		}},
		{"manifest not the repository's", func(t *testing.T, _, manifest string) {
			write(t, manifest, []byte(`{"version":1,"metadata":{"protocol_versions":["6.0"]}}`))
		}, []string{name + "_" + v + "_manifest.json: differs from "}},
		{"an extra zip", func(t *testing.T, dist, _ string) {
			writeZip(t, filepath.Join(dist, name+"_"+v+"_freebsd_amd64.zip"), name+"_v"+v, bin)
		}, []string{"unexpected archive " + name + "_" + v + "_freebsd_amd64.zip"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist, manifest := makeDist(t, bin, v)
			tc.tamper(t, dist, manifest)
			version, problems := Check(dist, manifest)
			if version != v {
				t.Errorf("version %q, want %q", version, v)
			}
			var rest []string
			for _, p := range problems {
				if !slices.Contains(builtFor, p) {
					rest = append(rest, p)
				}
			}
			if len(rest) != len(tc.want) {
				t.Fatalf("problems:\n  %s\nwant (besides the platform mismatches) ones starting with:\n  %s", strings.Join(rest, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(rest[i], w) {
					t.Errorf("problem %d:\n  got  %s\n  want %s...", i, rest[i], w)
				}
			}
		})
	}
}

func TestCheckNoSums(t *testing.T) {
	_, problems := Check(t.TempDir(), "terraform-registry-manifest.json")
	if len(problems) != 1 || !strings.Contains(problems[0], "want exactly one "+name+"_{VERSION}_SHA256SUMS") {
		t.Errorf("problems %q", problems)
	}
}
