class ChangeProducts < ActiveRecord::Migration[7.1]
  def change
    change_table :products do |t|
      t.remove :description, :name, type: :string
      t.string :part_number
      t.index :part_number
      t.rename :upccode, :upc_code
    end
  end
end
