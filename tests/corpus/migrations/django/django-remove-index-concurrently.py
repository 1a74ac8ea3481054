from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("shop", "0057_order_status_created_idx")]

    operations = [
        RemoveIndexConcurrently(
            model_name="order",
            name="order_status_created_idx",
        ),
    ]
