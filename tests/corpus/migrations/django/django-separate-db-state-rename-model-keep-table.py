from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0073_drop_checkout_metadata_columns")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameModel(old_name="Basket", new_name="Cart"),
                migrations.AlterModelTable(name="cart", table="shop_basket"),
            ],
            database_operations=[],
        ),
    ]
