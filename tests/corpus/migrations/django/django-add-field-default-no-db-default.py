from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0063_order_channel")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_published",
            field=models.BooleanField(default=True),
        ),
    ]
