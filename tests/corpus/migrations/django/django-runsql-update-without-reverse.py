from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0068_drop_order_legacy_total")]

    operations = [
        migrations.RunSQL("UPDATE shop_order SET status = lower(status) WHERE status <> lower(status)"),
    ]
