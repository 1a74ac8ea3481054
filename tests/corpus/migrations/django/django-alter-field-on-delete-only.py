# Previous definition: models.ForeignKey(on_delete=models.CASCADE, related_name='orders', to='shop.customer')
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0077_rename_coupon_voucher")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="shop.customer",
            ),
        ),
    ]
