from django.db import migrations
from django.utils.text import slugify


def backfill_slugs(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    for product in Product.objects.filter(slug="").iterator():
        product.slug = slugify(product.name)
        product.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("shop", "0070_product_rating_db_default")]

    operations = [
        migrations.RunPython(backfill_slugs, migrations.RunPython.noop),
    ]
