# This provider under the local name hcworkspace: the same settings and
# variables as the official one, so the same exported keys serve both.
variable "endpoints" {
  description = "Custom endpoints of this provider (keys workspace and iam); empty for Huawei Cloud's own."
  type        = map(string)
  default     = {}
}

variable "dr_region" {
  description = "A second region, read through an alias of this provider."
  type        = string
  default     = "ap-southeast-1"
}

provider "hcworkspace" {
  region    = var.region
  endpoints = var.endpoints
}

provider "hcworkspace" {
  alias     = "dr"
  region    = var.dr_region
  endpoints = var.endpoints
}

# The data source's type keeps the huaweicloud_ prefix; provider = picks the
# provider configuration that reads it.
data "huaweicloud_workspace_desktop_snapshots" "failed" {
  provider = hcworkspace
  status   = "restore_failed"
}

data "huaweicloud_workspace_desktop_snapshots" "dr" {
  provider = hcworkspace.dr
}

output "failed_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.failed.snapshots[*].snapshot_id
}

output "dr_snapshot_count" {
  value = data.huaweicloud_workspace_desktop_snapshots.dr.total_count
}
