package acctest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-terraform/terraform-provider-huaweicloud/internal/fakeapi"
)

// Checks of the batch snapshot operations the fake saw.

// BatchRequests returns the recorded batch POSTs (create, delete, restore) whose
// path ends in suffix ("" for all), oldest first.
func (f *Fake) BatchRequests(suffix string) []fakeapi.Request {
	var out []fakeapi.Request
	for _, r := range f.Requests() {
		if r.Method == http.MethodPost && strings.Contains(r.Path, "/snapshots/batch-") && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// CheckBatchBodies passes when the batch POSTs to paths ending in suffix were
// exactly these bodies, in order, all answered 200.
func (f *Fake) CheckBatchBodies(suffix string, bodies ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := f.BatchRequests(suffix)
		var seen []string
		for _, r := range got {
			seen = append(seen, fmt.Sprintf("%d %s", r.Status, r.Body))
		}
		if len(got) != len(bodies) {
			return fmt.Errorf("%s POSTs:\n  got  %s\n  want %s", suffix, strings.Join(seen, "\n       "), strings.Join(bodies, "\n       "))
		}
		for i, r := range got {
			if r.Status != http.StatusOK || string(r.Body) != bodies[i] {
				return fmt.Errorf("%s POST %d: got %d %s, want 200 %s", suffix, i, r.Status, r.Body, bodies[i])
			}
		}
		return nil
	}
}

// DesktopSnapshots returns the fake's snapshots of one desktop in a project.
func (f *Fake) DesktopSnapshots(projectID, desktopID string) []fakeapi.Snapshot {
	var out []fakeapi.Snapshot
	for _, s := range f.Snapshots(projectID) {
		if s.DesktopID != nil && *s.DesktopID == desktopID {
			out = append(out, s)
		}
	}
	return out
}

// Lazy is a state check built when the state is checked, from what the fake
// holds then (a snapshot the apply created, say).
func Lazy(build func() statecheck.StateCheck) statecheck.StateCheck { return lazyCheck{build} }

// ExpectSnapshotState checks every one of the snapshot's 14 fields at the top
// level of address's state, as the fake holds the snapshot when checked (the
// one pick returns), plus id.
func (f *Fake) ExpectSnapshotState(address string, pick func() (fakeapi.Snapshot, error)) statecheck.StateCheck {
	return Lazy(func() statecheck.StateCheck {
		s, err := pick()
		if err != nil {
			return failedCheck{err}
		}
		checks := []statecheck.StateCheck{statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(*s.SnapshotID))}
		for name, c := range ExpectSnapshotFields(s) {
			checks = append(checks, statecheck.ExpectKnownValue(address, tfjsonpath.New(name), c))
		}
		return allChecks(checks)
	})
}

// OnlySnapshotOf picks the one snapshot the fake holds of a desktop.
func (f *Fake) OnlySnapshotOf(projectID, desktopID string) func() (fakeapi.Snapshot, error) {
	return func() (fakeapi.Snapshot, error) {
		snaps := f.DesktopSnapshots(projectID, desktopID)
		if len(snaps) != 1 {
			return fakeapi.Snapshot{}, fmt.Errorf("desktop %s has %d snapshots in the fake, want 1", desktopID, len(snaps))
		}
		return snaps[0], nil
	}
}

type failedCheck struct{ err error }

func (c failedCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err
}

type allChecks []statecheck.StateCheck

func (cs allChecks) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, c := range cs {
		c.CheckState(ctx, req, resp)
		if resp.Error != nil {
			return
		}
	}
}
