# Previous definition: models.DateTimeField(auto_now_add=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0049_alter_customer_username_not_unique")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
    ]
