class PublishExistingPosts < ActiveRecord::Migration[7.1]
  def change
    up_only { execute "UPDATE posts SET published = 'true'" }
  end
end
