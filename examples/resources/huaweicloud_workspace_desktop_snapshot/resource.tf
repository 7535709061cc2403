# A manual snapshot of a desktop's system disk, taken before an upgrade.
resource "huaweicloud_workspace_desktop_snapshot" "before_upgrade" {
  desktop_id  = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
  disk_type   = "SYSTEM_DISK"
  name        = "before-upgrade"
  description = "Taken before the office suite upgrade"

  timeouts {
    create = "30m"
  }
}

output "snapshot_name" {
  # The API's own name: desktop name, the name above and a timestamp.
  value = huaweicloud_workspace_desktop_snapshot.before_upgrade.snapshot_name
}
