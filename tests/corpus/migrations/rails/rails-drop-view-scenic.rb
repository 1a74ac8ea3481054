class DropSearchResults < ActiveRecord::Migration[7.1]
  def change
    drop_view :search_results, revert_to_version: 2
  end
end
