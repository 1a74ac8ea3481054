# Previous definition: models.CharField(max_length=64, unique=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0043_alter_product_description")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="sku",
            field=models.CharField(max_length=16, unique=True),
        ),
    ]
