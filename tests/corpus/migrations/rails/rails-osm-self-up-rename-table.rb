class RenameBugsToNotes < ActiveRecord::Migration[4.2]
  def self.up
    rename_enum "map_bug_status_enum", :to => "note_status_enum"
    rename_enum "map_bug_event_enum", :to => "note_event_enum"

    rename_table :map_bugs, :notes
    rename_index :notes, "map_bugs_changed_idx", "notes_updated_at_idx"

    rename_table :map_bug_comment, :note_comments
    rename_column :note_comments, :bug_id, :note_id
  end

  def self.down
    rename_column :note_comments, :note_id, :bug_id
    rename_table :note_comments, :map_bug_comment
    rename_index :notes, "notes_updated_at_idx", "map_bugs_changed_idx"
    rename_table :notes, :map_bugs
    rename_enum "note_event_enum", :to => "map_bug_event_enum"
    rename_enum "note_status_enum", :to => "map_bug_status_enum"
  end
end
