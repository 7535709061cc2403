# Every snapshot of the provider's region, in the API's order.
data "huaweicloud_workspace_desktop_snapshots" "all" {}

# Failed restores of system disks on two desktops, newest first.
data "huaweicloud_workspace_desktop_snapshots" "failed_restores" {
  desktop_ids = [
    "7163a7ba-fc09-4238-ab73-0689ea7f54c3",
    "a3e8d0d0-79df-413d-a327-d702a4fb2e15",
  ]
  disk_type  = "SYSTEM_DISK"
  status     = "restore_failed"
  sort_field = "create_time"
  sort_type  = "DESC"

  timeouts {
    read = "10m"
  }
}

output "snapshot_count" {
  value = data.huaweicloud_workspace_desktop_snapshots.all.total_count
}

output "snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.all.snapshots[*].snapshot_id
}

output "restore_fail_reasons" {
  value = {
    for s in data.huaweicloud_workspace_desktop_snapshots.failed_restores.snapshots :
    s.snapshot_id => s.restore_fail_reason
  }
}
