# Cross-account: the pipeline's own keys (HW_ACCESS_KEY and HW_SECRET_KEY, or the
# metadata service on an ECS runner) assume an agency that the production
# account created for it. Blocks apply in order, each signed by the keys the
# one before produced.
terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"

  # Through IAM, by the account's name.
  assume_role {
    agency_name = "workspace-reader"
    domain_name = "acme-production"
    duration    = 3600
  }
}

data "huaweicloud_workspace_desktop_snapshots" "failed" {
  status = "restore_failed"
}

output "failed_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.failed.snapshots[*].snapshot_id
}
