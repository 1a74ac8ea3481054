class AddSomeIndexToUsers < ActiveRecord::Migration[7.1]
  def change
    add_index :users, :some_column, algorithm: :copy
  end
end
