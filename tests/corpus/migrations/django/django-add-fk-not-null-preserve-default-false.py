import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0062_order_voucher")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="channel",
            field=models.ForeignKey(
                default=1,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="shop.channel",
            ),
            preserve_default=False,
        ),
    ]
