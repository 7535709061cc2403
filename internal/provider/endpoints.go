package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// endpointKeys checks the keys of the endpoints map. A key this provider uses
// (endpointServices) is fine. A key that looks like a typo of one of them
// (worksapce, IAM) is an error with a "did you mean", because the endpoint it
// meant to set would silently not be used. Any other key, such as the ecs or
// vpc of an endpoints map copied from the official provider's configuration,
// is a warning that lists the keys this provider uses.
type endpointKeys struct{}

func (endpointKeys) Description(context.Context) string {
	return "keys should be among " + strings.Join(endpointServices, ", ") + "; other keys are ignored with a warning"
}

func (v endpointKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var unused []string
	for key, value := range req.ConfigValue.Elements() {
		if slices.Contains(endpointServices, key) {
			// Only the URLs this provider uses are checked: the official
			// provider also takes host names without a scheme.
			if s, ok := value.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				if err := checkEndpointURL(s.ValueString()); err != nil {
					resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Invalid endpoint URL", err.Error())
				}
			}
			continue
		}
		if meant := likelyTypo(key); meant != "" {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Unknown endpoints key",
				fmt.Sprintf("endpoints has the key %q, which this provider does not use. Did you mean %q? The keys it uses are %s.",
					key, meant, quotedList(endpointServices)))
			continue
		}
		unused = append(unused, key)
	}
	if len(unused) == 0 {
		return
	}
	sort.Strings(unused)
	resp.Diagnostics.AddAttributeWarning(req.Path, "Endpoints not used by this provider",
		fmt.Sprintf("endpoints sets %s, which this provider does not use, and they are ignored. It uses only %s; "+
			"an endpoints map copied from the official huaweicloud provider's configuration may keep its other keys, or drop them.",
			quotedList(unused), quotedList(endpointServices)))
}

// likelyTypo is the used key that key is likely a misspelling of, or "". A key
// the official provider knows is never a typo (ims, sts and sms are services
// of their own); otherwise a key is a typo of a used key when it is that key in
// another case, or one edit away (two for keys of six letters or more), where
// an edit inserts, deletes or replaces a letter, or swaps two adjacent ones.
func likelyTypo(key string) string {
	if slices.Contains(officialEndpointKeys, key) {
		return ""
	}
	lower := strings.ToLower(strings.TrimSpace(key))
	best, bestDist := "", 0
	for _, used := range endpointServices {
		limit := 1
		if len(used) >= 6 {
			limit = 2
		}
		d := editDistance(lower, used)
		if d <= limit && (best == "" || d < bestDist) {
			best, bestDist = used, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and adjacent transpositions.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// quotedList is "a", "b" and "c".
func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
