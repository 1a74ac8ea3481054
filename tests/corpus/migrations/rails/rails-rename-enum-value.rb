class RenameDoneToCompleted < ActiveRecord::Migration[7.1]
  def change
    rename_enum_value :status, from: "done", to: "completed"
  end
end
