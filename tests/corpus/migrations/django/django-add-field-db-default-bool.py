from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0064_product_is_published")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_featured",
            field=models.BooleanField(db_default=False),
        ),
    ]
