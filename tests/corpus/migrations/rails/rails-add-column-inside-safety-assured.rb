class AddAgeToUsers < ActiveRecord::Migration[7.1]
  def change
    safety_assured do
      add_column :users, :age, :integer
    end
  end
end
