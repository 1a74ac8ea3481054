class SwapUsersNameIndex < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :users, :name, algorithm: :concurrently
    remove_index :users, column: :name, algorithm: :concurrently
  end
end
