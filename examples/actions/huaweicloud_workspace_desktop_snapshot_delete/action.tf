# Delete snapshots on demand:
#   terraform apply -invoke=action.huaweicloud_workspace_desktop_snapshot_delete.cleanup
action "huaweicloud_workspace_desktop_snapshot_delete" "cleanup" {
  config {
    snapshot_ids = ["c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"]
  }
}
