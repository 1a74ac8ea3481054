class ValidateCheckConstraint < ActiveRecord::Migration[7.1]
  def change
    validate_check_constraint :users, name: "price_check"
  end
end
