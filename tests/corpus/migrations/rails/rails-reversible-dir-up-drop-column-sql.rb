class DropOrdersLegacyTotal < ActiveRecord::Migration[7.1]
  def change
    reversible do |dir|
      dir.up do
        execute "ALTER TABLE orders DROP COLUMN legacy_total"
      end
      dir.down do
        execute "ALTER TABLE orders ADD COLUMN legacy_total numeric(12, 2)"
      end
    end
  end
end
