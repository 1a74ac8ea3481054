class RenameSomeColumn < ActiveRecord::Migration[7.1]
  def change
    rename_column :users, :some_column, :new_name
  end
end
