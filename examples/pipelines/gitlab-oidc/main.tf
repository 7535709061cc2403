# GitLab CI or GitHub Actions without stored keys: the job's OIDC id token is
# exchanged with IAM for temporary keys of an agency. The file is read again at
# each renewal, so a CI system that rotates it is followed.
#
# GitLab:  id_tokens: { HUAWEICLOUD_ID_TOKEN: { aud: "..." } }, then
#          echo "$HUAWEICLOUD_ID_TOKEN" > "$CI_PROJECT_DIR/.oidc-token"
# GitHub:  permissions: { id-token: write }, then write the token from
#          $ACTIONS_ID_TOKEN_REQUEST_URL to the file.
terraform {
  required_providers {
    huaweicloud = {
      source = "workspace-terraform/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"

  assume_role_with_oidc {
    idp_id        = "gitlab-ci"
    id_token_file = ".oidc-token"
    agency_name   = "ci-workspace-reader"
    domain_id     = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  }
}

data "huaweicloud_workspace_desktop_snapshots" "failed" {
  status = "restore_failed"
}

output "failed_snapshot_ids" {
  value = data.huaweicloud_workspace_desktop_snapshots.failed.snapshots[*].snapshot_id
}
