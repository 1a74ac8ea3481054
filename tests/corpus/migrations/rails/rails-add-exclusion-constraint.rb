class AddExclusionConstraint < ActiveRecord::Migration[7.1]
  def change
    add_exclusion_constraint :users, "credit_score WITH =", using: :gist
  end
end
