class AddCompletedToStatus < ActiveRecord::Migration[7.1]
  def up
    add_enum_value :status, "completed", after: "done"
  end
end
