class DropLegacyFlag < ActiveRecord::Migration[7.1]
  def up
    safety_assured { execute "ALTER TABLE users DROP COLUMN legacy_flag" }
  end

  def down
    execute "ALTER TABLE users ADD COLUMN legacy_flag boolean"
  end
end
