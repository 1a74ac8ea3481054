# Previous definition: models.ManyToManyField(blank=True, to='shop.tag')
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0081_orderline_total")]

    operations = [
        migrations.RemoveField(
            model_name="product",
            name="tags",
        ),
    ]
