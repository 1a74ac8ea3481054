class RevertAddCountryToUsers < ActiveRecord::Migration[7.1]
  def change
    revert { add_reference :users, :country, index: false }
  end
end
