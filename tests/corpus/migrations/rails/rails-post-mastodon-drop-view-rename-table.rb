class ConvertMaterializedViewsToTables < ActiveRecord::Migration[8.1]
  def up
    rename_index :account_summaries, :index_account_summaries_on_account_id, :tmp_index_account_summaries_on_account_id

    create_table :tmp_account_summaries, primary_key: :account_id do |t|
      t.string :language
      t.boolean :sensitive, default: false, null: false
    end

    safety_assured do
      add_foreign_key :tmp_account_summaries, :accounts, on_delete: :cascade
      execute 'INSERT INTO tmp_account_summaries SELECT account_summaries.* FROM account_summaries INNER JOIN accounts ON accounts.id = account_summaries.account_id'
    end

    drop_view :account_summaries, materialized: true
    safety_assured { rename_table :tmp_account_summaries, :account_summaries }
  end

  def down
    drop_table :account_summaries
    create_view :account_summaries, version: 3, materialized: true
  end
end
