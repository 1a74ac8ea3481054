class RemoveTimestampsFromUsers < ActiveRecord::Migration[7.1]
  def change
    remove_timestamps :users
  end
end
