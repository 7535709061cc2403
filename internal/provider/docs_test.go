package provider

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client"
	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/transport"
)

// The hand-written tables of the docs templates are checked here against the
// schema and the code, so that they cannot drift apart: tfplugindocs only
// renders them (make docs-check proves docs/ matches the templates, not that
// the templates are true).

// mdTable is one markdown table: its header cells and its rows' cells.
type mdTable struct {
	header []string
	rows   [][]string
}

// readTables returns the tables of a markdown file whose header's first cell is
// first.
func readTables(t *testing.T, file, first string) []mdTable {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var out []mdTable
	var cur *mdTable
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			cur = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cur == nil:
			if cells[0] == first {
				out = append(out, mdTable{header: cells})
				cur = &out[len(out)-1]
			} else {
				cur = &mdTable{} // another table: read and dropped
			}
		case strings.Trim(cells[0], "-:") == "":
			// the separator row
		default:
			cur.rows = append(cur.rows, cells)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// codeSpans are the `quoted` words of a cell, in order.
func codeSpans(cell string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// schemaNames are the provider schema's top-level attributes and blocks.
func schemaNames(t *testing.T) []string {
	t.Helper()
	s := providerSchema(t).Schema
	var names []string
	for name := range s.Attributes {
		names = append(names, name)
	}
	for name := range s.Blocks {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

const providerTemplate = "../../templates/index.md.tmpl"

// The settings table of the provider page has one row per attribute and block
// of the schema, names no attribute the schema lacks, and gives each setting
// exactly the variables the code reads for it (the settings declarations of
// config.go), in the order it reads them; and the defaults written in code
// are the ones the table gives.
func TestProviderPageSettingsTable(t *testing.T) {
	tables := readTables(t, providerTemplate, "attribute")
	if len(tables) != 1 {
		t.Fatalf("%s: %d tables with an attribute column, want the one settings table", providerTemplate, len(tables))
	}
	rows := map[string][]string{}
	for _, r := range tables[0].rows {
		names := codeSpans(r[0])
		if len(names) != 1 {
			t.Errorf("settings row %q: want one `attribute` in the first column", r)
			continue
		}
		if _, dup := rows[names[0]]; dup {
			t.Errorf("settings table: %s has two rows", names[0])
		}
		rows[names[0]] = r
	}

	names := schemaNames(t)
	for _, name := range names {
		if _, ok := rows[name]; !ok {
			t.Errorf("settings table: no row for the schema's %q", name)
		}
	}
	declared := map[string]setting{}
	for _, s := range settings {
		declared[s.attr] = s
		if !slices.Contains(names, s.attr) {
			t.Errorf("config.go declares the setting %q, which the schema does not have", s.attr)
		}
	}
	for _, name := range names {
		if _, ok := declared[name]; !ok {
			t.Errorf("the schema's %q has no setting declaration in config.go (settings)", name)
		}
	}
	for name, r := range rows {
		if !slices.Contains(names, name) {
			t.Errorf("settings table: row for %q, which the schema does not have", name)
			continue
		}
		s, ok := declared[name]
		if !ok {
			continue
		}
		got := codeSpans(r[1])
		if len(s.envs) == 0 {
			if r[1] != "none" {
				t.Errorf("settings table: %s reads no variable, but its row says %q; write none", name, r[1])
			}
			continue
		}
		if !slices.Equal(got, s.envs) {
			t.Errorf("settings table: %s's variables are %q, but the code reads %q, in that order", name, got, s.envs)
		}
	}

	// Defaults written in code.
	for name, want := range map[string]string{
		settingMaxRetries.attr:  fmt.Sprintf("`%d`", DefaultMaxRetries),
		settingConcurrency.attr: fmt.Sprintf("`%d`", transport.DefaultMaxConcurrency),
		settingCloud.attr:       "`" + client.DefaultCloud + "`",
	} {
		if r, ok := rows[name]; ok && !strings.HasPrefix(r[2], want) {
			t.Errorf("settings table: %s's default is %q, want it to start with %s", name, r[2], want)
		}
	}
	if r, ok := rows[settingEndpoints.attr]; ok {
		for _, key := range endpointServices {
			if !strings.Contains(r[2], "`"+key+"`") {
				t.Errorf("settings table: the endpoints row does not name the key %q: %q", key, r[2])
			}
		}
	}
}

// officialSettings are the top-level settings of the official huaweicloud
// provider's schema (huaweicloud/provider.go of
// github.com/huaweicloud/terraform-provider-huaweicloud, read in 2026).
var officialSettings = []string{
	"region", "access_key", "secret_key", "security_token", "domain_id", "domain_name", "user_name", "user_id",
	"password", "assume_role", "assume_role_with_oidc", "project_id", "project_name", "tenant_id", "tenant_name",
	"token", "insecure", "cacert_file", "cert", "key", "agency_name", "agency_domain_name", "delegated_project",
	"auth_url", "cloud", "endpoints", "regional", "shared_config_file", "profile", "enterprise_project_id",
	"max_retries", "enable_force_new", "signing_algorithm", "skip_check_website_type", "skip_check_upgrade",
	"default_tags", "ignore_tags",
}

// The provider page's table of the official provider's settings this one does
// not have: every official setting is either in this provider's schema or in
// that table, never both, and each row gives a reason.
func TestProviderPageUnsupportedSettings(t *testing.T) {
	tables := readTables(t, providerTemplate, "official setting")
	if len(tables) != 1 {
		t.Fatalf("%s: %d tables with an official setting column, want one", providerTemplate, len(tables))
	}
	ours := schemaNames(t)
	var listed []string
	for _, r := range tables[0].rows {
		names := codeSpans(r[0])
		if len(names) == 0 || len(r) < 2 || len(strings.TrimSpace(r[1])) < 10 {
			t.Errorf("unsupported settings row %q: want `settings` and a reason", r)
		}
		for _, name := range names {
			switch {
			case slices.Contains(ours, name):
				t.Errorf("unsupported settings table lists %q, which this provider has: delete the row", name)
			case !slices.Contains(officialSettings, name):
				t.Errorf("unsupported settings table lists %q, which the official provider does not have", name)
			}
			listed = append(listed, name)
		}
	}
	for _, name := range officialSettings {
		if !slices.Contains(ours, name) && !slices.Contains(listed, name) {
			t.Errorf("the official provider's %q is neither a setting here nor in the unsupported settings table", name)
		}
	}
}

// Each data source page's hand-written argument table, where its template has
// one, names every argument of the schema (every attribute that is not only
// computed) once, and no other.
func TestDataSourcePageArguments(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	checked := 0
	for _, f := range p.DataSources(ctx) {
		d := f()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: TypeName}, &meta)
		page := "../../templates/data-sources/" + strings.TrimPrefix(meta.TypeName, TypeName+"_") + ".md.tmpl"
		if _, err := os.Stat(page); err != nil {
			continue // no template: the page is generated from the schema alone
		}
		tables := readTables(t, page, "argument")
		if len(tables) == 0 {
			continue // a template without an argument table
		}
		checked++
		var listed []string
		for _, tb := range tables {
			for _, r := range tb.rows {
				listed = append(listed, codeSpans(r[0])...)
			}
		}
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		var args []string
		for name, a := range resp.Schema.Attributes {
			if a.IsOptional() || a.IsRequired() {
				args = append(args, name)
			}
		}
		slices.Sort(args)
		slices.Sort(listed)
		if !slices.Equal(listed, args) {
			t.Errorf("%s: the argument table names %q, the schema's arguments are %q", page, listed, args)
		}
	}
	if checked == 0 {
		t.Fatal("no data source page with an argument table was checked")
	}
}

// Every variable declared for a setting is read by the code, each on its own,
// in place of the attribute: the settings table's variables (checked above
// against the declarations) are thereby the ones the code reads.
func TestEveryDeclaredVariableIsRead(t *testing.T) {
	profiles := t.TempDir() + "/config.json"
	if err := os.WriteFile(profiles, []byte(`{"current": "a", "profiles": [
  {"name": "a", "mode": "AKSK", "accessKeyId": "AKA", "secretAccessKey": "SKA"},
  {"name": "b", "mode": "AKSK", "accessKeyId": "AKB", "secretAccessKey": "SKB"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	withKeys := func(m *Model) { m.AccessKey, m.SecretKey = types.StringValue("AK"), types.StringValue("SK") }
	// For each setting: a valid value, what else the case needs, and the
	// resolved field the value must reach.
	cases := map[string]struct {
		value string
		setup func(t *testing.T, m *Model)
		got   func(r resolved) string
	}{
		"region":            {"cn-north-4", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.region }},
		"project_id":        {"PID", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.projectID }},
		"project_name":      {"cn-north-4_sub", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.projectName }},
		"domain_id":         {"DID", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.domainID }},
		"domain_name":       {"account", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.domainName }},
		"cloud":             {"example.cloud", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.cloud }},
		"auth_url":          {"https://iam.example.cloud/v3", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.authURL }},
		"insecure":          {"true", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return fmt.Sprint(r.insecure) }},
		"cacert_file":       {"/etc/ca.pem", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return r.cacertFile }},
		"max_retries":       {"7", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return fmt.Sprint(r.maxRetries) }},
		"max_concurrency":   {"3", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return fmt.Sprint(r.maxConcurrency) }},
		"signing_algorithm": {"SM2SM3", func(_ *testing.T, m *Model) { withKeys(m) }, func(r resolved) string { return string(r.signingAlgorithm) }},
		// A key is read with its partner from the same place (keyPartner).
		"access_key": {"AKENV", func(*testing.T, *Model) {}, func(r resolved) string { return r.accessKey }},
		"secret_key": {"SKENV", func(*testing.T, *Model) {}, func(r resolved) string { return r.secretKey }},
		"security_token": {"TOKEN", func(t *testing.T, _ *Model) { t.Setenv(EnvAccessKey, "AKENV"); t.Setenv(EnvSecretKey, "SKENV") },
			func(r resolved) string { return r.securityToken }},
		// The file's current profile a gives AKA.
		"shared_config_file": {profiles, func(*testing.T, *Model) {}, func(r resolved) string {
			if r.accessKey == "AKA" {
				return profiles
			}
			return "keys " + r.accessKey
		}},
		// Profile b of the file gives AKB.
		"profile": {"b", func(_ *testing.T, m *Model) { m.SharedConfigFile = types.StringValue(profiles) }, func(r resolved) string {
			if r.accessKey == "AKB" {
				return "b"
			}
			return "keys " + r.accessKey
		}},
	}
	keyPartner := map[string][2]string{
		EnvAccessKey: {EnvSecretKey, "SKENV"}, EnvOSAccessKey: {EnvOSSecretKey, "SKENV"},
		EnvSecretKey: {EnvAccessKey, "AKENV"}, EnvOSSecretKey: {EnvOSAccessKey, "AKENV"},
	}
	// The blocks' variables describe one block together: each is set to its
	// own value beside the others a block needs, and must reach its field.
	agencyVars := map[string]string{
		EnvAssumeRoleAgencyName: "agency-x", EnvAssumeRoleDomainName: "account-x", EnvAssumeRoleDuration: "1800",
	}
	oidcVars := map[string]string{
		EnvAssumeRoleIdpID: "gitlab", EnvAssumeRoleIDToken: "jwt", EnvAssumeRoleAgencyName: "agency-x",
		EnvAssumeRoleDomainID: "DID", EnvAssumeRoleDuration: "1800",
	}
	blockCases := map[string]func(t *testing.T, env string){
		"assume_role": func(t *testing.T, env string) {
			for k, v := range agencyVars {
				t.Setenv(k, v)
			}
			if env == EnvAssumeRoleDomainID {
				t.Setenv(EnvAssumeRoleDomainName, "")
				t.Setenv(env, "DID")
			}
			m := nullModel()
			withKeys(&m)
			r, err := m.resolve(processEnv)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.roles) != 1 {
				t.Fatalf("%s: roles = %+v, want one agency", env, r.roles)
			}
			got := map[string]string{
				EnvAssumeRoleAgencyName: r.roles[0].AgencyName, EnvAssumeRoleDomainName: r.roles[0].DomainName,
				EnvAssumeRoleDomainID: r.roles[0].DomainID, EnvAssumeRoleDuration: fmt.Sprint(r.roles[0].Duration),
			}
			want := agencyVars[env]
			if env == EnvAssumeRoleDomainID {
				want = "DID"
			}
			if got[env] != want {
				t.Errorf("%s=%q: the agency has %q", env, want, got[env])
			}
		},
		"assume_role_with_oidc": func(t *testing.T, env string) {
			for k, v := range oidcVars {
				t.Setenv(k, v)
			}
			want := oidcVars[env]
			if env == EnvAssumeRoleIDTokenFile {
				t.Setenv(EnvAssumeRoleIDToken, "")
				want = "/run/oidc-token"
				t.Setenv(env, want)
			}
			m := nullModel()
			r, err := m.resolve(processEnv)
			if err != nil {
				t.Fatal(err)
			}
			o := r.creds.oidc
			if o == nil {
				t.Fatalf("%s: no OIDC federation resolved", env)
			}
			got := map[string]string{
				EnvAssumeRoleIdpID: o.IdpID, EnvAssumeRoleIDToken: o.IDToken, EnvAssumeRoleIDTokenFile: o.IDTokenFile,
				EnvAssumeRoleAgencyName: o.AgencyName, EnvAssumeRoleDomainID: o.DomainID, EnvAssumeRoleDuration: fmt.Sprint(o.Duration),
			}
			if got[env] != want {
				t.Errorf("%s=%q: the OIDC federation has %q", env, want, got[env])
			}
		},
	}
	for _, s := range settings {
		if len(s.envs) == 0 {
			continue
		}
		if bc, ok := blockCases[s.attr]; ok {
			for _, env := range s.envs {
				t.Run(s.attr+"/"+env, func(t *testing.T) { bc(t, env) })
			}
			continue
		}
		c, ok := cases[s.attr]
		if !ok {
			t.Errorf("setting %q: add a case for it to this test", s.attr)
			continue
		}
		for _, env := range s.envs {
			t.Run(env, func(t *testing.T) {
				m := nullModel()
				c.setup(t, &m)
				if p, ok := keyPartner[env]; ok {
					t.Setenv(p[0], p[1])
				}
				t.Setenv(env, c.value)
				r, err := m.resolve(processEnv)
				if err != nil {
					t.Fatal(err)
				}
				if got := c.got(r); got != c.value {
					t.Errorf("%s=%q: %s resolved to %q", env, c.value, s.attr, got)
				}
			})
		}
	}
}
