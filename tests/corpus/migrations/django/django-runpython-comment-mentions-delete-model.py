from django.db import migrations


def copy_items(apps, schema_editor):
    Legacy = apps.get_model("shop", "LegacyWishlistItem")
    Item = apps.get_model("shop", "WishlistItem")
    Item.objects.bulk_create(
        [Item(wishlist_id=row.wishlist_id, variant_id=row.variant_id) for row in Legacy.objects.all()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("shop", "0071_backfill_product_slugs")]

    operations = [
        # Next release: migrations.DeleteModel(name="LegacyWishlistItem")
        migrations.RunPython(copy_items, reverse_code=migrations.RunPython.noop),
    ]
