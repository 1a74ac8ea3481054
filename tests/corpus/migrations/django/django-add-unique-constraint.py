from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0054_product_price_positive")]

    operations = [
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.UniqueConstraint(fields=("product", "sku"), name="unique_variant_sku_per_product"),
        ),
    ]
