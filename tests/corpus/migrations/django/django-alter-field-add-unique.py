# Previous definition: models.EmailField(max_length=254)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0047_alter_order_shipping_address_null")]

    operations = [
        migrations.AlterField(
            model_name="customer",
            name="email",
            field=models.EmailField(max_length=254, unique=True),
        ),
    ]
