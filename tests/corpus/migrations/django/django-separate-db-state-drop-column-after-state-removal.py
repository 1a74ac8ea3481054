from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0072_move_wishlist_items")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE shop_checkout DROP COLUMN IF EXISTS metadata, DROP COLUMN IF EXISTS private_metadata",
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
    ]
