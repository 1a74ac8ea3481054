from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0080_order_updated_at")]

    operations = [
        migrations.AddField(
            model_name="orderline",
            name="total",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.F("quantity") * models.F("unit_price"),
                output_field=models.DecimalField(decimal_places=2, max_digits=14),
            ),
        ),
    ]
