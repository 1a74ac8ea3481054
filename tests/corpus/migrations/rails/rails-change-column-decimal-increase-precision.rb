class IncreaseCreditScorePrecision < ActiveRecord::Migration[7.1]
  def up
    change_column :users, :credit_score, :decimal, precision: 11, scale: 5
  end

  def down
    change_column :users, :credit_score, :decimal, precision: 10, scale: 5
  end
end
