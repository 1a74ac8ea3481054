class CreateAdmins < ActiveRecord::Migration[7.1]
  def change
    create_table :admins, force: :cascade do |t|
      t.string :name
    end
  end
end
