class ChangeZipCodeTypeOnUsers < ActiveRecord::Migration[7.1]
  def up
    change_column :users, :zip_code, :integer, using: "zip_code::integer"
  end

  def down
    change_column :users, :zip_code, :string
  end
end
