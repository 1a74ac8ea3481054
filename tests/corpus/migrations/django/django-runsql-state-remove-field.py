from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0083_drop_legacywishlist_table")]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE shop_customer DROP COLUMN IF EXISTS fax",
            reverse_sql="ALTER TABLE shop_customer ADD COLUMN fax varchar(32) NULL",
            state_operations=[
                migrations.RemoveField(model_name="customer", name="fax"),
            ],
        ),
    ]
