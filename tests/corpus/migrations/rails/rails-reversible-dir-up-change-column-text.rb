class WidenUsersName < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :new_name, :string
    reversible do |direction|
      direction.up { change_column :users, :name, :text }
      direction.down { change_column :users, :name, :string }
    end
  end
end
