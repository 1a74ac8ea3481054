class AddUniqueConstraint < ActiveRecord::Migration[7.1]
  def change
    add_unique_constraint :users, :some_column
  end
end
