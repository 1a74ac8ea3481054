# Previous definition: models.CharField(max_length=255, blank=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0042_alter_product_name_max_length")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="description",
            field=models.TextField(blank=True),
        ),
    ]
