from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0060_rename_order_status_idx")]

    operations = [
        migrations.AlterModelTable(
            name="orderline",
            table="order_lines",
        ),
    ]
