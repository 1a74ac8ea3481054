# Previous definition: models.CharField(max_length=32, null=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0044_alter_product_sku_max_length")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="reference",
            field=models.IntegerField(null=True),
        ),
    ]
