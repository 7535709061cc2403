package fakeapi

import (
	"fmt"
	"time"
)

// Fixed identities of the default fake, used by tests, the demo and the examples.
const (
	AccessKey     = "FAKEAK7WORKSPACE0001"
	SecretKey     = "fake-secret-key-0001-do-not-log"
	TempAccessKey = "FAKETEMPAK7WORKSPACE02"
	TempSecretKey = "fake-temp-secret-key-0002-do-not-log"
	SecurityToken = "fake-security-token-0003-do-not-log"

	// Region holds the curated Sample snapshots.
	Region    = "cn-north-4"
	ProjectID = "0a5d3c4f9b8e4d21a6c7e8f90b1c2d3e"
	// LargeRegion holds LargeCount generated snapshots, more than two full pages.
	LargeRegion    = "ap-southeast-1"
	LargeProjectID = "7f6e5d4c3b2a41908f7e6d5c4b3a2910"
	LargeCount     = 2345
	// EmptyRegion has a project without snapshots.
	EmptyRegion    = "cn-east-3"
	EmptyProjectID = "1e2d3c4b5a6947388f9e0d1c2b3a4f5e"
	// DomainID owns every project; DomainName is its account name.
	DomainID   = "d0d0d0d0c1c1c1c1b2b2b2b2a3a3a3a3"
	DomainName = "workspace-fake-account"
)

// Sample is the curated data set of Region, in the API's default order (newest
// first). It has one snapshot per corner the provider must get right: the API
// page's own example items, unicode and reserved characters in names, process
// null, absent and 0, an empty description, absent optional fields, every status
// and both create types, and a snapshot name shared by two desktops.
func Sample() []Snapshot {
	return []Snapshot{
		{
			SnapshotID: S("5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"), SnapshotName: S("a&b=c+d%e?f#g/h;i j"),
			DesktopID: S("9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a"), DesktopName: S("ops & dev = team+1"),
			DesktopSID: S("44556677-8899-4aab-bccd-deeff0011223"), DesktopPoolID: S("pool-7a7a7a7a"),
			IsSystemDisk: B(false), Status: S("restore_failed"), ProcessNull: true,
			Description: S("reserved: & = + % ? # / ;"), CreateTime: S("2024-04-22T10:15:00Z"),
			CreateType: S("MANUALLY"), LastRestoreTime: S("2024-04-23T01:02:03Z"),
			RestoreFailReason: S("disk busy; retry later"),
		},
		{
			SnapshotID: S("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"), SnapshotName: S("财务部-每日快照 🗂"),
			DesktopID: S("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"), DesktopName: S("财务桌面-01"),
			DesktopSID:   S("aabbccdd-eeff-4011-8223-344556677889"),
			IsSystemDisk: B(true), Status: S("creating"), Process: I(42),
			Description: S(""), CreateTime: S("2024-04-21T23:59:59Z"), CreateType: S("AUTO"),
		},
		{
			SnapshotID: S("eed156d9-02a5-46f5-8eb1-54f09ab9fbae"), SnapshotName: S("sys0420_xzx03_1713602176593"),
			DesktopID: S("7163a7ba-fc09-4238-ab73-0689ea7f54c3"), DesktopName: S("xzx03"),
			DesktopSID:   S("22ad6780-3236-4838-b509-8068d254e9de"),
			IsSystemDisk: B(true), Status: S("create_success"),
			Description: S("description。"), CreateTime: S("2024-04-20T08:36:16Z"), CreateType: S("MANUALLY"),
		},
		{
			SnapshotID: S("a7e996da-20db-4de8-8aff-4c8e4c6d5ed3"), SnapshotName: S("AUTOCREATED_AA_1713595811910"),
			DesktopID: S("a3e8d0d0-79df-413d-a327-d702a4fb2e15"), DesktopName: S("AA"),
			DesktopSID:   S("1346b13d-d3e4-4965-bfb4-5bb880bf7dbf"),
			IsSystemDisk: B(false), Status: S("create_success"),
			Description: S("description。"), CreateTime: S("2024-04-20T06:50:11Z"), CreateType: S("AUTO"),
		},
		{
			SnapshotID: S("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"), SnapshotName: S("weekly"),
			DesktopID: S("7163a7ba-fc09-4238-ab73-0689ea7f54c3"), DesktopName: S("xzx03"),
			DesktopSID: S("22ad6780-3236-4838-b509-8068d254e9de"), DesktopPoolID: S("pool-7a7a7a7a"),
			IsSystemDisk: B(false), Status: S("restoring"), Process: I(0),
			Description: S("data disk, restore running"), CreateTime: S("2024-04-19T12:00:00Z"),
			CreateType: S("AUTO"), LastRestoreTime: S("2024-04-22T09:00:00Z"),
		},
		{
			SnapshotID: S("c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"), SnapshotName: S("weekly"),
			DesktopID: S("a3e8d0d0-79df-413d-a327-d702a4fb2e15"), DesktopName: S("AA"),
			DesktopSID:   S("1346b13d-d3e4-4965-bfb4-5bb880bf7dbf"),
			IsSystemDisk: B(true), Status: S("restore_success"), Process: I(100),
			Description: S("restored once"), CreateTime: S("2024-04-18T07:30:00Z"),
			CreateType: S("MANUALLY"), LastRestoreTime: S("2024-04-19T07:30:00Z"),
			RestoreFailReason: S(""),
		},
		{
			// Only what every snapshot has: the rest is absent from the JSON.
			SnapshotID: S("d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f6a"), SnapshotName: S("Zeta-failed"),
			Status: S("create_failed"), CreateTime: S("2024-04-17T00:00:01Z"),
		},
	}
}

