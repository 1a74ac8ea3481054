class RequireUsersCountry < ActiveRecord::Migration[7.1]
  def up
    change_column :users, :country, :string, limit: 20, null: false
  end

  def down
    change_column :users, :country, :string, limit: 20
  end
end
