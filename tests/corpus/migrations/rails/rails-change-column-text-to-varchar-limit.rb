class LimitUsersDescription < ActiveRecord::Migration[7.1]
  def up
    change_column :users, :description, :string, limit: 20
  end

  def down
    change_column :users, :description, :text
  end
end
