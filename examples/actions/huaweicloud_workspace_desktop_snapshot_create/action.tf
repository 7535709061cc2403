# Snapshot the system disks of two desktops whenever the rollout changes:
# the action runs before terraform_data is created or updated.
action "huaweicloud_workspace_desktop_snapshot_create" "before_rollout" {
  config {
    desktop_ids = ["7163a7ba-fc09-4238-ab73-0689ea7f54c3", "a3e8d0d0-79df-413d-a327-d702a4fb2e15"]
    disk_type   = "SYSTEM_DISK"
    name        = "before-rollout"
  }
}

resource "terraform_data" "rollout" {
  input = "office-2024"

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.huaweicloud_workspace_desktop_snapshot_create.before_rollout]
    }
  }
}
