from django.db import migrations, models


def set_currency(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    Product.objects.filter(currency__isnull=True).update(currency="EUR")


class Migration(migrations.Migration):
    dependencies = [("shop", "0078_alter_order_customer_on_delete")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="currency",
            field=models.CharField(max_length=3, null=True),
        ),
        migrations.RunPython(set_currency, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="product",
            name="currency",
            field=models.CharField(max_length=3),
        ),
    ]
