class AddNiceToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :nice, :uuid
    change_column_null :users, :nice, false, "gen_random_uuid()"
  end
end
