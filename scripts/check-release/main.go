// Command check-release checks that a GoReleaser dist/ directory has the layout
// the Terraform registry needs, for every platform the provider ships on:
//
//	terraform-provider-huaweicloud_{V}_{OS}_{ARCH}.zip   the binary alone:
//	    terraform-provider-huaweicloud_v{V}[.exe], for that platform, with {V} in it
//	terraform-provider-huaweicloud_{V}_manifest.json      terraform-registry-manifest.json
//	terraform-provider-huaweicloud_{V}_SHA256SUMS         the SHA-256 of exactly those files
//
// Usage: go run ./scripts/check-release [-manifest terraform-registry-manifest.json] DIST.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const name = "terraform-provider-huaweicloud"

// Platforms are the OS/architecture pairs a release must have.
var Platforms = [][2]string{
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"linux", "amd64"}, {"linux", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

func main() {
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the manifest the release must carry")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: check-release [-manifest FILE] DIST")
		os.Exit(2)
	}
	version, problems := Check(flag.Arg(0), *manifest)
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "%s does not have the registry's layout:\n", flag.Arg(0))
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		os.Exit(1)
	}
	fmt.Printf("%s: release %s has the registry's layout: %d zips with the binary %s_v%s, the manifest, SHA256SUMS matching all of them\n",
		flag.Arg(0), version, len(Platforms), name, version)
}

// Check returns the version found in dist and every way dist differs from the
// registry's layout.
func Check(dist, manifestPath string) (version string, problems []string) {
	fail := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	sumsFiles, err := filepath.Glob(filepath.Join(dist, name+"_*_SHA256SUMS"))
	if err != nil || len(sumsFiles) != 1 {
		fail("want exactly one %s_{VERSION}_SHA256SUMS, found %q", name, sumsFiles)
		return "", problems
	}
	sumsName := filepath.Base(sumsFiles[0])
	version = strings.TrimSuffix(strings.TrimPrefix(sumsName, name+"_"), "_SHA256SUMS")

	// The files that SHA256SUMS must cover, exactly.
	var want []string
	for _, p := range Platforms {
		zipName := fmt.Sprintf("%s_%s_%s_%s.zip", name, version, p[0], p[1])
		want = append(want, zipName)
		for _, msg := range checkZip(filepath.Join(dist, zipName), version, p[0], p[1]) {
			fail("%s: %s", zipName, msg)
		}
	}
	zips, _ := filepath.Glob(filepath.Join(dist, "*.zip"))
	for _, z := range zips {
		if !slices.Contains(want, filepath.Base(z)) {
			fail("unexpected archive %s", filepath.Base(z))
		}
	}

	manifestName := fmt.Sprintf("%s_%s_manifest.json", name, version)
	want = append(want, manifestName)
	for _, msg := range checkManifest(filepath.Join(dist, manifestName), manifestPath) {
		fail("%s: %s", manifestName, msg)
	}

	sums, err := readSums(sumsFiles[0])
	if err != nil {
		fail("%s: %v", sumsName, err)
		return version, problems
	}
	var listed []string
	for file, sum := range sums {
		listed = append(listed, file)
		got, err := sha256File(filepath.Join(dist, file))
		if err != nil {
			fail("%s lists %s: %v", sumsName, file, err)
		} else if got != sum {
			fail("%s lists %s with %s, the file's SHA-256 is %s", sumsName, file, sum, got)
		}
	}
	slices.Sort(listed)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		fail("%s lists %q, want %q", sumsName, listed, want)
	}
	return version, problems
}

// checkZip: the zip holds only the binary, named as the registry expects, for
// that platform, stamped with the version.
func checkZip(path, version, goos, goarch string) []string {
	r, err := zip.OpenReader(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer func() { _ = r.Close() }()
	bin := fmt.Sprintf("%s_v%s", name, version)
	if goos == "windows" {
		bin += ".exe"
	}
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{bin}) {
		return []string{fmt.Sprintf("holds %q, want only %q", names, bin)}
	}
	f := r.File[0]
	var problems []string
	if goos != "windows" && f.Mode()&0o111 == 0 {
		problems = append(problems, fmt.Sprintf("%s is not executable (mode %v)", bin, f.Mode()))
	}
	b, err := readAll(f)
	if err != nil {
		return append(problems, fmt.Sprintf("%s: %v", bin, err))
	}
	info, err := buildinfo.Read(bytes.NewReader(b))
	if err != nil {
		return append(problems, fmt.Sprintf("%s: %v", bin, err))
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["GOOS"] != goos || settings["GOARCH"] != goarch {
		problems = append(problems, fmt.Sprintf("%s is built for %s/%s", bin, settings["GOOS"], settings["GOARCH"]))
	}
	// -trimpath keeps -ldflags out of the build information; the string that
	// -X main.version=... put in is there all the same.
	if !bytes.Contains(b, []byte(version)) {
		problems = append(problems, fmt.Sprintf("%s does not contain its version %q: built without -X main.version?", bin, version))
	}
	return problems
}

// readAll reads a file of a zip.
func readAll(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	return io.ReadAll(rc)
}

// checkManifest: a copy of the repository's manifest, for plugin protocol 6.0.
func checkManifest(path, source string) []string {
	got, err := os.ReadFile(path)
	if err != nil {
		return []string{err.Error()}
	}
	src, err := os.ReadFile(source)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	if !bytes.Equal(got, src) {
		problems = append(problems, "differs from "+source)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(got, &m); err != nil {
		return append(problems, err.Error())
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		problems = append(problems, fmt.Sprintf("version %d, protocol_versions %q; want 1 and [\"6.0\"]", m.Version, m.Metadata.ProtocolVersions))
	}
	return problems
}

// readSums parses "HEX  NAME" lines, refusing anything else.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if b, err := hex.DecodeString(sum); !ok || err != nil || len(b) != sha256.Size || file == "" || strings.ContainsAny(file, `/\`) {
			return nil, fmt.Errorf("line %d is not \"SHA256  FILE\": %q", n, sc.Text())
		}
		if _, dup := sums[file]; dup {
			return nil, fmt.Errorf("line %d lists %s again", n, file)
		}
		sums[file] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, errors.New("empty")
	}
	return sums, nil
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
