# Terraform Search (Terraform 1.14+): find snapshots and adopt them.
#   terraform query                                   lists them
#   terraform query -generate-config-out=adopted.tf   writes import blocks
#   terraform plan                                    plans the imports, nothing else
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

