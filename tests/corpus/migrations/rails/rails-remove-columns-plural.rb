class RemoveNameAndOtherFromUsers < ActiveRecord::Migration[7.1]
  def change
    remove_columns :users, :name, :other, type: :text
  end
end
