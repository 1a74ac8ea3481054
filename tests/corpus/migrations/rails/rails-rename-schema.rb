class RenameUsersSchema < ActiveRecord::Migration[7.1]
  def change
    rename_schema :users, :customers
  end
end
