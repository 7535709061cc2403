package provider

import (
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCACertSetting(t *testing.T) {
	t.Setenv(EnvOSCACert, "/os.pem")
	if f, from := cacertSetting(types.StringNull(), processEnv); f != "/os.pem" || from != EnvOSCACert {
		t.Errorf("OS_CACERT alone: %q from %q", f, from)
	}
	t.Setenv(EnvCACert, "/hw.pem")
	if f, from := cacertSetting(types.StringNull(), processEnv); f != "/hw.pem" || from != EnvCACert {
		t.Errorf("HW_CACERT over OS_CACERT: %q from %q", f, from)
	}
	if f, from := cacertSetting(types.StringValue("/attr.pem"), processEnv); f != "/attr.pem" || from != "cacert_file" {
		t.Errorf("the attribute over both: %q from %q", f, from)
	}
}

// The CA file makes the server's certificate trusted; without it, or with
// nothing, Go's defaults refuse it; insecure skips the check.
func TestTLSConfig(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	dir := t.TempDir()
	caPath := writeFile(t, dir, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))

	get := func(insecure bool, file, from string) error {
		t.Helper()
		c, err := tlsConfig(insecure, file, from)
		if err != nil {
			t.Fatal(err)
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = c
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if c, err := tlsConfig(false, "", ""); c != nil || err != nil {
		t.Errorf("tlsConfig(false, \"\") = %v, %v, want nil for Go's defaults", c, err)
	}
	if err := get(false, "", ""); err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Errorf("without the CA: %v, want an unknown authority", err)
	}
	if err := get(false, caPath, "cacert_file"); err != nil {
		t.Errorf("with the CA: %v", err)
	}
	if err := get(true, "", ""); err != nil {
		t.Errorf("insecure: %v", err)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := writeFile(t, dir, "key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
	badCert := writeFile(t, dir, "bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
	const advice = ". Point it at a PEM file holding the certificate of the CA that signs the endpoints' certificates."
	cases := []struct {
		name, file, from, attr, detail string
	}{
		{"missing, attribute", dir + "/none.pem", "cacert_file", "cacert_file",
			`cacert_file "` + dir + `/none.pem" cannot be read: open ` + dir + `/none.pem: no such file or directory` + advice},
		{"missing, HW_CACERT", dir + "/none.pem", EnvCACert, "",
			`cacert_file "` + dir + `/none.pem" (from HW_CACERT) cannot be read: open ` + dir + `/none.pem: no such file or directory` + advice},
		{"a directory, OS_CACERT", dir, EnvOSCACert, "",
			`cacert_file "` + dir + `" (from OS_CACERT) cannot be read: read ` + dir + `: is a directory` + advice},
		{"no certificate", notPEM, "cacert_file", "cacert_file",
			`cacert_file "` + notPEM + `" holds no certificate: it needs at least one PEM block "-----BEGIN CERTIFICATE-----" that parses` + advice},
		{"a certificate that does not parse", badCert, EnvCACert, "",
			`cacert_file "` + badCert + `" (from HW_CACERT) holds no certificate: it needs at least one PEM block "-----BEGIN CERTIFICATE-----" that parses` + advice},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tlsConfig(false, tc.file, tc.from)
			var cfgErr *configError
			if !errors.As(err, &cfgErr) || cfgErr.summary != "Cannot use cacert_file" || cfgErr.attr != tc.attr || cfgErr.detail != tc.detail {
				t.Fatalf("tlsConfig error = %#v\nwant attr %q, detail %s", err, tc.attr, tc.detail)
			}
		})
	}
}
