class CreateNewUsers < ActiveRecord::Migration[7.1]
  def change
    create_table :new_users do |t|
      t.string :name
    end

    add_check_constraint :new_users, "name IS NOT NULL"
  end
end
