class AddSomeColumnToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :some_column, :uuid, default: "gen_random_uuid()"
  end
end
