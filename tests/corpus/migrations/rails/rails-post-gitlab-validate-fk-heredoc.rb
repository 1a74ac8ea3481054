class ValidateForeignKeysOnTimelogs < ActiveRecord::Migration[4.2]
  include Gitlab::Database::MigrationHelpers

  DOWNTIME = false

  disable_ddl_transaction!

  def up
    if Gitlab::Database.postgresql?
      execute <<-EOF
        ALTER TABLE timelogs VALIDATE CONSTRAINT "fk_timelogs_issues_issue_id";
        ALTER TABLE timelogs VALIDATE CONSTRAINT "fk_timelogs_merge_requests_merge_request_id";
      EOF
    end
  end

  def down
    # noop
  end
end
