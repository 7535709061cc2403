# The newest snapshot of one desktop that was created successfully.
data "huaweicloud_workspace_desktop_snapshot" "latest" {
  desktop_id  = "7163a7ba-fc09-4238-ab73-0689ea7f54c3"
  status      = "create_success"
  most_recent = true
}

# One snapshot by its ID.
data "huaweicloud_workspace_desktop_snapshot" "by_id" {
  snapshot_id = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae"
}

output "latest_snapshot" {
  value = {
    id          = data.huaweicloud_workspace_desktop_snapshot.latest.id
    name        = data.huaweicloud_workspace_desktop_snapshot.latest.snapshot_name
    create_time = data.huaweicloud_workspace_desktop_snapshot.latest.create_time
  }
}
