class ChangeUsersNameDefault < ActiveRecord::Migration[7.1]
  def change
    change_column_default :users, :name, from: nil, to: "Test"
  end
end
