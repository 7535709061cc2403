# This provider and the official huaweicloud provider both have the type name
# "huaweicloud", and a local name can stand for only one source. The official
# provider keeps the local name huaweicloud, so its resources need nothing
# extra; this one gets the local name hcworkspace, and each of its data sources
# says provider = hcworkspace (or an alias of it).
terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.60.0"
    }
    hcworkspace = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

variable "region" {
  description = "The region of both providers."
  type        = string
  default     = "cn-north-4"
}
