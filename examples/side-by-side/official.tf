# The official provider, as before: credentials from HW_ACCESS_KEY and
# HW_SECRET_KEY, which this provider reads too.
provider "huaweicloud" {
  region = var.region
}

data "huaweicloud_workspace_desktops" "all" {}

output "desktop_names" {
  value = data.huaweicloud_workspace_desktops.all.desktops[*].name
}
