from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0052_alter_product_slug_help_text")]

    operations = [
        migrations.AlterModelOptions(
            name="product",
            options={
                "ordering": ("name", "pk"),
                "permissions": (("manage_products", "Manage products."),),
                "verbose_name": "product",
            },
        ),
    ]
