# A pipeline runner on an ECS or CCE node with an agency bound: no keys in the
# configuration or the environment. The provider reads temporary keys from the
# metadata service (http://169.254.169.254, or HW_METADATA_ENDPOINT) and renews
# them before they expire.
terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_workspace_desktop_snapshots" "failed" {
  status = "restore_failed"
}

output "failed_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.failed.snapshots[*].snapshot_id
}
