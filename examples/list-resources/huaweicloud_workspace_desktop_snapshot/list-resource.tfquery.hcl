# Every manual snapshot that was created successfully, with its resource
# object: `terraform query -generate-config-out=snapshots.tf` writes import
# blocks for them.
list "huaweicloud_workspace_desktop_snapshot" "manual" {
  provider         = huaweicloud
  include_resource = true

  config {
    create_type = "MANUALLY"
    status      = "create_success"
  }
}
