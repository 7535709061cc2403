# The quickstart: list desktop snapshots and summarise them. `make demo` applies
# it against the project's fake Workspace API; with real credentials exported
# (HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME) it lists your own snapshots.
terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

variable "endpoints" {
  description = "Custom endpoints (keys workspace and iam); empty for Huawei Cloud's own."
  type        = map(string)
  default     = {}
}

provider "huaweicloud" {
  endpoints = var.endpoints
}

data "huaweicloud_workspace_desktop_snapshots" "all" {
  sort_field = "create_time"
  sort_type  = "DESC"
}

data "huaweicloud_workspace_desktop_snapshots" "auto_system_disks" {
  create_type = "AUTO"
  disk_type   = "SYSTEM_DISK"
}

output "snapshot_count" {
  value = data.huaweicloud_workspace_desktop_snapshots.all.total_count
}

output "snapshots" {
  description = "Newest first: time, name, desktop, status."
  value = [
    for s in data.huaweicloud_workspace_desktop_snapshots.all.snapshots :
    format("%s  %-30s  %-16s  %s", coalesce(s.create_time, "-"), coalesce(s.snapshot_name, "-"), coalesce(s.desktop_name, "-"), coalesce(s.status, "-"))
  ]
}

output "auto_system_disk_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.auto_system_disks.snapshots[*].snapshot_id
}
