class RemoveIndexOnUsersName < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    remove_index :users, column: :name, algorithm: :concurrently
  end
end
