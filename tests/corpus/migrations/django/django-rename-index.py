from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0059_one_default_address_per_user")]

    operations = [
        migrations.RenameIndex(
            model_name="order",
            new_name="order_status_idx",
            old_name="order_status_created_idx",
        ),
    ]
