class CleanupAccountFlags < ActiveRecord::Migration[7.1]
  def up
    drop_legacy_flags!
  end

  def down
    add_column :accounts, :silenced, :boolean, default: false, null: false
    add_column :accounts, :suspended, :boolean, default: false, null: false
  end

  private

  def drop_legacy_flags!
    safety_assured do
      remove_column :accounts, :silenced
      remove_column :accounts, :suspended
    end
  end
end
