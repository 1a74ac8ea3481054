class DecreaseUsersCountryLimit < ActiveRecord::Migration[7.1]
  def up
    change_column :users, :country, :string, limit: 19
  end

  def down
    change_column :users, :country, :string, limit: 20
  end
end
