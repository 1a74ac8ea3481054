# Previous definition: models.EmailField(max_length=254, null=True, blank=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0045_alter_order_reference_type")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="customer_email",
            field=models.EmailField(max_length=254),
        ),
    ]
