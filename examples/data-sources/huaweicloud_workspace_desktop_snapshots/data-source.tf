# Every desktop snapshot of the provider's region, in the API's order.
data "huaweicloud_workspace_desktop_snapshots" "all" {}

output "snapshot_count" {
  value = data.huaweicloud_workspace_desktop_snapshots.all.total_count
}
