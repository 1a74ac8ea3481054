from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0055_unique_variant_sku_per_product")]

    operations = [
        migrations.RemoveConstraint(
            model_name="product",
            name="price_positive",
        ),
    ]
