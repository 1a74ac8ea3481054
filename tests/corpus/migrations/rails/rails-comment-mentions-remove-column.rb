class BackfillUsersDisplayName < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  # Step 2 of 3. Step 3 (a later post-deploy migration) will:
  #   safety_assured { remove_column :users, :username }
  def up
    User.unscoped.where(display_name: nil).in_batches(of: 5_000) do |relation|
      relation.update_all("display_name = username")
    end
  end

  def down
    # no-op
  end
end
