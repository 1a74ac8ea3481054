from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0075_giftcard")]

    operations = [
        migrations.RemoveField(
            model_name="wishlist",
            name="legacy_item",
        ),
        migrations.DeleteModel(
            name="LegacyWishlistItem",
        ),
    ]
