class AddIdToCitiesUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :cities_users, :id, :primary_key
  end
end
