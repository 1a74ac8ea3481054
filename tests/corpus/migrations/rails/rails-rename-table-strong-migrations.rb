class RenameUsersToCustomers < ActiveRecord::Migration[7.1]
  def change
    rename_table :users, :customers
  end
end
