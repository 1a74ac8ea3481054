class AddCheckConstraint < ActiveRecord::Migration[7.1]
  def change
    add_check_constraint :users, "price > 0", name: "price_check", validate: false
  end
end
