class AddNiceToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :nice, :uuid, default: "gen_random_uuid()", null: false
  end
end
