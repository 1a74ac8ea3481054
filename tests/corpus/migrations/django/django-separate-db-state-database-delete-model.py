from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0082_remove_product_tags")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "DROP TABLE IF EXISTS shop_legacywishlist",
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
            state_operations=[],
        ),
    ]
