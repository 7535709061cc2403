terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

# Credentials are best kept out of configuration: export HW_ACCESS_KEY and
# HW_SECRET_KEY (and HW_SECURITY_TOKEN for temporary credentials) instead.
provider "huaweicloud" {
  region = "cn-north-4"

  # Optional: the project ID of the region. Without it the provider looks it up
  # once through IAM (GET /v3/projects?name=cn-north-4).
  # project_id = "0a5d3c4f9b8e4d21a6c7e8f90b1c2d3e"

  # Optional: custom endpoints, e.g. a private gateway or a local test API.
  # endpoints = {
  #   workspace = "https://workspace.cn-north-4.myhuaweicloud.com"
  #   iam       = "https://iam.cn-north-4.myhuaweicloud.com"
  # }
}
