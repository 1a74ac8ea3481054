from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0019_contactgroup_comments_tenantgroup_comments")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="groups",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="contacts",
                        related_query_name="contact",
                        to="tenancy.contactgroup",
                    ),
                ),
                migrations.DeleteModel(
                    name="ContactGroupMembership",
                ),
            ],
            database_operations=[
                migrations.AlterModelTable(
                    name="ContactGroupMembership",
                    table="tenancy_contact_groups",
                ),
                migrations.RenameField(
                    model_name="contactgroupmembership",
                    old_name="group",
                    new_name="contactgroup",
                ),
                migrations.RunSQL(
                    "ALTER TABLE tenancy_contactgroupmembership_id_seq "
                    "RENAME TO tenancy_contact_groups_id_seq"
                ),
                migrations.RunSQL(
                    "ALTER INDEX tenancy_contactgroupmembership_pkey "
                    "RENAME TO tenancy_contact_groups_pkey"
                ),
            ],
        ),
    ]
