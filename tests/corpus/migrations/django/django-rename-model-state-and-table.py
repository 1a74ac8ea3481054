from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0076_remove_legacywishlistitem")]

    operations = [
        migrations.RenameModel(old_name="Coupon", new_name="Voucher"),
        migrations.RenameField(model_name="order", old_name="coupon", new_name="voucher"),
    ]
