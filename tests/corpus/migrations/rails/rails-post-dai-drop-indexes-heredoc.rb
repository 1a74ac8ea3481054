class DropOldEmbeddingsIndexes < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      DROP INDEX IF EXISTS ai_topic_embeddings_1_1_search;
      DROP INDEX IF EXISTS ai_topic_embeddings_2_1_search;
      DROP INDEX IF EXISTS ai_post_embeddings_1_1_search;
      DROP INDEX IF EXISTS ai_post_embeddings_2_1_search;
    SQL
  end

  def down
    raise ActiveRecord::IrreversibleMigration
  end
end
