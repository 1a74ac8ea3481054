from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0066_product_weight")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE shop_order ADD COLUMN search_vector tsvector",
                "CREATE INDEX shop_order_search_vector_idx ON shop_order USING gin (search_vector)",
            ],
            reverse_sql=[
                "DROP INDEX shop_order_search_vector_idx",
                "ALTER TABLE shop_order DROP COLUMN search_vector",
            ],
        ),
    ]
