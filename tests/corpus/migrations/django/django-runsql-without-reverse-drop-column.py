from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0067_order_search_vector")]

    operations = [
        migrations.RunSQL("ALTER TABLE shop_order DROP COLUMN legacy_total"),
    ]
