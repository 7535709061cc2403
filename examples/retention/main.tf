# Retention (Terraform 1.14+): the list data source chooses the manual snapshots
# created before a cut-off, and the delete action removes them during apply.
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

variable "delete_before" {
  description = "Manual snapshots created before this time (RFC 3339) are deleted."
  type        = string
  default     = "2024-04-20T00:00:00Z"
}

data "huaweicloud_workspace_desktop_snapshots" "manual" {
  create_type = "MANUALLY"
}

locals {
  expired = sort([
    for s in data.huaweicloud_workspace_desktop_snapshots.manual.snapshots : s.snapshot_id
    if s.create_time != null && timecmp(s.create_time, var.delete_before) < 0
  ])
}

# Both blocks exist only when something expired: the action refuses an empty list.
action "huaweicloud_workspace_desktop_snapshot_delete" "expired" {
  count = length(local.expired) > 0 ? 1 : 0

  config {
    snapshot_ids = local.expired
  }
}

resource "terraform_data" "retention" {
  count = length(local.expired) > 0 ? 1 : 0
  input = local.expired

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.huaweicloud_workspace_desktop_snapshot_delete.expired[0]]
    }
  }
}

output "deleted" {
  value = local.expired
}
