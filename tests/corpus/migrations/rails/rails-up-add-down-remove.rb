class AddAgeToUsers < ActiveRecord::Migration[7.1]
  def up
    add_column :users, :age, :integer
  end

  def down
    safety_assured do
      remove_column :users, :age
    end
  end
end
