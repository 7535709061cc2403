package acctest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// ExpectSnapshots is the exact list check of snapshots as the fake holds them:
// every one of the 14 fields, null where the fake leaves a field out (or sends
// process: null), in the given order.
func ExpectSnapshots(snaps []fakeapi.Snapshot) knownvalue.Check {
	checks := make([]knownvalue.Check, len(snaps))
	for i, s := range snaps {
		checks[i] = ExpectSnapshot(s)
	}
	return knownvalue.ListExact(checks)
}

// ExpectSnapshot is the exact object check of one snapshot.
func ExpectSnapshot(s fakeapi.Snapshot) knownvalue.Check {
	return knownvalue.ObjectExact(ExpectSnapshotFields(s))
}

// ExpectSnapshotFields are the exact checks of each of a snapshot's 14 fields,
// by attribute name.
func ExpectSnapshotFields(s fakeapi.Snapshot) map[string]knownvalue.Check {
	str := func(p *string) knownvalue.Check {
		if p == nil {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(*p)
	}
	var isSystem knownvalue.Check = knownvalue.Null()
	if s.IsSystemDisk != nil {
		isSystem = knownvalue.Bool(*s.IsSystemDisk)
	}
	var process knownvalue.Check = knownvalue.Null()
	if s.Process != nil {
		process = knownvalue.Int64Exact(*s.Process)
	}
	return map[string]knownvalue.Check{
		"snapshot_id":         str(s.SnapshotID),
		"snapshot_name":       str(s.SnapshotName),
		"desktop_id":          str(s.DesktopID),
		"desktop_name":        str(s.DesktopName),
		"desktop_sid":         str(s.DesktopSID),
		"desktop_pool_id":     str(s.DesktopPoolID),
		"is_system_disk":      isSystem,
		"status":              str(s.Status),
		"process":             process,
		"description":         str(s.Description),
		"create_time":         str(s.CreateTime),
		"create_type":         str(s.CreateType),
		"last_restore_time":   str(s.LastRestoreTime),
		"restore_fail_reason": str(s.RestoreFailReason),
	}
}

// CheckSnapshotQueries passes when the ListDesktopSnapshot requests the fake saw
// used exactly the given raw query strings (each read repeats them; the set of
// distinct queries must match) and all went to projectID. The first query seen
// must be the first given (a listing starts at offset 0); the others may come in
// any order, because pages after the first are fetched concurrently.
func (f *Fake) CheckSnapshotQueries(projectID string, rawQueries ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var seen []string
		for _, r := range f.SnapshotRequests() {
			if want := "/v2/" + projectID + "/snapshots"; r.Path != want {
				return fmt.Errorf("request to %s, want %s", r.Path, want)
			}
			if r.Status != 200 {
				return fmt.Errorf("request %s?%s answered %d %s", r.Path, r.RawQuery, r.Status, r.ErrorCode)
			}
			if !slices.Contains(seen, r.RawQuery) {
				seen = append(seen, r.RawQuery)
			}
		}
		if !slices.Equal(firstThenSorted(seen), firstThenSorted(rawQueries)) {
			return fmt.Errorf("ListDesktopSnapshot queries:\n  got  %s\n  want %s", strings.Join(seen, "\n       "), strings.Join(rawQueries, "\n       "))
		}
		return nil
	}
}

// firstThenSorted keeps the first query first and sorts the others: the first
// request of a listing is offset 0, the rest run concurrently.
func firstThenSorted(qs []string) []string {
	if len(qs) < 2 {
		return qs
	}
	rest := slices.Clone(qs[1:])
	slices.Sort(rest)
	return append([]string{qs[0]}, rest...)
}

// CheckIAMQueries passes when the IAM project lookups the fake saw used exactly
// these distinct raw queries (none at all when none are given).
func (f *Fake) CheckIAMQueries(rawQueries ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var seen []string
		for _, r := range f.IAMRequests() {
			if !slices.Contains(seen, r.RawQuery) {
				seen = append(seen, r.RawQuery)
			}
		}
		if !slices.Equal(firstThenSorted(seen), firstThenSorted(rawQueries)) {
			return fmt.Errorf("IAM project lookups: got %q, want %q", seen, rawQueries)
		}
		return nil
	}
}

// CheckAllSignedBy passes when every request the fake saw was signed with
// accessKey and carried exactly securityToken in X-Security-Token ("" for none),
// with x-security-token among the signed headers when a token was sent.
func (f *Fake) CheckAllSignedBy(accessKey, securityToken string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := f.Requests()
		if len(reqs) == 0 {
			return fmt.Errorf("the fake saw no request")
		}
		for _, r := range reqs {
			if r.AccessKey != accessKey {
				return fmt.Errorf("%s signed by %q, want %q", r.Path, r.AccessKey, accessKey)
			}
			if got := r.Header.Get("X-Security-Token"); got != securityToken {
				return fmt.Errorf("%s carried X-Security-Token %q, want %q", r.Path, got, securityToken)
			}
			signsToken := strings.Contains(r.Header.Get("Authorization"), "x-security-token")
			if signsToken != (securityToken != "") {
				return fmt.Errorf("%s: x-security-token signed: %v, want %v (%s)", r.Path, signsToken, securityToken != "", r.Header.Get("Authorization"))
			}
		}
		return nil
	}
}

// ExpectError matches a diagnostic that contains each fragment, in order, however
// Terraform wrapped its lines: a space in a fragment matches any white space.
func ExpectError(fragments ...string) *regexp.Regexp {
	parts := make([]string, len(fragments))
	for i, f := range fragments {
		parts[i] = strings.ReplaceAll(regexp.QuoteMeta(f), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// CheckUserAgent passes when every request the fake saw carried exactly this
// User-Agent.
func (f *Fake) CheckUserAgent(want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range f.Requests() {
			if got := r.Header.Get("User-Agent"); got != want {
				return fmt.Errorf("%s: User-Agent %q, want %q", r.Path, got, want)
			}
		}
		return nil
	}
}

// ExpectSnapshotsAtCheck is the exact list check of the snapshots want returns
// when the state is checked, not when the test is written: for listings the fake
// changes while they are read.
func ExpectSnapshotsAtCheck(address string, want func() []fakeapi.Snapshot) statecheck.StateCheck {
	return lazyCheck{func() statecheck.StateCheck {
		return statecheck.ExpectKnownValue(address, tfjsonpath.New("snapshots"), ExpectSnapshots(want()))
	}}
}

type lazyCheck struct{ build func() statecheck.StateCheck }

func (c lazyCheck) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	c.build().CheckState(ctx, req, resp)
}

// CheckSnapshotAttempts passes when the fake saw exactly n ListDesktopSnapshot
// requests, faulted or not.
func (f *Fake) CheckSnapshotAttempts(n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(f.SnapshotRequests()); got != n {
			return fmt.Errorf("the fake saw %d ListDesktopSnapshot requests, want %d: %s", got, n, f.describe())
		}
		return nil
	}
}

// describe lists the snapshot requests the fake saw, for failure messages.
func (f *Fake) describe() string {
	var b strings.Builder
	for _, r := range f.SnapshotRequests() {
		fmt.Fprintf(&b, "\n  %s %d %s", r.RawQuery, r.Status, r.Fault)
	}
	return b.String()
}
