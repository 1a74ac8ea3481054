# Previous definition (0001_initial): models.CharField(max_length=100)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0041_product_sku")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="name",
            field=models.CharField(max_length=200),
        ),
    ]
