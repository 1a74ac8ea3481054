class AddSomeColumnToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :some_column, :text
    User.update_all some_column: "default_value"
  end
end
