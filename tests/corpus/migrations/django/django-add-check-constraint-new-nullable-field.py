from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0084_drop_customer_fax")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="max_per_order",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_per_order__isnull", True), ("max_per_order__gt", 0), _connector="OR"),
                name="max_per_order_positive",
            ),
        ),
    ]
