# Snapshot before a change (Terraform 1.14+): every time the rollout's version
# changes, the system disks of the desktops are snapshotted first, and the apply
# goes on only once every snapshot job has succeeded.
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

variable "desktop_ids" {
  description = "The desktops the rollout changes."
  type        = list(string)
}

variable "rollout_version" {
  description = "The version being rolled out; changing it takes new snapshots."
  type        = string
  default     = "office-2024"
}

action "huaweicloud_workspace_desktop_snapshot_create" "before_change" {
  config {
    desktop_ids = var.desktop_ids
    disk_type   = "SYSTEM_DISK"
    name        = "before-${var.rollout_version}"
  }
}

# Stands for the change: an ansible run, an image update, a module.
resource "terraform_data" "rollout" {
  input = var.rollout_version

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.huaweicloud_workspace_desktop_snapshot_create.before_change]
    }
  }
}
