from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0069_normalise_order_status")]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE shop_product ADD COLUMN rating smallint NOT NULL DEFAULT 0",
            reverse_sql="ALTER TABLE shop_product DROP COLUMN rating",
            state_operations=[
                migrations.AddField(
                    model_name="product",
                    name="rating",
                    field=models.SmallIntegerField(default=0),
                ),
            ],
        ),
    ]
