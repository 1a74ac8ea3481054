from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0056_remove_product_price_positive")]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["status", "-created_at"], name="order_status_created_idx"),
        ),
    ]
