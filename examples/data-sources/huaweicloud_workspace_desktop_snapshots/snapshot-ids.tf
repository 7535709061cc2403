# The IDs of the automatic snapshots of the desktops named "xzx03", sorted by
# snapshot name, for an output or for another resource's argument.
data "huaweicloud_workspace_desktop_snapshots" "auto" {
  desktop_name = "xzx03"
  create_type  = "AUTO"
  sort_field   = "snapshot_name"
}

output "auto_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.auto.snapshots[*].snapshot_id
}
