class ValidateSomeColumnNotNull < ActiveRecord::Migration[7.1]
  def up
    validate_check_constraint :users, name: "users_some_column_null"
    change_column_null :users, :some_column, false
    remove_check_constraint :users, name: "users_some_column_null"
  end

  def down
    add_check_constraint :users, "some_column IS NOT NULL", name: "users_some_column_null", validate: false
    change_column_null :users, :some_column, true
  end
end
