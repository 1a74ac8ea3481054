# Previous definition: models.SlugField(max_length=255, unique=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0051_alter_order_total_db_column")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="slug",
            field=models.SlugField(
                help_text="Used in the product URL; must be unique per channel.",
                max_length=255,
                unique=True,
                verbose_name="URL slug",
            ),
        ),
    ]
