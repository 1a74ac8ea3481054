from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("shop", "0058_remove_order_status_created_idx")]

    operations = [
        AddIndexConcurrently(
            model_name="address",
            index=models.Index(
                fields=["user"],
                condition=models.Q(("is_default", True)),
                name="one_default_address_idx",
            ),
        ),
        migrations.RunSQL(
            "CREATE UNIQUE INDEX CONCURRENTLY one_default_address_uniq ON shop_address (user_id) WHERE is_default",
            reverse_sql="DROP INDEX CONCURRENTLY one_default_address_uniq",
        ),
    ]
