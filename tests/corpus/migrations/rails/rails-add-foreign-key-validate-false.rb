class AddForeignKeyOnUsers < ActiveRecord::Migration[7.1]
  def change
    add_foreign_key :users, :orders, validate: false
  end
end
