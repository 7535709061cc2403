# A snapshot is imported by its snapshot ID.
terraform import huaweicloud_workspace_desktop_snapshot.before_upgrade eed156d9-02a5-46f5-8eb1-54f09ab9fbae
