class AddDeviceToUsers < ActiveRecord::Migration[7.1]
  def change
    add_reference :users, :device, foreign_key: true, index: false
  end
end
