class AddCityLowerToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :city_lower, :virtual, type: :string, as: "LOWER(city)", stored: true
  end
end