// Generate returns n deterministic snapshots, newest first, spread over n/7+1
// desktops, cycling through statuses, create types, disk types and process
// values (null, absent, 0-100), with some optional fields absent.
func Generate(n int) []Snapshot {
	statuses := []string{"create_success", "create_success", "create_success", "creating", "restoring", "create_failed", "restore_success", "restore_failed"}
	start := time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)
	desktops := n/7 + 1
	out := make([]Snapshot, n)
	for i := range out {
		d := i % desktops
		created := start.Add(-time.Duration(i) * 7 * time.Minute)
		desktopName := fmt.Sprintf("desktop-%04d", d)
		s := Snapshot{
			SnapshotID:   S(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, d)),
			DesktopID:    S(fmt.Sprintf("dddddddd-%04x-4000-9000-%012x", d%0x10000, d)),
			DesktopName:  S(desktopName),
			DesktopSID:   S(fmt.Sprintf("5151%04x-0000-4000-a000-%012x", d%0x10000, d)),
			IsSystemDisk: B(i%3 != 0),
			Status:       S(statuses[i%len(statuses)]),
			Description:  S(fmt.Sprintf("snapshot %d of %s", i, desktopName)),
			CreateTime:   S(created.Format(time.RFC3339)),
		}
		if i%4 == 0 {
			s.CreateType = S("MANUALLY")
			s.SnapshotName = S(fmt.Sprintf("manual_%s_%d", desktopName, i))
		} else {
			s.CreateType = S("AUTO")
			s.SnapshotName = S(fmt.Sprintf("AUTOCREATED_%s_%d", desktopName, created.UnixMilli()))
		}
		switch i % 5 {
		case 0:
			s.ProcessNull = true
		case 1: // absent
		default:
			s.Process = I(int64(i % 101))
		}
		if d%2 == 0 {
			s.DesktopPoolID = S(fmt.Sprintf("pool-%04d", d/2))
		}
		if *s.Status == "restore_success" || *s.Status == "restore_failed" || *s.Status == "restoring" {
			s.LastRestoreTime = S(created.Add(time.Hour).Format(time.RFC3339))
		}
		if *s.Status == "restore_failed" {
			s.RestoreFailReason = S("desktop is not stopped")
		}
		out[i] = s
	}
	return out
}

// DefaultJobDuration is how long the default fake's batch jobs run: past the
// waiter's first poll (1 s), so that a job is seen running once.
const DefaultJobDuration = 1500 * time.Millisecond

// DefaultOptions is the fake that tests and the demo start: permanent and
// temporary credentials, and three regions' projects (curated Sample, LargeCount
// generated snapshots, and none).
func DefaultOptions() Options {
	return Options{
		Credentials: []Credential{
			{AccessKey: AccessKey, SecretKey: SecretKey},
			{AccessKey: TempAccessKey, SecretKey: TempSecretKey, SecurityToken: SecurityToken},
		},
		Projects: []Project{
			{ID: ProjectID, Name: Region, Snapshots: Sample(), Desktops: []Desktop{
				{ID: FreshDesktopID, Name: FreshDesktopName, SID: "f1f1f1f1-2222-4333-8444-555566667777"},
				{ID: BusyDesktopID, Name: BusyDesktopName, Busy: true},
			}},
			{ID: LargeProjectID, Name: LargeRegion, Snapshots: Generate(LargeCount)},
			{ID: EmptyProjectID, Name: EmptyRegion},
		},
		JobDuration: DefaultJobDuration,
	}
}
