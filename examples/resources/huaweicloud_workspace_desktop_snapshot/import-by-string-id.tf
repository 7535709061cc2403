# Adopt an existing snapshot. With desktop_id and disk_type stated as the
# snapshot has them, the plan is a pure import. With Terraform 1.12 and later,
# identity = { snapshot_id = "...", region = "..." } works in place of id.
import {
  to = huaweicloud_workspace_desktop_snapshot.before_upgrade
  id = "eed156d9-02a5-46f5-8eb1-54f09ab9fbae"
}
