from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0053_alter_product_options")]

    operations = [
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__gte", 0)), name="price_positive"
            ),
        ),
    ]
