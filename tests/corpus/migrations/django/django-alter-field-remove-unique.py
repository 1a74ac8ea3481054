# Previous definition: models.CharField(max_length=150, unique=True)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0048_alter_customer_email_unique")]

    operations = [
        migrations.AlterField(
            model_name="customer",
            name="username",
            field=models.CharField(db_index=True, max_length=150),
        ),
    ]
