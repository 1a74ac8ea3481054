class AddPartNumberToProducts < ActiveRecord::Migration[7.1]
  def change
    change_table :products do |t|
      t.string :part_number
      t.index :part_number
      t.timestamps null: true
    end
  end
end
