package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/client/sign"
)

// signingAlgorithmAttribute is signing_algorithm: the algorithms are the
// client's, so that the schema, its validator and the docs list the same ones.
func signingAlgorithmAttribute() schema.StringAttribute {
	names := sign.AlgorithmNames()
	return schema.StringAttribute{
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(names...)},
		MarkdownDescription: fmt.Sprintf("How requests are signed, as in the official huaweicloud provider and SDK: %s. "+
			"Falls back to `%s`, then to `%s`. "+
			"`HmacSM3` and `SM2SM3` hash the request and its body with SM3, for accounts under the Chinese cryptography rules, and name the body-hash header `X-Sdk-Content-Sm3`; "+
			"`EcdsaP256SHA256` and `SM2SM3` sign with an ECC key derived from the access key pair. "+
			"The `Authorization` header names the algorithm as `SDK-HMAC-SHA256`, `SDK-HMAC-SM3`, `SDK-ECDSA-P256-SHA256` or `SDK-SM2-SM3`. "+
			"The names are case-sensitive.",
			codeList(names), EnvSigningAlgorithm, sign.DefaultAlgorithm),
	}
}

// codeList writes names as `a`, `b`, `c` or `d`.
func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// signingAlgorithmSetting is signing_algorithm, else HW_SIGNING_ALGORITHM, else
// the default. The attribute's validator has checked the attribute at plan
// time; a bad variable is an error naming it.
func signingAlgorithmSetting(v types.String, getenv environ) (sign.Algorithm, error) {
	raw := stringSetting(v, settingSigning, getenv)
	if raw == "" {
		return sign.DefaultAlgorithm, nil
	}
	alg := sign.Algorithm(raw)
	if !alg.Valid() {
		from := fmt.Sprintf("%s=%q", EnvSigningAlgorithm, raw)
		if !v.IsNull() && !v.IsUnknown() {
			from = fmt.Sprintf("signing_algorithm = %q", raw)
		}
		return "", fmt.Errorf("%s is not a signing algorithm: use one of %s (names are case-sensitive), or unset it for the default %s",
			from, strings.Join(sign.AlgorithmNames(), ", "), sign.DefaultAlgorithm)
	}
	return alg, nil
}
