// Package fakeapi is an in-memory implementation of the Huawei Cloud Workspace
// ListDesktopSnapshot API and of IAM's project list, written from the API page
// independently of the provider's client: it verifies SDK-HMAC-SHA256 signatures
// with code of its own, pages with offset and limit, applies every filter and both
// sort fields, answers with the API's error shape and X-Request-Id, records every
// request, and can be told to fail the way a flaky gateway does (error answers,
// dropped, truncated or hanging connections, snapshots appearing between pages,
// inflated totals), one fault at a time or at random from a seed. Tests start it
// over real HTTP; the demo runs it as a program (cmd/fakeworkspace).
package fakeapi

import (
	"bytes"
	"strconv"
)

// Snapshot is one DesktopSnapshotDetailInfo. A nil field is left out of the JSON,
// except Process when ProcessNull is set, which is sent as "process": null.
type Snapshot struct {
	SnapshotID        *string
	SnapshotName      *string
	DesktopID         *string
	DesktopName       *string
	DesktopSID        *string
	DesktopPoolID     *string
	IsSystemDisk      *bool
	Status            *string
	Process           *int64
	ProcessNull       bool
	Description       *string
	CreateTime        *string
	CreateType        *string
	LastRestoreTime   *string
	RestoreFailReason *string
}

// MarshalJSON writes the fields in the API page's order.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string, raw []byte) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		b.Write(raw)
	}
	str := func(name string, v *string) {
		if v != nil {
			raw, _ := marshal(*v) // a string always marshals
			field(name, raw)
		}
	}
	str("snapshot_id", s.SnapshotID)
	str("snapshot_name", s.SnapshotName)
	str("desktop_id", s.DesktopID)
	str("desktop_name", s.DesktopName)
	str("desktop_sid", s.DesktopSID)
	str("desktop_pool_id", s.DesktopPoolID)
	if s.IsSystemDisk != nil {
		field("is_system_disk", []byte(strconv.FormatBool(*s.IsSystemDisk)))
	}
	str("status", s.Status)
	switch {
	case s.Process != nil:
		field("process", []byte(strconv.FormatInt(*s.Process, 10)))
	case s.ProcessNull:
		field("process", []byte("null"))
	}
	str("description", s.Description)
	str("create_time", s.CreateTime)
	str("create_type", s.CreateType)
	str("last_restore_time", s.LastRestoreTime)
	str("restore_fail_reason", s.RestoreFailReason)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// S returns a pointer to s, for building Snapshots.
func S(s string) *string { return &s }

// B returns a pointer to b.
func B(b bool) *bool { return &b }

// I returns a pointer to i.
func I(i int64) *int64 { return &i }

// str reads an optional string field as the API's filters see it: absent is "".
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
