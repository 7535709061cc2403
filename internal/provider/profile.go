package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/creds"
)

// hcloudConfig is what the provider reads of the hcloud (KooCLI) configuration
// file, ~/.hcloud/config.json, as the official huaweicloud provider reads it:
//
//	{"current": "default", "profiles": [{"name": "default", "mode": "AKSK",
//	  "accessKeyId": "...", "secretAccessKey": "...", "securityToken": "...",
//	  "region": "cn-north-4", "projectId": "...", ...}]}
//
// An SSO profile keeps its temporary keys in ssoAuth.stsToken. Other fields are
// ignored.
type hcloudConfig struct {
	Current  string          `json:"current"`
	Profiles []hcloudProfile `json:"profiles"`
}

type hcloudProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	ProjectID       string `json:"projectId"`
	// AgencyName in AgencyDomainName is assumed (through IAM) with the
	// profile's keys, as the official provider does.
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	// SSOAuth is decoded only for mode SSO, so that another mode's shape of it
	// cannot make the whole file unreadable.
	SSOAuth json.RawMessage `json:"ssoAuth"`
}

type hcloudSSOAuth struct {
	STSToken struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SecurityToken   string `json:"securityToken"`
	} `json:"stsToken"`
}

// parseHCloudConfig decodes the file at path. An error names the file, and the
// line and column where the JSON goes wrong; it never quotes the file's
// contents beyond the one character the JSON decoder names.
func parseHCloudConfig(path string, data []byte) (hcloudConfig, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM, as Windows editors write it
	var c hcloudConfig
	err := json.Unmarshal(data, &c)
	if err == nil {
		return c, nil
	}
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntaxErr):
		line, col := position(data, syntaxErr.Offset)
		return c, fmt.Errorf("%s, line %d, column %d: not valid JSON: %s", path, line, col, syntaxErr.Error())
	case errors.As(err, &typeErr):
		line, col := position(data, typeErr.Offset)
		field := typeErr.Field
		if field == "" {
			field = "the top level"
		}
		return c, fmt.Errorf("%s, line %d, column %d: %s must not be a JSON %s", path, line, col, field, typeErr.Value)
	default:
		return c, fmt.Errorf("%s: %w", path, err)
	}
}

// position is the 1-based line and column of the byte the JSON decoder stopped
// at: it reports offsets just past that byte.
func position(data []byte, offset int64) (line, col int) {
	at := int(offset) - 1
	if at < 0 {
		at = 0
	}
	if at > len(data) {
		at = len(data)
	}
	before := data[:at]
	line = bytes.Count(before, []byte("\n")) + 1
	col = at - bytes.LastIndexByte(before, '\n')
	return line, col
}

// profileNames lists the file's profiles for diagnostics.
func (c hcloudConfig) profileNames() string {
	if len(c.Profiles) == 0 {
		return "the file has no profiles"
	}
	names := make([]string, len(c.Profiles))
	for i, p := range c.Profiles {
		names[i] = fmt.Sprintf("%q", p.Name)
	}
	return "the profiles there are " + strings.Join(names, ", ")
}

// profile returns the profile called name; the first one when several are.
func (c hcloudConfig) profile(name string) (hcloudProfile, bool) {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return hcloudProfile{}, false
}

// ecsAgency: the profile's keys come from the metadata service.
func (p hcloudProfile) ecsAgency() bool { return strings.EqualFold(p.Mode, "ecsAgency") }

// agency is the agency the profile assumes, or nil.
func (p hcloudProfile) agency() *creds.AssumeRole {
	name, domain := strings.TrimSpace(p.AgencyName), strings.TrimSpace(p.AgencyDomainName)
	if name == "" || domain == "" {
		return nil
	}
	return &creds.AssumeRole{AgencyName: name, DomainName: domain}
}

// keys returns the profile's access key, secret key and security token, or
// why it has none: mode AKSK (or no mode) keeps them at the top, mode SSO in
// ssoAuth.stsToken, and other modes (such as ecsAgency) have no keys to give.
func (p hcloudProfile) keys() (ak, sk, token string, err error) {
	switch {
	case p.Mode == "" || strings.EqualFold(p.Mode, "AKSK"):
		return strings.TrimSpace(p.AccessKeyID), strings.TrimSpace(p.SecretAccessKey), strings.TrimSpace(p.SecurityToken), nil
	case strings.EqualFold(p.Mode, "SSO"):
		var sso hcloudSSOAuth
		if len(p.SSOAuth) > 0 {
			if err := json.Unmarshal(p.SSOAuth, &sso); err != nil {
				return "", "", "", fmt.Errorf("its ssoAuth is not an object with stsToken: sign in again with hcloud")
			}
		}
		t := sso.STSToken
		return strings.TrimSpace(t.AccessKeyID), strings.TrimSpace(t.SecretAccessKey), strings.TrimSpace(t.SecurityToken), nil
	default:
		return "", "", "", fmt.Errorf("its mode is %q; this provider reads only AKSK, SSO and ecsAgency profiles", p.Mode)
	}
}

// defaultSharedConfigFile is ~/.hcloud/config.json.
func defaultSharedConfigFile() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".hcloud", "config.json"), nil
}

// expandHome replaces a leading ~/ with the home directory, as shells do.
func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, `~\`) {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot expand %q: %w", path, err)
	}
	return filepath.Join(home, path[1:]), nil
}
