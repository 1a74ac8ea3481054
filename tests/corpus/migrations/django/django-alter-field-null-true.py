# Previous definition: models.ForeignKey(on_delete=models.PROTECT, related_name='+', to='account.address')
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0046_alter_order_customer_email_not_null")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="shipping_address",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="account.address",
            ),
        ),
    ]
