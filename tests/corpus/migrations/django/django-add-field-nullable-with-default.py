from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0065_product_is_featured")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="weight",
            field=models.DecimalField(blank=True, decimal_places=3, default=None, max_digits=10, null=True),
        ),
    ]
