package provider

import "slices"

// EnvVars lists every environment variable the provider reads: those of the
// settings (the declarations in config.go), the official SDK's, which give
// credentials as a place of their own, and the metadata service's address.
// Tests clear them from the environment with it.
func EnvVars() []string {
	var out []string
	for _, s := range settings {
		out = append(out, s.envs...)
	}
	out = append(out, EnvSDKAccessKey, EnvSDKSecretKey, EnvSDKSecurityToken, EnvSDKProjectID, EnvMetadataEndpoint)
	slices.Sort(out)
	return slices.Compact(out)
}
