class RemoveDeviceFromUsers < ActiveRecord::Migration[7.1]
  def change
    remove_reference :users, :device, polymorphic: true
  end
end
