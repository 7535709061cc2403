# Restore a desktop from its snapshot on demand:
#   terraform apply -invoke=action.huaweicloud_workspace_desktop_snapshot_restore.rollback
action "huaweicloud_workspace_desktop_snapshot_restore" "rollback" {
  config {
    snapshot_ids = ["eed156d9-02a5-46f5-8eb1-54f09ab9fbae"]
  }
}
