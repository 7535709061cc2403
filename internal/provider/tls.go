package provider

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// cacertSetting is cacert_file, else HW_CACERT, else OS_CACERT (the one the
// official huaweicloud provider reads), and which of them set it.
func cacertSetting(v types.String, getenv environ) (file, from string) {
	if s := attrValue(v); s != "" {
		return s, settingCACertFile.attr
	}
	return settingCACertFile.env(getenv)
}

// tlsConfig is the client's TLS configuration: nil for Go's defaults, else the
// system's trusted CAs plus those of cacertFile, and no verification at all
// with insecure.
func tlsConfig(insecure bool, cacertFile, cacertFrom string) (*tls.Config, error) {
	if !insecure && cacertFile == "" {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if cacertFile != "" {
		fail := func(format string, args ...any) error {
			attr, named := "", fmt.Sprintf("cacert_file %q (from %s)", cacertFile, cacertFrom)
			if cacertFrom == settingCACertFile.attr {
				attr, named = cacertFrom, fmt.Sprintf("cacert_file %q", cacertFile)
			}
			return &configError{summary: "Cannot use cacert_file", attr: attr, detail: named + " " + fmt.Sprintf(format, args...) +
				". Point it at a PEM file holding the certificate of the CA that signs the endpoints' certificates."}
		}
		path, err := expandHome(cacertFile)
		if err != nil {
			return nil, fail("cannot be read: %s", err)
		}
		pem, err := os.ReadFile(path) //nolint:gosec // the CA file the user named in cacert_file
		if err != nil {
			return nil, fail("cannot be read: %s", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fail("holds no certificate: it needs at least one PEM block \"-----BEGIN CERTIFICATE-----\" that parses")
		}
		c.RootCAs = pool
	}
	if insecure {
		c.InsecureSkipVerify = true // the user asked for it with insecure = true
	}
	return c, nil
}
