# Previous definition: models.DecimalField(decimal_places=2, max_digits=12)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0050_alter_order_created_at_db_index")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="total",
            field=models.DecimalField(db_column="total_gross", decimal_places=2, max_digits=12),
        ),
    ]
