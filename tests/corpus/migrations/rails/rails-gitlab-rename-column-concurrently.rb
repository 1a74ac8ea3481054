class RenameServicesBuildEventsToJobEvents < ActiveRecord::Migration[4.2]
  include Gitlab::Database::MigrationHelpers

  DOWNTIME = false

  disable_ddl_transaction!

  def up
    rename_column_concurrently :services, :build_events, :job_events
  end

  def down
    cleanup_concurrent_column_rename :services, :job_events, :build_events
  end
end
