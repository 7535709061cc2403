# Failed restores of system disks on two desktops, newest first. Arguments
# combine (AND); a list matches any of its values.
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

output "restore_fail_reasons" {
  value = {
    for s in data.huaweicloud_workspace_desktop_snapshots.failed_restores.snapshots :
    s.snapshot_id => s.restore_fail_reason
  }
}
