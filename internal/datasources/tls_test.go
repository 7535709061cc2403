package datasources_test

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/acctest"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// tlsCase is one way of configuring TLS against the fake behind HTTPS with a
// CA of its own: lines for the provider block, variables, and either the error
// or success with the exact snapshot list.
type tlsCase struct {
	name  string
	setup func(t *testing.T, caPEM string) (lines []string, env map[string]string, err []string)
}

// Files that are not a CA: a path that does not exist and a PEM file without a
// certificate.
func tlsBadFiles(t *testing.T) (missing, noCert string) {
	dir := t.TempDir()
	noCert = filepath.Join(dir, "key.pem")
	writeFile(t, noCert, "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
	return filepath.Join(dir, "missing.pem"), noCert
}

func runTLSCase(t *testing.T, tc tlsCase) {
	fake, caPEM := acctest.StartFakeTLS(t)
	lines, env, err := tc.setup(t, caPEM)
	setenv(t, env)
	step := resource.TestStep{Config: fake.ProviderConfig(lines...) + dataSource()}
	if err != nil {
		step.ExpectError = acctest.ExpectError(err...)
	} else {
		step.ConfigStateChecks = snapshotsChecks(fakeapi.Sample())
		step.Check = fake.CheckAllSignedBy(fakeapi.AccessKey, "")
	}
	acctest.Run(t, []resource.TestStep{step})
}

// The fake over HTTPS, configured through the provider block: refused without
// its CA, read with cacert_file or insecure, and a cacert_file that is not a CA
// is a diagnostic naming it and its path.
func TestAccProvider_tls(t *testing.T) {
	cases := []tlsCase{
		{"without cacert_file", func(*testing.T, string) ([]string, map[string]string, []string) {
			return nil, nil, []string{"Cannot find the project ID", "x509: certificate signed by unknown authority",
				"The endpoint's TLS certificate could not be verified. If a private CA signs it (a proxy, a private cloud), point cacert_file (or HW_CACERT, OS_CACERT) at that CA's PEM file."}
		}},
		{"without cacert_file, listing", func(*testing.T, string) ([]string, map[string]string, []string) {
			return []string{`project_id = "` + fakeapi.ProjectID + `"`}, nil, []string{"Cannot list desktop snapshots", "x509: certificate signed by unknown authority",
				"point cacert_file (or HW_CACERT, OS_CACERT) at that CA's PEM file."}
		}},
		{"cacert_file", func(_ *testing.T, ca string) ([]string, map[string]string, []string) {
			return []string{`cacert_file = "` + filepath.ToSlash(ca) + `"`}, nil, nil
		}},
		{"insecure", func(*testing.T, string) ([]string, map[string]string, []string) {
			return []string{"insecure = true"}, nil, nil
		}},
		{"cacert_file missing", func(t *testing.T, _ string) ([]string, map[string]string, []string) {
			missing, _ := tlsBadFiles(t)
			return []string{`cacert_file = "` + filepath.ToSlash(missing) + `"`}, nil,
				[]string{"Cannot use cacert_file", `cacert_file "` + missing + `" cannot be read: open ` + missing + `: no such file or directory.`,
					"Point it at a PEM file holding the certificate of the CA"}
		}},
		{"cacert_file without a certificate", func(t *testing.T, _ string) ([]string, map[string]string, []string) {
			_, noCert := tlsBadFiles(t)
			return []string{`cacert_file = "` + filepath.ToSlash(noCert) + `"`}, nil,
				[]string{"Cannot use cacert_file", `cacert_file "` + noCert + `" holds no certificate: it needs at least one PEM block "-----BEGIN CERTIFICATE-----" that parses.`}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runTLSCase(t, tc)
		})
	}
}

// The same through HW_CACERT, OS_CACERT and HW_INSECURE, which set variables,
// so these do not run in parallel.
func TestAccProvider_tlsEnvironment(t *testing.T) {
	cases := []tlsCase{
		{"HW_CACERT", func(_ *testing.T, ca string) ([]string, map[string]string, []string) {
			return nil, map[string]string{"HW_CACERT": ca}, nil
		}},
		{"OS_CACERT", func(_ *testing.T, ca string) ([]string, map[string]string, []string) {
			return nil, map[string]string{"OS_CACERT": ca}, nil
		}},
		{"HW_INSECURE", func(*testing.T, string) ([]string, map[string]string, []string) {
			return nil, map[string]string{"HW_INSECURE": "true"}, nil
		}},
		{"cacert_file over a wrong HW_CACERT", func(t *testing.T, ca string) ([]string, map[string]string, []string) {
			missing, _ := tlsBadFiles(t)
			return []string{`cacert_file = "` + filepath.ToSlash(ca) + `"`}, map[string]string{"HW_CACERT": missing}, nil
		}},
		{"HW_CACERT missing", func(t *testing.T, ca string) ([]string, map[string]string, []string) {
			missing, _ := tlsBadFiles(t)
			return nil, map[string]string{"HW_CACERT": missing, "OS_CACERT": ca},
				[]string{"Cannot use cacert_file", `cacert_file "` + missing + `" (from HW_CACERT) cannot be read: open ` + missing + `: no such file or directory.`}
		}},
		{"OS_CACERT without a certificate", func(t *testing.T, _ string) ([]string, map[string]string, []string) {
			_, noCert := tlsBadFiles(t)
			return nil, map[string]string{"OS_CACERT": noCert},
				[]string{"Cannot use cacert_file", `cacert_file "` + noCert + `" (from OS_CACERT) holds no certificate`}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runTLSCase(t, tc) })
	}
}
