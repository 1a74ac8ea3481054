class RemoveSomeColumnFromUsers < ActiveRecord::Migration[7.1]
  def change
    remove_column :users, :some_column, :string
  end
end
