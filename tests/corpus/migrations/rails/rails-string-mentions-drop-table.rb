class RecordTableCleanupNote < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      INSERT INTO admin_notes (body, created_at, updated_at)
      VALUES ('Ops: run "DROP TABLE legacy_sessions;" by hand once the export is archived', NOW(), NOW())
    SQL
  end

  def down
    execute "DELETE FROM admin_notes WHERE body LIKE 'Ops: run %legacy_sessions%'"
  end
end
