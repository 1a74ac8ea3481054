class SetSomeColumnNotNull < ActiveRecord::Migration[7.1]
  def change
    change_column_null :users, :some_column, false
  end
end
